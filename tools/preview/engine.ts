/**
 * Runs a Pulumi program under the SDK's mock engine and captures every
 * resource registration as the engine would see it: type, name, URN,
 * parent, provider, dependencies, property dependencies, resource options
 * and the inputs in wire form (secret markers and unknown sentinels kept).
 *
 * The mock monitor only hands mocks the deserialised inputs, so the capture
 * wraps the monitor's registerResource and reads the raw request instead.
 */
import * as path from "path";
import type * as pulumiType from "@pulumi/pulumi";
import { DEFAULT_ACCOUNT_ID, MockAnswers } from "./mock-outputs";

/** Secret marker of the wire format (an object with this signature key/value wraps a secret). */
export const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export interface CapturedResource {
  urn: string;
  type: string;
  name: string;
  /** false for component resources (they have no provider and are not sent to providers). */
  custom: boolean;
  parent?: string;
  /** Provider reference `urn::id` for explicit providers; undefined for the default provider. */
  provider?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
  protect: boolean;
  retainOnDelete: boolean;
  deleteBeforeReplace: boolean;
  ignoreChanges: string[];
  additionalSecretOutputs: string[];
  replaceOnChanges: string[];
  aliases: string[];
  /** Inputs in wire form: secrets as `{[SECRET_SIG_KEY]: SECRET_SIG_VALUE, value}`, unknowns as the sentinel string. */
  inputs: Record<string, unknown>;
  /** Id the mock engine answered ("" while unknown in a preview). */
  id: string;
  /** Registration order (the engine's step order). */
  sequence: number;
}

export interface RunOptions {
  /** Directory of the program (its package.json / index.ts) or a function declaring resources. */
  program: string | (() => unknown | Promise<unknown>);
  project: string;
  stack: string;
  /** Engine config: every value a string, structured values as JSON text. */
  config: Record<string, string>;
  secretKeys: string[];
  preview: boolean;
  accountId?: string;
  /** Called as each resource registration completes (lets the caller analyse while the program runs). */
  onResource?: (r: CapturedResource) => void;
}

export interface RunResult {
  resources: CapturedResource[];
  /** Stack outputs in wire form (secret markers kept). */
  outputs: Record<string, unknown>;
  durationMs: number;
}

function isSecretWire(v: unknown): v is { value: unknown } {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[SECRET_SIG_KEY] === SECRET_SIG_VALUE;
}

function wrapSecret(v: unknown): unknown {
  return isSecretWire(v) ? v : { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value: v };
}

/** The SDK instance the program itself uses (a program elsewhere may have its own node_modules). */
function sdkFor(programDir: string | undefined): typeof pulumiType {
  const resolved = programDir ? require.resolve("@pulumi/pulumi", { paths: [programDir] }) : require.resolve("@pulumi/pulumi");
  return require(resolved);
}

/**
 * Real URNs leave the root stack out of the qualified type; the mock
 * monitor's would include it once the program runs inside a Stack.
 */
function makeUrn(stack: string, project: string, parentUrn: string | undefined, type: string, name: string): string {
  let qualified = type;
  if (parentUrn) {
    const parentQualified = parentUrn.split("::")[2];
    if (parentQualified !== "pulumi:pulumi:Stack") qualified = `${parentQualified}$${type}`;
  }
  return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
}

let runCounter = 0;

export async function runUnderMocks(opts: RunOptions): Promise<RunResult> {
  const started = Date.now();
  const programDir = typeof opts.program === "string" ? path.resolve(opts.program) : undefined;
  const pulumi = sdkFor(programDir);
  const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: programDir ? [programDir] : undefined }));
  const settings = require(path.join(sdkRoot, "runtime", "settings"));
  const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkRoot] }));

  pulumi.runtime.setAllConfig(opts.config, opts.secretKeys);
  const region = opts.config["aws:region"] ?? "us-east-1";
  const answers = new MockAnswers({ region, accountId: opts.accountId ?? DEFAULT_ACCOUNT_ID, partition: "aws", preview: opts.preview, resolveFrom: programDir, config: opts.config });
  await pulumi.runtime.setMocks(answers, opts.project, opts.stack, opts.preview);
  const monitor = settings.getMonitor();
  const run = ++runCounter;
  const resources: CapturedResource[] = [];
  let stackUrn: string | undefined;
  let stackOutputs: Record<string, unknown> = {};

  monitor.newUrn = (parent: string | undefined, type: string, name: string) => makeUrn(opts.stack, opts.project, parent || undefined, type, name);

  const originalRegister = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: unknown, resp?: any) => void) => {
    const wireInputs: Record<string, unknown> = req.getObject()?.toJavaScript() ?? {};
    originalRegister(req, (err: unknown, resp: any) => {
      if (err || run !== runCounter) return callback(err, resp);
      try {
        const urn: string = resp.getUrn();
        const type: string = req.getType();
        const id: string = resp.getId();
        // The engine keeps an input's secretness on the matching output, and
        // marks additionalSecretOutputs secret; the mock monitor does neither.
        const secretOutputs = new Set<string>(req.getAdditionalsecretoutputsList());
        for (const [k, v] of Object.entries(wireInputs)) if (isSecretWire(v)) secretOutputs.add(k);
        if (secretOutputs.size > 0) {
          const out: Record<string, unknown> = resp.getObject()?.toJavaScript() ?? {};
          for (const k of secretOutputs) if (k in out) out[k] = wrapSecret(out[k]);
          resp.setObject(structproto.Struct.fromJavaScript(out));
        }
        if (type === "pulumi:pulumi:Stack") {
          stackUrn = urn;
        } else {
          if (type.startsWith("pulumi:providers:")) answers.rememberProvider(`${urn}::${id}`, stripSecrets(wireInputs));
          const propertyDependencies: Record<string, string[]> = {};
          req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
            propertyDependencies[key] = deps.getUrnsList();
          });
          const parent: string = req.getParent();
          const captured: CapturedResource = {
            urn,
            type,
            name: req.getName(),
            custom: req.getCustom(),
            parent: parent || undefined,
            provider: req.getProvider() || undefined,
            dependencies: req.getDependenciesList(),
            propertyDependencies,
            protect: req.getProtect() === true,
            retainOnDelete: req.getRetainondelete() === true,
            deleteBeforeReplace: req.getDeletebeforereplace() === true,
            ignoreChanges: req.getIgnorechangesList(),
            additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
            replaceOnChanges: req.getReplaceonchangesList(),
            aliases: req.getAliasesList().map((a: any) => (typeof a.getUrn === "function" && a.getUrn()) || a.toString()),
            inputs: wireInputs,
            id,
            sequence: resources.length,
          };
          resources.push(captured);
          opts.onResource?.(captured);
        }
      } catch (e) {
        return callback(e);
      }
      callback(err, resp);
    });
  };

  const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: (err: unknown, resp?: unknown) => void) => {
    if (req.getUrn() === stackUrn) stackOutputs = req.getOutputs()?.toJavaScript() ?? {};
    originalOutputs(req, callback);
  };

  const init = async () => {
    if (typeof opts.program === "function") return opts.program();
    // A Pulumi program's module exports become the stack outputs.
    const mod = require(programDir!);
    return mod && typeof mod === "object" && "default" in mod && typeof mod.default === "function" ? mod.default() : mod;
  };
  await pulumi.runtime.runInPulumiStack(init);
  // Wait until every outstanding registration and output has been answered.
  await settings.waitForRPCs();
  await new Promise((r) => setImmediate(r));
  return { resources, outputs: stackOutputs, durationMs: Date.now() - started };
}

function stripSecrets(wire: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(wire)) out[k] = isSecretWire(v) ? v.value : v;
  return out;
}

/** Turns wire-form inputs into plain values for assertions: secrets unwrapped, unknowns kept as the sentinel. */
export function plainInputs(wire: unknown): any {
  if (isSecretWire(wire)) return plainInputs(wire.value);
  if (Array.isArray(wire)) return wire.map(plainInputs);
  if (wire && typeof wire === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(wire)) out[k] = plainInputs(v);
    return out;
  }
  return wire;
}

export function isSecret(wire: unknown): boolean {
  return isSecretWire(wire);
}
