import { z } from "zod";
import { awsSchedule, pgIdentifier } from "../common";

/** `duespark-ops:access` — MFA-only shell access and patching (runbook: Access Controls, Security Maintenance). */
export const accessSchema = z.strictObject({
  /** The engineers' IAM principal that receives the shell-access policy. */
  engineers: z.strictObject({
    kind: z.enum(["group", "role"]),
    name: z.string().regex(/^[\w+=,.@-]{1,128}$/, { error: "must be an IAM group or role name" }),
  }),
  /**
   * Where MFA is enforced. `iam`: policies require aws:MultiFactorAuthPresent.
   * `identity-provider`: engineers sign in through IAM Identity Center / SAML,
   * where that key is never set, so MFA is enforced at the identity provider.
   */
  mfaEnforcement: z.enum(["iam", "identity-provider"]),
  sessionIdleTimeoutMinutes: z.number().int().min(1).max(60),
  maxSessionDurationMinutes: z.number().int().min(1).max(1440),
  /** Tag that marks instances engineers may open a shell on. */
  shellAccessTag: z.strictObject({ key: z.string().min(1), value: z.string().min(1) }),
  /** Engineer IAM user name -> OS user the shell runs as (run-as per engineer). */
  runAsUsers: z.record(z.string().min(1), pgIdentifier),
  /** OS user for sessions of engineers without their own run-as user (never root or ssm-user with sudo). */
  runAsDefaultUser: pgIdentifier,
  patching: z.strictObject({
    operatingSystem: z.enum(["AMAZON_LINUX_2023", "AMAZON_LINUX_2", "UBUNTU"]),
    approveAfterDays: z.number().int().min(0).max(100),
    maintenanceWindowSchedule: awsSchedule,
    maintenanceWindowHours: z.number().int().min(1).max(24),
  }),
});
export type AccessConfig = z.infer<typeof accessSchema>;
