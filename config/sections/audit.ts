import { z } from "zod";

/** `duespark-ops:audit` — Compliance & Auditing (7-year audit logs). */
export const auditSchema = z.strictObject({
  /** CloudWatch accepts 2557 for seven years; S3 Object Lock uses the same days. */
  retentionDays: z.number().int().min(2557, { error: "audit logs are kept at least 7 years (2557 days)" }),
  /** Days before audit objects move to archival storage. */
  archiveAfterDays: z.number().int().min(30).max(365),
});
export type AuditConfig = z.infer<typeof auditSchema>;
