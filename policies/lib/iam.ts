/**
 * IAM policy documents (identity, key and resource policies) as checks see
 * them: a JSON string or an object whose Statement is one object or an
 * array, Action/NotAction strings or arrays with `*` and `?` wildcards,
 * Condition operators with IfExists / ForAnyValue: / ForAllValues: forms,
 * and principals as "*" or {AWS|Service|Federated|CanonicalUser: ...}.
 *
 * Exports are shared across policy families; keep them stable.
 */
import { asArray, isObject, parseJsonOrObject, Parsed } from "./props";

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny" | string;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Principal?: unknown;
  NotPrincipal?: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

/** Parses a document (string or object) and returns its statements as an array. */
export function parseStatements(doc: unknown): Parsed<Statement[]> {
  const parsed = parseJsonOrObject(doc);
  if (!parsed.ok) return parsed;
  if (!isObject(parsed.value)) return { ok: false, reason: "the policy document is not a JSON object" };
  const raw = parsed.value.Statement ?? parsed.value.statement;
  if (raw === undefined) return { ok: false, reason: "the policy document has no Statement" };
  const list = asArray(raw);
  if (!list.every(isObject)) return { ok: false, reason: "a Statement entry is not an object" };
  return { ok: true, value: list as Statement[] };
}

/** "Sid" or "#index" for messages. */
export function statementLabel(s: Statement, index: number): string {
  return s.Sid ? `statement "${s.Sid}"` : `statement #${index + 1}`;
}

export function isAllow(s: Statement): boolean {
  return String(s.Effect).toLowerCase() === "allow";
}

export function isDeny(s: Statement): boolean {
  return String(s.Effect).toLowerCase() === "deny";
}

const patternCache = new Map<string, RegExp>();
/** IAM action/resource wildcard match: `*` any run, `?` one character, case-insensitive. */
export function wildcardMatch(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`, "i");
    patternCache.set(pattern, re);
  }
  return re.test(value);
}

/**
 * True when the statement covers `action`: one of its Action patterns
 * matches, or it uses NotAction and none of those patterns match.
 */
export function coversAction(s: Statement, action: string): boolean {
  if (s.Action !== undefined) return asArray(s.Action).some((p) => wildcardMatch(String(p), action));
  if (s.NotAction !== undefined) return !asArray(s.NotAction).some((p) => wildcardMatch(String(p), action));
  return false;
}

/** The subset of `actions` the statement covers. */
export function coveredActions(s: Statement, actions: readonly string[]): string[] {
  return actions.filter((a) => coversAction(s, a));
}

/** True when the statement covers at least one action of `service` (e.g. "kms"); NotAction statements always do. */
export function coversService(s: Statement, service: string): boolean {
  if (s.Action !== undefined) {
    const prefix = `${service.toLowerCase()}:`;
    return asArray(s.Action).some((a) => String(a) === "*" || String(a).toLowerCase().startsWith(prefix));
  }
  return s.NotAction !== undefined;
}

/** True when an Action entry is a full-service or global wildcard (`*`, `kms:*`). */
export function hasServiceWildcard(s: Statement, service: string): boolean {
  return asArray(s.Action).some((a) => a === "*" || String(a).toLowerCase() === `${service.toLowerCase()}:*`);
}

export interface ConditionEntry {
  /** Operator as written, e.g. "ForAnyValue:StringLikeIfExists". */
  operator: string;
  /** Operator without set prefix or IfExists suffix, e.g. "StringLike". */
  base: string;
  ifExists: boolean;
  set?: "ForAnyValue" | "ForAllValues";
  /** Condition key as written (keys are case-insensitive in IAM). */
  key: string;
  values: string[];
}

/** Splits an operator into its set qualifier, base operator and IfExists flag. */
export function parseOperator(operator: string): Pick<ConditionEntry, "base" | "ifExists" | "set"> {
  let rest = operator;
  let set: ConditionEntry["set"];
  const m = /^(ForAnyValue|ForAllValues):(.*)$/i.exec(rest);
  if (m) {
    set = m[1].toLowerCase() === "foranyvalue" ? "ForAnyValue" : "ForAllValues";
    rest = m[2];
  }
  const ifExists = /IfExists$/i.test(rest) && rest.toLowerCase() !== "null";
  if (ifExists) rest = rest.slice(0, -"IfExists".length);
  return { base: rest, ifExists, set };
}

/** Every (operator, key, values) triple of the statement's Condition block. */
export function conditionEntries(s: Statement): ConditionEntry[] {
  const out: ConditionEntry[] = [];
  if (!isObject(s.Condition)) return out;
  for (const [operator, block] of Object.entries(s.Condition)) {
    if (!isObject(block)) continue;
    const op = parseOperator(operator);
    for (const [key, v] of Object.entries(block)) {
      out.push({ operator, ...op, key, values: asArray(v as unknown).map((x) => String(x)) });
    }
  }
  return out;
}

/** Condition entries on `key` (case-insensitive), optionally only for one base operator (case-insensitive). */
export function findConditions(s: Statement, key: string, base?: string): ConditionEntry[] {
  const k = key.toLowerCase();
  return conditionEntries(s).filter((c) => c.key.toLowerCase() === k && (!base || c.base.toLowerCase() === base.toLowerCase()));
}

export interface PrincipalRef {
  /** "*" for the bare wildcard, else AWS | Service | Federated | CanonicalUser. */
  type: string;
  value: string;
}

/** Principals of a Principal (or NotPrincipal) value. */
export function principalsOf(p: unknown): PrincipalRef[] {
  if (p === undefined || p === null) return [];
  if (typeof p === "string") return [{ type: p === "*" ? "*" : "AWS", value: p }];
  if (!isObject(p)) return [];
  const out: PrincipalRef[] = [];
  for (const [type, v] of Object.entries(p)) for (const value of asArray(v as unknown)) out.push({ type, value: String(value) });
  return out;
}

/** True when the statement's Principal includes everyone: "*" or {AWS: "*"} (also inside arrays). */
export function hasPublicPrincipal(s: Statement): boolean {
  return principalsOf(s.Principal).some((r) => r.value === "*" && (r.type === "*" || r.type.toUpperCase() === "AWS"));
}
