import { z } from "zod";

/** `duespark-ops:keys` — customer-managed KMS keys. */
export const keysSchema = z.strictObject({
  /** KMS waits this long before deleting a key; the runbook wants the maximum, 30. */
  deletionWindowDays: z.number().int().min(7, { error: "KMS accepts a deletion window of 7 to 30 days" }).max(30, { error: "KMS accepts a deletion window of 7 to 30 days" }).default(30),
  /**
   * IAM role names (in the stack's account) allowed to administer the keys. The only administrators:
   * the role running `pulumi up` must be one of them (KMS rejects a policy that locks its creator out).
   */
  administratorRoleNames: z.array(z.string().regex(/^[\w+=,.@-]{1,64}$/, { error: "must be an IAM role name" })).min(1, { error: "at least one key administrator role is required" }),
});
export type KeysConfig = z.infer<typeof keysSchema>;
