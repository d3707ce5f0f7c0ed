/**
 * Tag keys shared between components and the policy pack. Backup selection
 * and shell access are driven by tags, so their keys live in one place.
 */
export const TAG_KEYS = {
  /** Resources carrying this tag (value BACKUP_PLAN_TAG_VALUE) are selected by the backup plan. */
  backupPlan: "duespark:backup-plan",
  /** Secret class used by the rotation policies: jwt | database | api-key | managed. */
  secretClass: "duespark:secret-class",
  /** Data classification for audit scoping. */
  dataClass: "duespark:data-class",
} as const;

export const BACKUP_PLAN_TAG_VALUE = "runbook";

export type SecretClass = "jwt" | "database" | "api-key" | "managed";

/** Merges stack tags with a component's own; the component's keys win. */
export function withTags(stackTags: Record<string, string> | undefined, own: Record<string, string> = {}): Record<string, string> {
  return { ...(stackTags ?? {}), ...own };
}
