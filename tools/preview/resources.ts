/**
 * Turns captured registrations into what the analyzer protocol carries.
 * Default providers are not registered by the SDK (the engine creates
 * them), so they are synthesised here with the stack's provider config, as
 * the engine would present them to the pack.
 */
import type { AnalyzerResourceInput } from "./analyzer";
import type { CapturedResource } from "./engine";

export interface ProviderContext {
  stack: string;
  project: string;
  /** Engine config (for default provider properties such as aws:region). */
  config: Record<string, string>;
  secretKeys: string[];
}

function packageOf(type: string): string {
  return type.split(":")[0];
}

function defaultProvider(pkg: string, ctx: ProviderContext): NonNullable<AnalyzerResourceInput["provider"]> {
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx.config)) {
    if (!k.startsWith(`${pkg}:`) || ctx.secretKeys.includes(k)) continue;
    properties[k.slice(pkg.length + 1)] = /^\s*[[{]/.test(v) ? safeJson(v) : v;
  }
  const name = `default`;
  return { type: `pulumi:providers:${pkg}`, urn: `urn:pulumi:${ctx.stack}::${ctx.project}::pulumi:providers:${pkg}::${name}`, name, properties };
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

export function toAnalyzerInputs(resources: readonly CapturedResource[], ctx: ProviderContext): AnalyzerResourceInput[] {
  const providers = new Map<string, CapturedResource>();
  for (const r of resources) if (r.type.startsWith("pulumi:providers:")) providers.set(`${r.urn}::${r.id}`, r);
  const defaults = new Map<string, NonNullable<AnalyzerResourceInput["provider"]>>();
  return resources.map((r) => toAnalyzerInput(r, providers, defaults, ctx));
}

export function toAnalyzerInput(
  r: CapturedResource,
  providers: Map<string, CapturedResource>,
  defaults: Map<string, NonNullable<AnalyzerResourceInput["provider"]>>,
  ctx: ProviderContext,
): AnalyzerResourceInput {
  let provider: AnalyzerResourceInput["provider"];
  if (r.custom && !r.type.startsWith("pulumi:providers:")) {
    const explicit = r.provider ? providers.get(r.provider) : undefined;
    if (explicit) {
      provider = { type: explicit.type, urn: explicit.urn, name: explicit.name, properties: explicit.inputs };
    } else {
      const pkg = packageOf(r.type);
      provider = defaults.get(pkg) ?? defaultProvider(pkg, ctx);
      defaults.set(pkg, provider);
    }
  }
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    properties: r.inputs,
    options: {
      protect: r.protect,
      ignoreChanges: r.ignoreChanges,
      deleteBeforeReplace: r.deleteBeforeReplace,
      additionalSecretOutputs: r.additionalSecretOutputs,
      aliases: r.aliases,
      parent: r.parent,
    },
    provider,
    parent: r.parent,
    dependencies: r.dependencies,
    propertyDependencies: r.propertyDependencies,
  };
}
