/**
 * Presence checks that do not read values. Reading a property through the
 * SDK's proxy throws when it is unknown; asking whether it is there does
 * not have to: an ARN that is unknown in a preview is still set, and a
 * check that only needs "is a destination given" can decide now.
 *
 * The proxy has no getOwnPropertyDescriptor trap, so the descriptor comes
 * from the raw object and carries the raw value (or the unknown sentinel).
 */

// The SDK's sentinels for unknown values (module marked internal, stable since 1.x).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const proxy = require("@pulumi/policy/proxy") as Record<string, unknown>;
const SENTINELS = new Set(
  ["unknownBooleanValue", "unknownNumberValue", "unknownStringValue", "unknownArrayValue", "unknownAssetValue", "unknownArchiveValue", "unknownObjectValue"].map((k) => proxy[k]),
);

/** The raw value of obj[key] (never throws; an unknown value comes back as its sentinel). */
export function rawValue(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== "object") return undefined;
  return Object.getOwnPropertyDescriptor(obj, key)?.value;
}

export function isUnknownValue(v: unknown): boolean {
  return SENTINELS.has(v);
}

/** obj[key] is unknown (computed, preview). */
export function isUnknownAt(obj: unknown, key: string): boolean {
  return isUnknownValue(rawValue(obj, key));
}

/** obj[key] is given: known and non-empty, or unknown (it will have a value). */
export function isPresent(obj: unknown, key: string): boolean {
  const v = rawValue(obj, key);
  if (v === undefined || v === null || v === "") return false;
  if (Array.isArray(v)) return v.length > 0;
  return true;
}
