/**
 * Redaction for every report: wire-form secrets become "[secret]" (the
 * fact that a value is secret is kept), unknowns become "(unknown)", and
 * any remaining occurrence of a known secret value is scrubbed.
 */
import { SECRET_SIG_KEY, SECRET_SIG_VALUE } from "../engine";
import { UNKNOWN } from "../mock-outputs";
import { redactText } from "../run-preview";

export const SECRET_MARK = "[secret]";
export const UNKNOWN_MARK = "(unknown)";

export function redactValue(value: unknown, secretValues: readonly string[]): unknown {
  if (value === UNKNOWN) return UNKNOWN_MARK;
  if (typeof value === "string") return redactText(value, secretValues);
  if (Array.isArray(value)) return value.map((v) => redactValue(v, secretValues));
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SECRET_SIG_KEY] === SECRET_SIG_VALUE) return SECRET_MARK;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(obj)) out[k] = redactValue(v, secretValues);
    return out;
  }
  return value;
}
