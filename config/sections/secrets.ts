import { z } from "zod";
import { days } from "../common";

/** `duespark-ops:secrets` — the runbook's Secret Rotation Schedule. */
export const secretsSchema = z.strictObject({
  rotationDays: z.strictObject({
    jwt: days("secrets.rotationDays.jwt").default(90),
    database: days("secrets.rotationDays.database").default(180),
    apiKeys: days("secrets.rotationDays.apiKeys").default(365),
  }),
  /** Secrets Manager keeps a deleted secret recoverable for this many days (7..30). */
  recoveryWindowDays: z.number().int().min(7).max(30).default(30),
  /** Minutes the previous JWT key stays valid after rotation; 0 = runbook default (tokens invalid at once). */
  jwtVerificationOverlapMinutes: z.number().int().min(0).max(1440).default(0),
  /** Days before an API key's rotation is due when a Slack warning is raised. */
  apiKeyReminderDays: days("secrets.apiKeyReminderDays").default(30),
  /** Third-party API keys: issued by the vendor, rotated by hand within the obligation. */
  apiKeys: z
    .array(z.strictObject({
      name: z.string().regex(/^[a-z][a-z0-9-]{1,40}$/, { error: "must be a short lower-case name such as stripe" }),
      envVar: z.string().regex(/^[A-Z][A-Z0-9_]*$/, { error: "must be an environment variable name such as STRIPE_SECRET_KEY" }),
      vendor: z.string().min(1),
    }))
    .min(1),
  /** How often External Secrets Operator re-reads Secrets Manager (Go duration). */
  refreshInterval: z.string().regex(/^\d+(s|m|h)$/, { error: "must be a duration such as 1h or 15m" }).default("1h"),
});
export type SecretsConfig = z.infer<typeof secretsSchema>;
