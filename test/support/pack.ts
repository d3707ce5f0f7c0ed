/**
 * Policy tests go through the analyzer protocol: the real pack is started
 * as its own process (as the offline preview and the Pulumi CLI do) and
 * fixtures are sent with Analyze / AnalyzeStack.
 *
 *   const pack = await startPack();
 *   after(() => pack.close());
 *   const r = await pack.analyze(fixture("aws:kms/key:Key", "k", { enableKeyRotation: false }));
 *   assert.deepEqual(pack.mandatory(r, "kms-key-rotation").length, 1);
 */
import * as path from "path";
import { AnalyzeResult, AnalyzerResourceInput, Diagnostic, PackInfo, PolicyPackProcess } from "../../tools/preview/analyzer";
import { SECRET_SIG_KEY, SECRET_SIG_VALUE } from "../../tools/preview/engine";
import { UNKNOWN } from "../../tools/preview/mock-outputs";
import { RawPolicyConfig, resolvePolicyConfig } from "../../tools/preview/policy-config";

export const PACK_DIR = path.resolve(__dirname, "..", "..", "policies");

/** An unknown (computed) value, as in a preview. */
export const unknown = UNKNOWN;

/** A secret value in wire form. */
export function secret<T>(value: T): unknown {
  return { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value };
}

export interface Fixture {
  type: string;
  name: string;
  props: Record<string, unknown>;
  urn?: string;
  parent?: string;
  protect?: boolean;
  dependencies?: string[];
  propertyDependencies?: Record<string, string[]>;
  provider?: AnalyzerResourceInput["provider"];
}

export function urnOf(type: string, name: string, stack = "test"): string {
  return `urn:pulumi:${stack}::fixture::${type}::${name}`;
}

export function fixture(type: string, name: string, props: Record<string, unknown>, extra: Partial<Fixture> = {}): Fixture {
  return { type, name, props, ...extra };
}

export function toInput(f: Fixture): AnalyzerResourceInput {
  const urn = f.urn ?? urnOf(f.type, f.name);
  return {
    urn,
    type: f.type,
    name: f.name,
    properties: f.props,
    options: { protect: f.protect ?? false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [], aliases: [], parent: f.parent },
    provider: f.provider,
    parent: f.parent,
    dependencies: f.dependencies ?? [],
    propertyDependencies: f.propertyDependencies ?? {},
  };
}

export interface PackHarness {
  info: PackInfo;
  analyze(f: Fixture): Promise<AnalyzeResult>;
  analyzeStack(fs: Fixture[]): Promise<AnalyzeResult>;
  /** Re-sends Configure with another policy config (same file format as --policy-pack-config). */
  configure(config: RawPolicyConfig): Promise<void>;
  close(): Promise<void>;
  mandatory(r: AnalyzeResult, policy: string): Diagnostic[];
  advisory(r: AnalyzeResult, policy: string): Diagnostic[];
  /** Diagnostics of one policy, any level. */
  of(r: AnalyzeResult, policy: string): Diagnostic[];
}

export async function startPack(config: RawPolicyConfig = {}, stackTags: Record<string, string> = { environment: "prod" }): Promise<PackHarness> {
  const proc = await PolicyPackProcess.start({ packDir: PACK_DIR });
  const info = await proc.getInfo();
  const configure = async (raw: RawPolicyConfig) => proc.configure(resolvePolicyConfig(info, raw, "test config").entries);
  await configure(config);
  await proc.configureStack({ stack: "test", project: "fixture", dryRun: true, config: {}, secretKeys: [], tags: stackTags });
  const of = (r: AnalyzeResult, policy: string) => r.diagnostics.filter((d) => d.policyName === policy);
  return {
    info,
    analyze: (f) => proc.analyze(toInput(f)),
    analyzeStack: (list) => proc.analyzeStack(list.map(toInput)),
    configure,
    close: () => proc.close(),
    of,
    mandatory: (r, p) => of(r, p).filter((d) => d.enforcementLevel === "mandatory"),
    advisory: (r, p) => of(r, p).filter((d) => d.enforcementLevel === "advisory"),
  };
}
