/**
 * Policy pack config, in the file format `pulumi preview --policy-pack-config`
 * takes: { "<policy>": "<level>" | { "enforcementLevel": ..., <props> }, "all": "<level>" }.
 * Validated against each policy's configSchema (the CLI does the same), so a
 * typo in a threshold fails the preview with exit 2 instead of being ignored.
 */
import * as fs from "fs";
import type { EnforcementLevel, PackInfo } from "./analyzer";
import { catchAllReason, ExceptionEntry, isCalendarDate } from "../../policies/lib/exceptions";
import { UsageError } from "./stack-file";

export type RawPolicyConfig = Record<string, unknown>;

export interface ResolvedPolicyConfig {
  /** What Configure receives, one entry per policy. */
  entries: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;
  /** Governed exceptions found in the config, for the report. */
  exceptions: { policy: string; id: string; resource: string; reason: string; approver: string; expires: string }[];
  /** Exemptible policies the config set below their default level (reviewers must see these). */
  weakened: { policy: string; level: EnforcementLevel; default: EnforcementLevel }[];
}

const LEVELS = ["advisory", "mandatory", "disabled", "remediate"];

export function readPolicyConfigFile(file: string): RawPolicyConfig {
  if (!fs.existsSync(file)) throw new UsageError(`policy config file ${file} does not exist`);
  if (fs.statSync(file).isDirectory()) throw new UsageError(`policy config file ${file} is a directory; --policy-config takes a JSON file`);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`policy config file ${file} cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`policy config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new UsageError(`policy config file ${file} must hold a JSON object keyed by policy name`);
  return parsed as RawPolicyConfig;
}

const own = (obj: object | undefined | null, key: string): boolean => !!obj && Object.hasOwn(obj, key);

/**
 * A JSON-schema subset: type, enum, minimum, maximum, minLength, pattern, items, properties, required, additionalProperties.
 * Own properties only: a config key such as "constructor" must not find Object.prototype members.
 */
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
    const props = (schema.properties ?? {}) as Record<string, unknown>;
    for (const r of schema.required ?? []) if (!own(obj, r)) problems.push(`${at}.${r}: is required`);
    for (const [k, v] of Object.entries(obj)) {
      if (own(props, k)) validate(v, props[k], `${at}.${k}`, problems);
      else if (schema.additionalProperties === false) problems.push(`${at}.${k}: unknown property; allowed: ${Object.keys(props).join(", ") || "none"}`);
    }
  }
}

/** How strongly a level enforces: anything below mandatory lets a violation through. */
const STRENGTH: Record<EnforcementLevel, number> = { mandatory: 3, remediate: 2, advisory: 1, disabled: 0 };
const NEVER_EXEMPTIBLE = "never-exemptible";

/** Checks each governed exception beyond its schema: a real expiry date and a specific resource pattern. */
function checkExceptions(policy: string, list: ExceptionEntry[], problems: string[]): void {
  list.forEach((e, i) => {
    const at = `${policy}.exceptions[${i}] (id ${JSON.stringify(e.id)})`;
    if (!isCalendarDate(e.expires)) problems.push(`${at}.expires: got ${JSON.stringify(e.expires)}; not a real calendar date (YYYY-MM-DD)`);
    const broad = catchAllReason(e.resource);
    if (broad) problems.push(`${at}.resource: got ${JSON.stringify(e.resource)}; ${broad}`);
  });
}

/**
 * Merges pack defaults (initial config), the file's `all` level and each
 * policy's entry; rejects unknown policies, unknown properties and values
 * outside the schema, naming the policy, the property and what is allowed.
 * Never-exemptible policies stay mandatory whatever the file says; an
 * exemptible policy the file makes weaker is listed in `weakened`.
 */
export function resolvePolicyConfig(info: PackInfo, raw: RawPolicyConfig, source: string): ResolvedPolicyConfig {
  const problems: string[] = [];
  const byName = new Map(info.policies.map((p) => [p.name, p]));
  const fixed = info.policies.filter((p) => p.tags.includes(NEVER_EXEMPTIBLE)).map((p) => p.name);
  const given = (name: string): unknown => (own(raw, name) ? raw[name] : undefined);
  let all: EnforcementLevel | undefined;
  const rawAll = given("all");
  if (rawAll !== undefined) {
    if (typeof rawAll !== "string" || !LEVELS.includes(rawAll)) problems.push(`all: got ${JSON.stringify(rawAll)}; allowed: ${LEVELS.join(", ")}`);
    else if (rawAll !== "mandatory" && fixed.length) {
      problems.push(
        `all: got ${JSON.stringify(rawAll)}; "all" may only be "mandatory" in pack ${info.name}: these policies are never-exemptible and cannot be weakened: ${fixed.join(", ")}`,
      );
    } else all = rawAll as EnforcementLevel;
  }
  for (const key of Object.keys(raw)) {
    if (key !== "all" && !byName.has(key)) problems.push(`${key}: no such policy in pack ${info.name}`);
  }
  const entries: ResolvedPolicyConfig["entries"] = {};
  const collected: { policy: string; list: ExceptionEntry[] }[] = [];
  const weakened: ResolvedPolicyConfig["weakened"] = [];
  for (const policy of info.policies) {
    const initial = own(info.initialConfig, policy.name) ? info.initialConfig[policy.name] : undefined;
    const defaultLevel: EnforcementLevel = initial?.enforcementLevel ?? policy.enforcementLevel;
    let level: EnforcementLevel = all ?? defaultLevel;
    let levelKey = all ? "all" : policy.name;
    const properties: Record<string, unknown> = { ...(initial?.properties ?? {}) };
    const entry = given(policy.name);
    if (typeof entry === "string") {
      if (!LEVELS.includes(entry)) problems.push(`${policy.name}: got ${JSON.stringify(entry)}; allowed enforcement levels: ${LEVELS.join(", ")}`);
      else [level, levelKey] = [entry as EnforcementLevel, policy.name];
    } else if (entry && typeof entry === "object" && !Array.isArray(entry)) {
      const { enforcementLevel, ...props } = entry as Record<string, unknown>;
      if (enforcementLevel !== undefined) {
        if (typeof enforcementLevel !== "string" || !LEVELS.includes(enforcementLevel)) problems.push(`${policy.name}.enforcementLevel: got ${JSON.stringify(enforcementLevel)}; allowed: ${LEVELS.join(", ")}`);
        else [level, levelKey] = [enforcementLevel as EnforcementLevel, `${policy.name}.enforcementLevel`];
      }
      const schema = { type: "object", properties: policy.configSchema?.properties ?? {}, required: policy.configSchema?.required ?? [], additionalProperties: false };
      const before = problems.length;
      validate(props, schema, policy.name, problems);
      if (problems.length === before) {
        Object.assign(properties, props);
        if (Array.isArray(props.exceptions)) collected.push({ policy: policy.name, list: props.exceptions as ExceptionEntry[] });
      }
    } else if (entry !== undefined) {
      problems.push(`${policy.name}: got ${JSON.stringify(entry)}; expected an enforcement level or an object`);
    }
    if (fixed.includes(policy.name) && STRENGTH[level] < STRENGTH[defaultLevel]) {
      problems.push(`${levelKey}: got ${JSON.stringify(level)}; ${policy.name} is never-exemptible: its enforcement level cannot be weakened below ${defaultLevel}`);
    } else if (STRENGTH[level] < STRENGTH[defaultLevel]) {
      weakened.push({ policy: policy.name, level, default: defaultLevel });
    }
    entries[policy.name] = { enforcementLevel: level, properties };
  }
  for (const { policy, list } of collected) checkExceptions(policy, list, problems);
  if (problems.length) throw new UsageError(`invalid policy config (${source}):\n  - ${problems.join("\n  - ")}`);
  const exceptions = collected.flatMap(({ policy, list }) => list.map((e) => ({ ...e, policy })));
  return { entries, exceptions, weakened };
}
