/**
 * Governed exceptions. A policy's config may carry `exceptions`: each entry
 * names the resource (exact URN, or a glob on the URN or the resource name),
 * why it is exempt, who approved it and when it expires. An unexpired match
 * turns a violation into an advisory note naming the exception; an expired
 * entry stops applying (and the violation says so). Policies marked
 * never-exemptible have no `exceptions` config at all.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

export interface ExceptionEntry {
  /** Short identifier, e.g. a ticket number: SEC-1234. */
  id: string;
  /** Exact URN, or a glob (`*`, `?`) matched against the URN or the resource name. */
  resource: string;
  reason: string;
  approver: string;
  /** Last day the exception applies (YYYY-MM-DD, inclusive, UTC). */
  expires: string;
}

export const exceptionsSchema: PolicyConfigJSONSchema = {
  type: "array",
  description: "Governed exceptions: {id, resource (URN or glob on URN/name), reason, approver, expires YYYY-MM-DD}.",
  items: {
    type: "object",
    required: ["id", "resource", "reason", "approver", "expires"],
    additionalProperties: false,
    properties: {
      id: { type: "string", minLength: 1 },
      resource: { type: "string", minLength: 1 },
      reason: { type: "string", minLength: 10 },
      approver: { type: "string", minLength: 1 },
      expires: { type: "string", pattern: "^\\d{4}-\\d{2}-\\d{2}$" },
    },
  },
};

const globCache = new Map<string, RegExp>();
function glob(pattern: string): RegExp {
  let re = globCache.get(pattern);
  if (!re) {
    const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    re = new RegExp(`^${body}$`);
    globCache.set(pattern, re);
  }
  return re;
}

/** Fewest letters or digits a pattern must hold besides wildcards, ':' and the `urn:pulumi:` prefix. */
export const MIN_PATTERN_LITERALS = 3;

/**
 * Why a resource pattern is too broad to be an exception ("*", "**",
 * "*::*", "urn:pulumi:*" would exempt every resource), or undefined when it
 * names something specific.
 */
export function catchAllReason(pattern: string): string | undefined {
  const rest = pattern.startsWith("urn:pulumi:") ? pattern.slice("urn:pulumi:".length) : pattern;
  const literals = rest.replace(/[^A-Za-z0-9]/g, "");
  if (literals.length >= MIN_PATTERN_LITERALS) return undefined;
  return `a resource pattern must name something specific: at least ${MIN_PATTERN_LITERALS} letters or digits besides wildcards (*, ?), punctuation and the urn:pulumi: prefix`;
}

/** True for a real calendar day written YYYY-MM-DD (no 2026-13-45, no 2020-02-30). */
export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A catch-all pattern never matches, even if a config that holds one reaches the pack (defence in depth). */
export function matchesResource(entry: ExceptionEntry, urn: string, name: string | undefined): boolean {
  if (typeof entry.resource !== "string" || catchAllReason(entry.resource)) return false;
  if (entry.resource === urn) return true;
  const re = glob(entry.resource);
  return re.test(urn) || (name !== undefined && re.test(name));
}

/**
 * True while `now` is on or before the expiry day (end of that day, UTC).
 * An expiry that is not a real date fails closed: the entry never applies.
 */
export function isActive(entry: ExceptionEntry, now: Date): boolean {
  if (typeof entry.expires !== "string" || !isCalendarDate(entry.expires)) return false;
  const end = Date.parse(`${entry.expires}T23:59:59.999Z`);
  return Number.isFinite(end) && now.getTime() <= end;
}

export function findException(
  entries: readonly ExceptionEntry[],
  urn: string,
  name: string | undefined,
  now: Date,
): { state: "active" | "expired" | "invalid"; entry: ExceptionEntry } | undefined {
  let inactive: { state: "expired" | "invalid"; entry: ExceptionEntry } | undefined;
  for (const entry of entries) {
    if (!matchesResource(entry, urn, name)) continue;
    if (isActive(entry, now)) return { state: "active", entry };
    inactive ??= { state: typeof entry.expires === "string" && isCalendarDate(entry.expires) ? "expired" : "invalid", entry };
  }
  return inactive;
}

/** The note a violation carries when the matching exception does not apply. */
export function inactiveNote(match: { state: "expired" | "invalid"; entry: ExceptionEntry }): string {
  const { id, expires } = match.entry;
  return match.state === "expired"
    ? `[exception "${id}" expired on ${expires} and no longer applies]`
    : `[exception "${id}" has an invalid expiry date ${JSON.stringify(expires)} (not a real YYYY-MM-DD day) and does not apply]`;
}
