/**
 * The one way policies are declared in this pack. A policy file supplies
 * metadata as data and a small, pure check; this module turns it into a
 * native @pulumi/policy policy with severity, framework mapping,
 * remediation steps, runbook url, typed config with runbook defaults, and
 * governed exceptions.
 *
 * Unknown values: checks read props through the SDK's unknown-checking
 * proxy. Reading an unknown value throws the SDK's UnknownValueError, which
 * this module never swallows, so the SDK reports "can't run during preview"
 * as an advisory note instead of a false violation.
 */
import type {
  EnforcementLevel,
  PolicyConfigSchema,
  PolicyProviderResource,
  PolicyResource,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  Severity,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { CONTROLS, ControlKey } from "./frameworks";
import { ExceptionEntry, exceptionsSchema, findException, inactiveNote } from "./exceptions";
import { RUNBOOK, RunbookSection } from "./runbook";

export type Family =
  | "keys" | "secrets" | "database" | "access" | "backup" | "alerting"
  | "audit" | "workload" | "network" | "recovery";

export interface PolicyMeta<C extends object> {
  /** Unique, kebab-case; also the key of the policy's config. */
  name: string;
  family: Family;
  description: string;
  severity: Severity;
  /** Entry of the framework mapping module (policies/lib/frameworks.ts). */
  controls: ControlKey;
  runbook: RunbookSection;
  remediationSteps: string;
  /** Mandatory unless a reason is given for advisory. */
  advisory?: { reason: string };
  /** Never-exemptible policies ignore the exception register (default: exemptible). */
  exemptible?: boolean;
  /** Thresholds as policy config: JSON schema per key and the runbook's defaults. */
  config?: { schema: Record<string, PolicyConfigJSONSchema>; defaults: C };
}

export interface ResourceCheckContext<C> {
  type: string;
  /** Resource inputs behind the SDK's unknown-checking proxy. */
  props: Record<string, any>;
  urn: string;
  name: string;
  opts: ResourceValidationArgs["opts"];
  /** The resource's provider (type, urn, name, props such as `region`) when the engine sends it. */
  provider?: PolicyProviderResource;
  config: C;
  stackTags: ReadonlyMap<string, string>;
  /** Report a violation of this policy for this resource. Never include secret values. */
  report(message: string): void;
}

export interface StackCheckContext<C> {
  resources: PolicyResource[];
  config: C;
  stackTags: ReadonlyMap<string, string>;
  /** Report a violation for one resource of the stack (or the stack when urn is omitted). */
  report(message: string, urn?: string): void;
  /**
   * Report an advisory note (never blocks, not subject to exceptions), e.g.
   * computed figures the preview shows. The message is sent as written,
   * without the policy description in front.
   */
  note(message: string, urn?: string): void;
}

export interface ResourcePolicyDef<C extends object> extends PolicyMeta<C> {
  /** Provider type tokens, e.g. "aws:kms/key:Key". Never component types. */
  resourceTypes: readonly string[];
  check(ctx: ResourceCheckContext<C>): void | Promise<void>;
}

export interface StackPolicyDef<C extends object> extends PolicyMeta<C> {
  /** Types the stack check links together (documentation and type-token tests). */
  resourceTypes: readonly string[];
  check(ctx: StackCheckContext<C>): void | Promise<void>;
}

/** What every policy in the pack exposes besides the native policy: used by docs and tests. */
export interface PackPolicy {
  kind: "resource" | "stack";
  meta: PolicyMeta<object>;
  resourceTypes: readonly string[];
  policy: ResourceValidationPolicy | StackValidationPolicy;
}

const FRAMEWORK = { name: "PCI DSS", version: "4.0" } as const;

function nativeMetadata<C extends object>(meta: PolicyMeta<C>) {
  const mapping = CONTROLS[meta.controls];
  const exemptible = meta.exemptible !== false;
  const properties: Record<string, PolicyConfigJSONSchema> = { ...(meta.config?.schema ?? {}) };
  if (exemptible) properties.exceptions = exceptionsSchema;
  const configSchema: PolicyConfigSchema | undefined = Object.keys(properties).length ? { properties } : undefined;
  const enforcementLevel: EnforcementLevel = meta.advisory ? "advisory" : "mandatory";
  return {
    name: meta.name,
    description: meta.description,
    enforcementLevel,
    severity: meta.severity,
    framework: {
      ...FRAMEWORK,
      reference: mapping.pci.join(", "),
      specification: `PCI DSS v4.0 ${mapping.pci.join(", ")}; SOC 2 ${mapping.soc2.join(", ")}; SOX ${mapping.sox.join("; ")}`,
    },
    tags: [
      `family:${meta.family}`,
      ...mapping.pci.map((r) => `pci-dss:${r}`),
      ...mapping.soc2.map((c) => `soc2:${c}`),
      ...mapping.sox.map((s) => `sox:${s}`),
      exemptible ? "exemptible" : "never-exemptible",
    ],
    remediationSteps: meta.remediationSteps,
    url: RUNBOOK[meta.runbook],
    configSchema,
  };
}

/** Policy config with the runbook defaults filled in for keys the stack's policy config leaves out. */
function resolveConfig<C extends object>(meta: PolicyMeta<C>, raw: Record<string, unknown>): { config: C; exceptions: ExceptionEntry[] } {
  const config = { ...(meta.config?.defaults ?? {}), ...raw } as C & { exceptions?: ExceptionEntry[] };
  const exceptions = meta.exemptible === false ? [] : (config.exceptions ?? []);
  return { config, exceptions };
}

/**
 * Wraps reportViolation so that a violation matched by an unexpired
 * exception is reported as an advisory note naming the exception. The SDK
 * accepts a violation object whose enforcementLevel overrides the policy's.
 */
function makeReporter(
  meta: PolicyMeta<object>,
  exceptions: ExceptionEntry[],
  reportViolation: ReportViolation,
  now: Date,
): (message: string, urn: string | undefined, name: string | undefined) => void {
  return (message, urn, name) => {
    const match = urn ? findException(exceptions, urn, name, now) : undefined;
    if (match?.state === "active") {
      const e = match.entry;
      (reportViolation as unknown as (v: object) => void)({
        message: `${message}\n[exempted by exception "${e.id}": ${e.reason} (approved by ${e.approver}, expires ${e.expires})]`,
        urn,
        enforcementLevel: "advisory",
      });
      return;
    }
    const suffix = match ? `\n${inactiveNote({ state: match.state, entry: match.entry })}` : "";
    reportViolation(`${message}${suffix}`, urn);
  };
}

export function resourcePolicy<C extends object = Record<string, never>>(def: ResourcePolicyDef<C>): PackPolicy {
  const types = new Set(def.resourceTypes);
  const single = def.resourceTypes.length === 1 ? def.resourceTypes[0] : undefined;
  const validateResource = (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
    if (!types.has(args.type)) return;
    const { config, exceptions } = resolveConfig(def, args.getConfig<Record<string, unknown>>());
    const reporter = makeReporter(def as PolicyMeta<object>, exceptions, reportViolation, new Date());
    return def.check({
      type: args.type,
      props: args.props,
      urn: args.urn,
      name: args.name,
      opts: args.opts,
      provider: args.provider,
      config,
      stackTags: args.stackTags,
      report: (message) => reporter(message, args.urn, args.name),
    });
  };
  // With a single target type the SDK skips other types itself and reports
  // them as notApplicable, exactly as validateResourceOfType would.
  if (single) (validateResource as unknown as { __pulumiType: string }).__pulumiType = single;
  const policy: ResourceValidationPolicy = { ...nativeMetadata(def), validateResource };
  return { kind: "resource", meta: def as PolicyMeta<object>, resourceTypes: def.resourceTypes, policy };
}

export function stackPolicy<C extends object = Record<string, never>>(def: StackPolicyDef<C>): PackPolicy {
  const validateStack = (args: StackValidationArgs, reportViolation: ReportViolation) => {
    const { config, exceptions } = resolveConfig(def, args.getConfig<Record<string, unknown>>());
    const reporter = makeReporter(def as PolicyMeta<object>, exceptions, reportViolation, new Date());
    const names = new Map(args.resources.map((r) => [r.urn, r.name]));
    return def.check({
      resources: args.resources,
      config,
      stackTags: args.stackTags,
      report: (message, urn) => reporter(message, urn, urn ? names.get(urn) : undefined),
      note: (message, urn) => (reportViolation as unknown as (v: object) => void)({ message, urn, enforcementLevel: "advisory" }),
    });
  };
  const policy: StackValidationPolicy = { ...nativeMetadata(def), validateStack };
  return { kind: "stack", meta: def as PolicyMeta<object>, resourceTypes: def.resourceTypes, policy };
}
