/**
 * Secrets Manager facts shared by the secrets policies: secret classes and
 * their rotation maxima (runbook: JWT 90 d, DB credentials 180 d, API keys
 * 365 d), AWS-managed key detection, and linking a SecretRotation to its
 * Secret by URN (ids and ARNs are unknown in a preview; property
 * dependencies are not).
 */
import type { PolicyResource } from "@pulumi/policy";
import { Deferrals, linkedThrough, tagValue, TAGS } from "./props";

export const SECRET_TYPE = "aws:secretsmanager/secret:Secret";
export const ROTATION_TYPE = "aws:secretsmanager/secretRotation:SecretRotation";

export const SECRET_CLASSES = ["jwt", "database", "api-key", "managed"] as const;
export type SecretClass = (typeof SECRET_CLASSES)[number];

/** Runbook maxima in days per rotated class. */
export const RUNBOOK_MAX_DAYS = { jwt: 90, database: 180, "api-key": 365 } as const;
export type RotatedClass = keyof typeof RUNBOOK_MAX_DAYS;

/** JSON schema of a `maxDays` config object (one entry per rotated class). */
export const maxDaysSchema = {
  type: "object",
  description: "Longest allowed rotation interval in days per secret class.",
  additionalProperties: false,
  properties: {
    jwt: { type: "integer", minimum: 1, maximum: 365 },
    database: { type: "integer", minimum: 1, maximum: 365 },
    "api-key": { type: "integer", minimum: 1, maximum: 1000 },
  },
} as const;

/** The secret's class tag (lower-cased), or undefined when absent or not a known class. */
export function secretClassOf(props: Record<string, any>): SecretClass | undefined {
  const v = tagValue(props, TAGS.secretClass)?.trim().toLowerCase();
  return (SECRET_CLASSES as readonly string[]).includes(v ?? "") ? (v as SecretClass) : undefined;
}

/** True for the AWS-managed key of a service: alias/aws/<service>, by alias name or alias ARN. */
export function isAwsManagedKey(keyId: string, service: string): boolean {
  return new RegExp(`(^|:)alias/aws/${service}$`, "i").test(keyId.trim());
}

/** Secrets a rotation rotates: through propertyDependencies.secretId (URN), else a literal id equal to a secret's name/ARN. */
export function secretsOfRotation(rotation: PolicyResource, secrets: readonly PolicyResource[], deferrals: Deferrals): PolicyResource[] {
  const linked = linkedThrough(rotation, "secretId", [SECRET_TYPE]);
  if (linked.length) return linked;
  const id = deferrals.read(() => rotation.props.secretId);
  if (typeof id !== "string" || !id) return [];
  return secrets.filter((s) => {
    const name = deferrals.read(() => s.props.name);
    return name === id || (typeof name === "string" && id.includes(`:secret:${name}`));
  });
}

/** Rotations per secret URN. */
export function rotationsBySecret(resources: readonly PolicyResource[], deferrals: Deferrals): Map<string, PolicyResource[]> {
  const secrets = resources.filter((r) => r.type === SECRET_TYPE);
  const out = new Map<string, PolicyResource[]>();
  for (const rotation of resources.filter((r) => r.type === ROTATION_TYPE)) {
    for (const s of secretsOfRotation(rotation, secrets, deferrals)) out.set(s.urn, [...(out.get(s.urn) ?? []), rotation]);
  }
  return out;
}
