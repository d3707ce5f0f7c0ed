/**
 * Policy pack config, in the file format `pulumi preview --policy-pack-config`
 * takes: { "<policy>": "<level>" | { "enforcementLevel": ..., <props> }, "all": "<level>" }.
 * Validated against each policy's configSchema (the CLI does the same), so a
 * typo in a threshold fails the preview with exit 2 instead of being ignored.
 */
import * as fs from "fs";
import type { EnforcementLevel, PackInfo } from "./analyzer";
import { UsageError } from "./stack-file";

export type RawPolicyConfig = Record<string, unknown>;

export interface ResolvedPolicyConfig {
  /** What Configure receives, one entry per policy. */
  entries: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;
  /** Governed exceptions found in the config, for the report. */
  exceptions: { policy: string; id: string; resource: string; reason: string; approver: string; expires: string }[];
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

export function readPolicyConfigFile(file: string): RawPolicyConfig {
  if (!fs.existsSync(file)) throw new UsageError(`policy config file ${file} does not exist`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`policy config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError(`policy config file ${file} must hold a JSON object keyed by policy name`);
  return parsed as RawPolicyConfig;
}

/** A JSON-schema subset: type, enum, minimum, maximum, minLength, pattern, items, properties, required, additionalProperties. */
function validate(value: unknown, schema: any, at: string, problems: string[]): void {
  if (!schema || typeof schema !== "object") return;
  const types: string[] = schema.type ? (Array.isArray(schema.type) ? schema.type : [schema.type]) : [];
  const actual = Array.isArray(value) ? "array" : value === null ? "null" : Number.isInteger(value) ? "integer" : typeof value;
  if (types.length && !types.some((t) => t === actual || (t === "number" && actual === "integer"))) {
    problems.push(`${at}: got ${JSON.stringify(value)} (${actual}); expected ${types.join(" or ")}`);
    return;
  }
  if (schema.enum && !schema.enum.some((e: unknown) => JSON.stringify(e) === JSON.stringify(value))) {
    problems.push(`${at}: got ${JSON.stringify(value)}; allowed: ${schema.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum) problems.push(`${at}: got ${value}; must be >= ${schema.minimum}`);
    if (schema.maximum !== undefined && value > schema.maximum) problems.push(`${at}: got ${value}; must be <= ${schema.maximum}`);
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) problems.push(`${at}: must be at least ${schema.minLength} characters`);
    if (schema.pattern && !new RegExp(schema.pattern).test(value)) problems.push(`${at}: got ${JSON.stringify(value)}; must match ${schema.pattern}`);
  }
  if (Array.isArray(value) && schema.items) value.forEach((v, i) => validate(v, schema.items, `${at}[${i}]`, problems));
  if (actual === "object" && value) {
    const obj = value as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!(r in obj)) problems.push(`${at}.${r}: is required`);
    for (const [k, v] of Object.entries(obj)) {
      if (schema.properties?.[k]) validate(v, schema.properties[k], `${at}.${k}`, problems);
      else if (schema.additionalProperties === false) problems.push(`${at}.${k}: unknown property; allowed: ${Object.keys(schema.properties ?? {}).join(", ")}`);
    }
  }
}

/**
 * Merges pack defaults (initial config), the file's `all` level and each
 * policy's entry; rejects unknown policies, unknown properties and values
 * outside the schema, naming the policy, the property and what is allowed.
 */
export function resolvePolicyConfig(info: PackInfo, raw: RawPolicyConfig, source: string): ResolvedPolicyConfig {
  const problems: string[] = [];
  const byName = new Map(info.policies.map((p) => [p.name, p]));
  let all: EnforcementLevel | undefined;
  if (raw.all !== undefined) {
    if (typeof raw.all !== "string" || !LEVELS.includes(raw.all)) problems.push(`all: got ${JSON.stringify(raw.all)}; allowed: ${LEVELS.join(", ")}`);
    else all = raw.all as EnforcementLevel;
  }
  for (const key of Object.keys(raw)) {
    if (key !== "all" && !byName.has(key)) problems.push(`${key}: no such policy in pack ${info.name}`);
  }
  const entries: ResolvedPolicyConfig["entries"] = {};
  const exceptions: ResolvedPolicyConfig["exceptions"] = [];
  for (const policy of info.policies) {
    const initial = info.initialConfig[policy.name];
    let level: EnforcementLevel = all ?? initial?.enforcementLevel ?? policy.enforcementLevel;
    const properties: Record<string, unknown> = { ...(initial?.properties ?? {}) };
    const given = raw[policy.name];
    if (typeof given === "string") {
      if (!LEVELS.includes(given)) problems.push(`${policy.name}: got ${JSON.stringify(given)}; allowed enforcement levels: ${LEVELS.join(", ")}`);
      else level = given as EnforcementLevel;
    } else if (given && typeof given === "object" && !Array.isArray(given)) {
      const { enforcementLevel, ...props } = given as Record<string, unknown>;
      if (enforcementLevel !== undefined) {
        if (typeof enforcementLevel !== "string" || !LEVELS.includes(enforcementLevel)) problems.push(`${policy.name}.enforcementLevel: got ${JSON.stringify(enforcementLevel)}; allowed: ${LEVELS.join(", ")}`);
        else level = enforcementLevel as EnforcementLevel;
      }
      const schema = { type: "object", properties: policy.configSchema?.properties ?? {}, required: policy.configSchema?.required ?? [], additionalProperties: false };
      validate(props, schema, policy.name, problems);
      Object.assign(properties, props);
    } else if (given !== undefined) {
      problems.push(`${policy.name}: got ${JSON.stringify(given)}; expected an enforcement level or an object`);
    }
    entries[policy.name] = { enforcementLevel: level, properties };
    for (const e of (properties.exceptions as ResolvedPolicyConfig["exceptions"] | undefined) ?? []) exceptions.push({ ...e, policy: policy.name });
  }
  if (problems.length) throw new UsageError(`invalid policy config (${source}):\n  - ${problems.join("\n  - ")}`);
  return { entries, exceptions };
}
