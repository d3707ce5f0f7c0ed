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

/**
 * Secrets by name, built once per check on the first rotation that names
 * its secret literally (so an unknown secret name defers the check exactly
 * when a literal id needed it). Without it every such rotation scanned all
 * secrets: quadratic in a 20,000-resource stack.
 */
export class SecretNames {
  private byName?: Map<string, number[]>;
  /** Distinct name lengths: the only prefixes of an ARN's tail worth looking up. */
  private lengths: number[] = [];

  constructor(
    readonly secrets: readonly PolicyResource[],
    private readonly deferrals: Deferrals,
  ) {}

  /**
   * Secrets whose name equals the id or follows `:secret:` in it. An ARN
   * ends in `<name>-<6 random chars>`, and a name may itself contain `-`,
   * so every known name length is tried as a prefix of the ARN's tail
   * instead of cutting the suffix off.
   */
  match(id: string): PolicyResource[] {
    const byName = this.index();
    const hits = new Set<number>(byName.get(id) ?? []);
    const marker = ":secret:";
    for (let at = id.indexOf(marker); at >= 0; at = id.indexOf(marker, at + 1)) {
      const tail = id.slice(at + marker.length);
      for (const len of this.lengths) {
        if (len > tail.length) break;
        for (const i of byName.get(tail.slice(0, len)) ?? []) hits.add(i);
      }
    }
    return [...hits].sort((a, b) => a - b).map((i) => this.secrets[i]);
  }

  private index(): Map<string, number[]> {
    if (this.byName) return this.byName;
    const byName = new Map<string, number[]>();
    this.secrets.forEach((s, i) => {
      const name = this.deferrals.read(() => s.props.name);
      if (typeof name !== "string") return;
      const list = byName.get(name);
      if (list) list.push(i);
      else byName.set(name, [i]);
    });
    this.lengths = [...new Set([...byName.keys()].map((n) => n.length))].sort((a, b) => a - b);
    return (this.byName = byName);
  }
}

/** Secrets a rotation rotates: through propertyDependencies.secretId (URN), else a literal id equal to a secret's name/ARN. */
export function secretsOfRotation(rotation: PolicyResource, secrets: SecretNames, deferrals: Deferrals): PolicyResource[] {
  const linked = linkedThrough(rotation, "secretId", [SECRET_TYPE]);
  if (linked.length) return linked;
  const id = deferrals.read(() => rotation.props.secretId);
  if (typeof id !== "string" || !id) return [];
  return secrets.match(id);
}

/** Rotations per secret URN. */
export function rotationsBySecret(resources: readonly PolicyResource[], deferrals: Deferrals): Map<string, PolicyResource[]> {
  const secrets = new SecretNames(resources.filter((r) => r.type === SECRET_TYPE), deferrals);
  const out = new Map<string, PolicyResource[]>();
  for (const rotation of resources.filter((r) => r.type === ROTATION_TYPE)) {
    for (const s of secretsOfRotation(rotation, secrets, deferrals)) {
      const list = out.get(s.urn);
      if (list) list.push(rotation);
      else out.set(s.urn, [rotation]);
    }
  }
  return out;
}
