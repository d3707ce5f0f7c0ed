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

export function matchesResource(entry: ExceptionEntry, urn: string, name: string | undefined): boolean {
  if (entry.resource === urn) return true;
  const re = glob(entry.resource);
  return re.test(urn) || (name !== undefined && re.test(name));
}

/** True while `now` is on or before the expiry day (end of that day, UTC). */
export function isActive(entry: ExceptionEntry, now: Date): boolean {
  const end = Date.parse(`${entry.expires}T23:59:59.999Z`);
  return Number.isFinite(end) && now.getTime() <= end;
}

export function findException(
  entries: readonly ExceptionEntry[],
  urn: string,
  name: string | undefined,
  now: Date,
): { state: "active" | "expired"; entry: ExceptionEntry } | undefined {
  let expired: ExceptionEntry | undefined;
  for (const entry of entries) {
    if (!matchesResource(entry, urn, name)) continue;
    if (isActive(entry, now)) return { state: "active", entry };
    expired ??= entry;
  }
  return expired ? { state: "expired", entry: expired } : undefined;
}
