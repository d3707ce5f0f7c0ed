import { z } from "zod";
import { awsSchedule, days, positiveInt } from "../common";

const tiers = <T extends z.ZodType>(t: T) => z.strictObject({ daily: t, weekly: t, monthly: t, annual: t });

/** `duespark-ops:backup` — Backup Strategy, Retention Policy, Backup Verification, RTO/RPO. */
export const backupSchema = z
  .strictObject({
    schedules: tiers(awsSchedule),
    retentionDays: z.strictObject({
      daily: days("backup.retentionDays.daily"),
      weekly: days("backup.retentionDays.weekly"),
      monthly: days("backup.retentionDays.monthly"),
      annual: days("backup.retentionDays.annual"),
    }),
    /** Optional move to cold storage per tier (AWS requires deletion >= cold + 90 days). */
    coldStorageAfterDays: z.strictObject({
      daily: days("cold storage").optional(),
      weekly: days("cold storage").optional(),
      monthly: days("cold storage").optional(),
      annual: days("cold storage").optional(),
    }).default({}),
    vaultLock: z.strictObject({
      changeableForDays: z.number().int().min(3, { error: "a compliance-mode lock needs changeableForDays >= 3" }),
      minRetentionDays: days("backup.vaultLock.minRetentionDays"),
      maxRetentionDays: days("backup.vaultLock.maxRetentionDays"),
    }),
    /** Weekly integrity check (runbook: Sunday 03:00). */
    restoreTestingSchedule: awsSchedule,
    restoreValidationWindowHours: z.number().int().min(1).max(168),
    /** Minimum rows the validation expects in each critical table. */
    validation: z.strictObject({
      tables: z.array(z.strictObject({ name: z.string().regex(/^[a-z_][a-z0-9_.]*$/), minRows: z.number().int().min(0) })).min(1),
    }),
    rpoHours: positiveInt("backup.rpoHours"),
    rtoHours: positiveInt("backup.rtoHours"),
  })
  .superRefine((b, ctx) => {
    for (const tier of ["daily", "weekly", "monthly", "annual"] as const) {
      const cold = b.coldStorageAfterDays[tier];
      if (cold !== undefined && b.retentionDays[tier] < cold + 90) {
        ctx.addIssue({ code: "custom", path: ["retentionDays", tier], input: b.retentionDays[tier], message: `must be at least coldStorageAfterDays.${tier} + 90 = ${cold + 90} (AWS Backup keeps cold storage for 90 days minimum)` });
      }
    }
    const shortest = Math.min(...Object.values(b.retentionDays));
    const longest = Math.max(...Object.values(b.retentionDays));
    if (b.vaultLock.minRetentionDays > shortest) {
      ctx.addIssue({ code: "custom", path: ["vaultLock", "minRetentionDays"], input: b.vaultLock.minRetentionDays, message: `must be <= the shortest retention rule (${shortest} days), or the vault lock rejects that rule's recovery points` });
    }
    if (b.vaultLock.maxRetentionDays < longest) {
      ctx.addIssue({ code: "custom", path: ["vaultLock", "maxRetentionDays"], input: b.vaultLock.maxRetentionDays, message: `must be >= the longest retention rule (${longest} days)` });
    }
  });
export type BackupConfig = z.infer<typeof backupSchema>;
