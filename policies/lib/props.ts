/**
 * Reading resource props inside checks. Props arrive deserialized (secrets
 * unwrapped) behind the SDK's unknown-checking proxy: reading an unknown
 * value throws the SDK's UnknownValueError, which the SDK reports as an
 * advisory "can't run ... during preview" note. Helpers here never swallow
 * that error for good: `tryKnown` and `Deferrals` let a check skip one
 * unknown piece, finish everything it can decide, and rethrow at the end.
 *
 * Exports are shared across policy families; keep them stable.
 */
import type { PolicyResource } from "@pulumi/policy";

/** Tag keys the pack reads. Mirrors components/shared/tags.ts (the pack is self-contained). */
export const TAGS = {
  /** jwt | database | api-key | managed */
  secretClass: "duespark:secret-class",
  /** Days within which a hand-rotated (api-key class) secret must be rotated. */
  rotationDays: "duespark:rotation-days",
} as const;

// The SDK does not export UnknownValueError in its typings; its module does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...a: never[]) => Error };

/** True for the error the SDK's proxy throws when an unknown (preview) value is read. */
export function isUnknownValueError(e: unknown): boolean {
  return e instanceof UnknownValueError;
}

export type Known<T> = { known: true; value: T } | { known: false; error: Error };

/** Runs `read`; an unknown value yields `{known: false}` instead of throwing. Other errors propagate. */
export function tryKnown<T>(read: () => T): Known<T> {
  try {
    return { known: true, value: read() };
  } catch (e) {
    if (isUnknownValueError(e)) return { known: false, error: e as Error };
    throw e;
  }
}

/**
 * Collects unknown-value errors so a check can decide everything that is
 * known and still defer the rest: call `finish()` last; it rethrows the
 * first unknown-value error, which the SDK turns into its advisory note.
 */
export class Deferrals {
  private first: Error | undefined;
  /** The value, or undefined when it is unknown (remembered for `finish`). */
  read<T>(read: () => T): T | undefined {
    const r = tryKnown(read);
    if (r.known) return r.value;
    this.first ??= r.error;
    return undefined;
  }
  /** Runs a piece of the check; an unknown value stops that piece only. */
  run(piece: () => void): void {
    this.read(piece);
  }
  /** Remembers an unknown-value error obtained elsewhere (e.g. from `tryKnown`). */
  defer(error: Error): void {
    this.first ??= error;
  }
  get deferred(): boolean {
    return this.first !== undefined;
  }
  finish(): void {
    if (this.first) throw this.first;
  }
}

/** Set, or unknown (an output computed later is a value, just not yet known). */
export function isSetOrUnknown(read: () => unknown): boolean {
  const r = tryKnown(read);
  return !r.known || isSet(r.value);
}

/** Set = not undefined/null/empty string. Reading an unknown value throws (defer). */
export function isSet(v: unknown): boolean {
  return v !== undefined && v !== null && v !== "";
}

/** Scalar, array or nothing -> array (IAM and AWS props accept both shapes). */
export function asArray<T>(v: T | readonly T[] | undefined | null): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? [...(v as T[])] : [v as T];
}

/** A plain object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Case-insensitive own-key lookup on a plain object. */
export function getCaseInsensitive(obj: unknown, key: string): unknown {
  if (!isObject(obj)) return undefined;
  if (key in obj) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/**
 * A resource's tags: `tagsAll` (provider default tags merged in, computed)
 * overlaid with `tags`. An unknown `tagsAll` is ignored (it is computed in
 * every preview); an unknown `tags` map throws (defer).
 */
export function tagsOf(props: Record<string, any>): Record<string, string> {
  const all = tryKnown(() => props.tagsAll);
  const base = all.known && isObject(all.value) ? { ...all.value } : {};
  const own = props.tags;
  return { ...base, ...(isObject(own) ? own : {}) } as Record<string, string>;
}

/** One tag's value, key matched case-insensitively; undefined when absent. */
export function tagValue(props: Record<string, any>, key: string): string | undefined {
  const v = getCaseInsensitive(tagsOf(props), key);
  return typeof v === "string" ? v : undefined;
}

export type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

/** A JSON document given as a string or as an object (IAM/KMS policies, SSM content). */
export function parseJsonOrObject(v: unknown): Parsed<any> {
  if (isObject(v) || Array.isArray(v)) return { ok: true, value: v };
  if (typeof v !== "string") return { ok: false, reason: `expected a JSON document, got ${v === null ? "null" : typeof v}` };
  try {
    return { ok: true, value: JSON.parse(v) };
  } catch (e) {
    return { ok: false, reason: `not valid JSON (${(e as Error).message})` };
  }
}

/** Integer from a number or a numeric string; undefined otherwise. */
export function toInt(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number.parseInt(v, 10);
  return undefined;
}

/** true for boolean true or the string "true" (SSM documents and IAM conditions use strings). */
export function isTrue(v: unknown): boolean {
  return v === true || (typeof v === "string" && v.toLowerCase() === "true");
}

/** A regex from config, anchored as written, case-insensitive. */
export function configRegex(pattern: string): RegExp {
  return new RegExp(pattern, "i");
}

/**
 * Resources of `types` that `from` references through the property `prop`
 * (property dependencies carry URNs, so this works while ids and ARNs are
 * still unknown in a preview). Falls back to plain dependencies only when
 * the property has no dependency record at all.
 */
export function linkedThrough(from: PolicyResource, prop: string, types: readonly string[]): PolicyResource[] {
  const byProp = from.propertyDependencies?.[prop];
  const pool = byProp && byProp.length ? byProp : from.propertyDependencies && prop in from.propertyDependencies ? [] : from.dependencies;
  return (pool ?? []).filter((r) => types.includes(r.type));
}

/** A resource's physical-ish name for messages and matching: props.name when known, else the logical name. */
export function displayName(r: { name: string; props: Record<string, any> }): string {
  const n = tryKnown(() => r.props.name);
  return n.known && typeof n.value === "string" && n.value ? n.value : r.name;
}
