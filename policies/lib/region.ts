/**
 * Where an AWS resource lives. With @pulumi/aws v7 a resource may carry its
 * own `region` input; otherwise it is its provider's `region` (the default
 * provider's comes from the stack's `aws:region`). Provider inputs arrive
 * as strings.
 */
import type { PolicyResource } from "@pulumi/policy";
import { isUnknownAt, rawValue } from "./presence";

/** The resource's region when it is known, else undefined. */
export function regionOf(r: Pick<PolicyResource, "props" | "provider">): string | undefined {
  const own = rawValue(r.props, "region");
  if (typeof own === "string" && own && !isUnknownAt(r.props, "region")) return own;
  const p = r.provider?.props;
  const fromProvider = p ? rawValue(p, "region") : undefined;
  if (typeof fromProvider === "string" && fromProvider && !isUnknownAt(p, "region")) return fromProvider;
  return undefined;
}

/** The region part of an ARN (arn:partition:service:region:account:...), if it has one. */
export function regionOfArn(arn: unknown): string | undefined {
  if (typeof arn !== "string") return undefined;
  const parts = arn.split(":");
  return parts.length >= 6 && parts[0] === "arn" && parts[3] ? parts[3] : undefined;
}

/**
 * Provider default tags. Provider inputs of object type are sent
 * JSON-encoded (`{"tags":{...}}`); accept both shapes.
 */
export function providerDefaultTags(r: Pick<PolicyResource, "provider">): Record<string, string> {
  const p = r.provider?.props;
  if (!p) return {};
  let v = rawValue(p, "defaultTags");
  if (typeof v === "string") {
    try {
      v = JSON.parse(v);
    } catch {
      return {};
    }
  }
  const tags = v && typeof v === "object" ? (v as { tags?: unknown }).tags : undefined;
  if (!tags || typeof tags !== "object") return {};
  return Object.fromEntries(Object.entries(tags as Record<string, unknown>).filter(([, x]) => typeof x === "string")) as Record<string, string>;
}
