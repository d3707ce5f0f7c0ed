/**
 * The two ways the benchmark evaluates a pack on the same resources:
 *
 * - through the analyzer protocol, as the offline preview does: Analyze per
 *   resource with the preview's own pipeline (tools/preview/analysis.ts),
 *   then AnalyzeStack once;
 * - directly in this process, the reference: the SDK's own
 *   deserializeProperties and unknownCheckingProxy, then every policy's
 *   validateResource / validateStack called the way the SDK's analyzer
 *   server (@pulumi/policy/server.js) calls them, violations collected.
 *
 * Both start from the same captured registrations and must report the
 * same violations; the difference in time is what the protocol, the
 * second process and the harness cost.
 */
import * as path from "path";
import type { AnalyzerResourceInput, AnalyzeResult, EnforcementLevel, PolicyPackProcess } from "../preview/analyzer";
import { ResourceAnalysis } from "../preview/analysis";
import type { CapturedResource } from "../preview/engine";
import { ProviderContext, toAnalyzerInput, toAnalyzerInputs } from "../preview/resources";
import { cpuMsSelf } from "./proc-stats";

export type ConfigEntries = Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;

export interface Tally {
  /** Violations (mandatory + advisory), "can't run during preview" notes excluded. */
  violations: number;
  /** "can't run ... during preview" notes (an unknown value was read). */
  deferred: number;
  byPolicy: Record<string, number>;
}

export interface EvalTiming {
  resourceMs: number;
  stackMs: number;
  totalMs: number;
  /** CPU time of every process involved (this one, and the pack's for the protocol path). */
  resourceCpuMs: number;
  stackCpuMs: number;
  totalCpuMs: number;
  /** Per policy ms, SDK deserialisation included (direct path with profile on only). */
  perPolicyMs?: Record<string, number>;
  /** Stack policies: the check alone (validateStack on ready inputs), best of 3 (profile only). */
  stackCheckMs?: Record<string, number>;
  resources: Tally;
  stack: Tally;
}

function tally(diags: readonly { policyName: string; message: string }[], into: Tally): void {
  for (const d of diags) {
    if (/^can't run policy '/.test(d.message)) into.deferred++;
    else into.violations++;
    into.byPolicy[d.policyName] = (into.byPolicy[d.policyName] ?? 0) + 1;
  }
}

const emptyTally = (): Tally => ({ violations: 0, deferred: 0, byPolicy: {} });

/** Analyze every resource (the preview's pipeline, same concurrency), then AnalyzeStack once. */
export async function evaluateThroughProtocol(
  proc: PolicyPackProcess,
  captured: readonly CapturedResource[],
  ctx: ProviderContext,
  cpuMs: () => number,
  concurrency?: number,
): Promise<EvalTiming> {
  const resources = emptyTally();
  const stack = emptyTally();
  const analysis = new ResourceAnalysis(Promise.resolve(proc), ctx, { concurrency });
  const c0 = cpuMs();
  const t0 = performance.now();
  for (const r of captured) analysis.add(r);
  const { verdicts } = await analysis.settle();
  const t1 = performance.now();
  const c1 = cpuMs();
  const stackResult: AnalyzeResult = await analysis.analyzeStack(proc);
  const t2 = performance.now();
  const c2 = cpuMs();
  for (const v of verdicts) tally(v.diagnostics, resources);
  tally(stackResult.diagnostics, stack);
  return { resourceMs: t1 - t0, stackMs: t2 - t1, totalMs: t2 - t0, resourceCpuMs: c1 - c0, stackCpuMs: c2 - c1, totalCpuMs: c2 - c0, resources, stack };
}

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
interface Sdk {
  deserializeProperties(struct: unknown, proxySecrets: boolean): Record<string, unknown>;
  unknownCheckingProxy<T>(v: T): T;
  UnknownValueError: new (...a: never[]) => Error;
  getPulumiType(o: unknown): string | undefined;
  Struct: { fromJavaScript(v: unknown): unknown };
}

/** The SDK modules the pack itself uses (resolved from the pack directory, so `instanceof` checks agree). */
export function loadSdk(packDir: string): Sdk {
  const from = (id: string) => require(require.resolve(id, { paths: [packDir] }));
  const policyRoot = path.dirname(require.resolve("@pulumi/policy/package.json", { paths: [packDir] }));
  const pulumiRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [policyRoot] }));
  const deserialize = from("@pulumi/policy/deserialize");
  const proxy = from("@pulumi/policy/proxy");
  const policy = from("@pulumi/policy/policy");
  const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [pulumiRoot] }));
  return {
    deserializeProperties: deserialize.deserializeProperties,
    unknownCheckingProxy: proxy.unknownCheckingProxy,
    UnknownValueError: proxy.UnknownValueError,
    getPulumiType: policy.getPulumiType,
    Struct: structPb.Struct,
  };
}

class NotApplicable extends Error {}
const throwNotApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

interface NativePolicy {
  name: string;
  description: string;
  enforcementLevel?: EnforcementLevel;
  validateResource?: any;
  validateStack?: any;
}

function optionsOf(r: AnalyzerResourceInput): Record<string, unknown> {
  const o: Record<string, unknown> = {
    protect: r.options.protect,
    ignoreChanges: r.options.ignoreChanges,
    aliases: r.options.aliases,
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: r.options.additionalSecretOutputs,
    deleteBeforeReplace: r.options.deleteBeforeReplace,
  };
  if (r.options.parent) o.parent = r.options.parent;
  return o;
}

/**
 * Evaluates `policies` on the captured resources in this process, the way
 * the SDK's server does for Analyze and AnalyzeStack requests. The
 * properties are turned into the protobuf Struct the SDK's deserializer
 * reads once per resource (the server receives them in that form).
 */
export async function evaluateDirect(
  sdk: Sdk,
  policies: readonly NativePolicy[],
  config: ConfigEntries,
  captured: readonly CapturedResource[],
  ctx: ProviderContext,
  stackTags: ReadonlyMap<string, string>,
  opts: { profile?: boolean; packEnforcementLevel?: EnforcementLevel } = {},
): Promise<EvalTiming> {
  const packEnforcementLevel = opts.packEnforcementLevel ?? "mandatory";
  const perPolicyMs: Record<string, number> = {};
  const stackCheckMs: Record<string, number> = {};
  const levelOf = (p: NativePolicy): EnforcementLevel => {
    const l = config[p.name]?.enforcementLevel || p.enforcementLevel || packEnforcementLevel;
    return l === "remediate" ? "mandatory" : l;
  };
  const getConfigOf = (name: string) => () => ({ ...(config[name]?.properties ?? {}) });
  const resourcePolicies = policies.filter((p) => p.validateResource && levelOf(p) !== "disabled");
  const stackPolicies = policies.filter((p) => p.validateStack && levelOf(p) !== "disabled");
  const isType = (type: string) => (cls: any) => sdk.getPulumiType(cls) === type;
  const resources = emptyTally();
  const stack = emptyTally();

  const run = async (p: NativePolicy, into: Tally, call: (report: (m: unknown, urn?: string) => void) => unknown) => {
    const started = opts.profile ? performance.now() : 0;
    const diags: { policyName: string; message: string }[] = [];
    const report = (m: unknown) => diags.push({ policyName: p.name, message: typeof m === "object" && m ? String((m as { message?: string }).message ?? p.description) : `${p.description}${m ? `\n${m}` : ""}` });
    try {
      await Promise.resolve(call(report));
    } catch (e) {
      if (e instanceof sdk.UnknownValueError) diags.push({ policyName: p.name, message: `can't run policy '${p.name}' during preview` });
      else if (!(e instanceof NotApplicable)) throw e;
    }
    tally(diags, into);
    if (opts.profile) perPolicyMs[p.name] = (perPolicyMs[p.name] ?? 0) + performance.now() - started;
  };

  const c0 = cpuMsSelf();
  const t0 = performance.now();
  const providers = new Map<string, CapturedResource>();
  const defaults = new Map();
  const inputs: AnalyzerResourceInput[] = [];
  for (const c of captured) {
    if (c.type.startsWith("pulumi:providers:")) providers.set(`${c.urn}::${c.id}`, c);
    const r = toAnalyzerInput(c, providers, defaults, ctx);
    inputs.push(r);
    const struct = sdk.Struct.fromJavaScript(r.properties);
    const providerStruct = r.provider ? sdk.Struct.fromJavaScript(r.provider.properties) : undefined;
    for (const p of resourcePolicies) {
      const validations: any[] = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
      if (validations.length === 1) {
        const t = sdk.getPulumiType(validations[0]);
        if (t && t !== r.type) continue;
      }
      for (const validation of validations) {
        await run(p, resources, (report) => {
          const props = sdk.unknownCheckingProxy(sdk.deserializeProperties(struct, false));
          const args: Record<string, unknown> = {
            type: r.type,
            props,
            urn: r.urn,
            name: r.name,
            opts: optionsOf(r),
            stackTags,
            isType: isType(r.type),
            asType: (cls: unknown) => (isType(r.type)(cls) ? props : undefined),
            getConfig: getConfigOf(p.name),
            notApplicable: throwNotApplicable,
          };
          if (r.provider && providerStruct) {
            args.provider = { type: r.provider.type, props: sdk.unknownCheckingProxy(sdk.deserializeProperties(providerStruct, false)), urn: r.provider.urn, name: r.provider.name };
          }
          return validation(args, report);
        });
      }
    }
  }
  const t1 = performance.now();
  const c1 = cpuMsSelf();

  const structs = inputs.map((r) => ({ props: sdk.Struct.fromJavaScript(r.properties), provider: r.provider ? sdk.Struct.fromJavaScript(r.provider.properties) : undefined }));
  for (const p of stackPolicies) {
    const t = sdk.getPulumiType(p.validateStack);
    if (t && !inputs.some((r) => r.type === t)) continue;
    await run(p, stack, (report) => {
      const all = inputs.map((r, i) => {
        const props = sdk.unknownCheckingProxy(sdk.deserializeProperties(structs[i].props, false));
        const resource: Record<string, any> = {
          type: r.type,
          props,
          urn: r.urn,
          name: r.name,
          opts: optionsOf(r),
          dependencies: [],
          propertyDependencies: {},
          isType: isType(r.type),
          asType: (cls: unknown) => (isType(r.type)(cls) ? props : undefined),
        };
        const ps = structs[i].provider;
        if (r.provider && ps) resource.provider = { type: r.provider.type, props: sdk.unknownCheckingProxy(sdk.deserializeProperties(ps, false)), urn: r.provider.urn, name: r.provider.name };
        return resource;
      });
      const byUrn = new Map(all.map((x) => [x.urn as string, x]));
      inputs.forEach((r, i) => {
        const x = all[i];
        if (r.parent && byUrn.has(r.parent)) x.parent = byUrn.get(r.parent);
        x.dependencies = r.dependencies.map((d) => byUrn.get(d)).filter(Boolean);
        for (const [k, urns] of Object.entries(r.propertyDependencies)) x.propertyDependencies[k] = urns.map((d) => byUrn.get(d)).filter(Boolean);
      });
      const args = { resources: all, getConfig: getConfigOf(p.name), stackTags, notApplicable: throwNotApplicable };
      if (!opts.profile) return p.validateStack(args, report);
      // Profile: the policy's own check, without the SDK's per-policy deserialisation above; best of 3 against load spikes.
      return (async () => {
        let best = Infinity;
        for (let i = 0; i < 3; i++) {
          const t = performance.now();
          try {
            await Promise.resolve(p.validateStack(args, i === 0 ? report : () => undefined));
          } finally {
            best = Math.min(best, performance.now() - t);
          }
        }
        stackCheckMs[p.name] = best;
      })();
    });
  }
  const t2 = performance.now();
  const c2 = cpuMsSelf();
  return {
    resourceMs: t1 - t0,
    stackMs: t2 - t1,
    totalMs: t2 - t0,
    resourceCpuMs: c1 - c0,
    stackCpuMs: c2 - c1,
    totalCpuMs: c2 - c0,
    resources,
    stack,
    perPolicyMs: opts.profile ? perPolicyMs : undefined,
    stackCheckMs: opts.profile ? stackCheckMs : undefined,
  };
}

/** Analyzer inputs of a captured stack (for counting applicable evaluations). */
export function analyzerInputs(captured: readonly CapturedResource[], ctx: ProviderContext): AnalyzerResourceInput[] {
  return toAnalyzerInputs(captured, ctx);
}
