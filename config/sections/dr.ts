import { z } from "zod";
import { hostname } from "../common";

const arn = (what: string) =>
  z.string().regex(/^arn:aws[\w-]*:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/, { error: `${what} must be an ARN (arn:<partition>:<service>:<region>:<account>:...)` });

/**
 * What the recovery stack needs from the primary stack. The keys are the
 * primary stack's output names, so the same object serves as the
 * StackReference answer and as the config fallback when the primary's
 * state is unreachable (region down, other backend).
 */
export const primaryOutputsSchema = z.strictObject({
  /** Secrets Manager name prefix of the primary's secrets (their replicas keep the same names). */
  secretNamePrefix: z.string().regex(/^[\w/+=.@-]+$/, { error: "must be a secret name prefix such as duespark/prod" }),
  /** KMS replica key of the primary's data key, in this stack's region: recovery points and secret replicas are under it. */
  replicaKeyArn: arn("replicaKeyArn"),
  /** Replicated automated backups of the primary database in this stack's region (point-in-time restore). */
  drAutomatedBackupsArn: arn("drAutomatedBackupsArn").optional(),
  /** The primary's AWS Backup vault in this stack's region (copied recovery points). */
  drBackupVaultArn: arn("drBackupVaultArn").optional(),
  /** Replicas, in this stack's region, of the secrets the recovery stack adopts instead of creating. */
  secretReplicaArns: z.strictObject({
    jwt: arn("secretReplicaArns.jwt"),
    apiKeys: z.record(z.string(), arn("secretReplicaArns.apiKeys.<name>")),
  }),
});
export type PrimaryOutputs = z.infer<typeof primaryOutputsSchema>;

/** `duespark-ops:dr` — disaster recovery (RTO 4 h, RPO 24 h). */
export const drSchema = z
  .strictObject({
    /** `primary` runs the service; `recovery` rebuilds it in this stack's region from the primary's backups. */
    role: z.enum(["primary", "recovery"]),
    /** Fully qualified stack name of the primary, read through a StackReference when it exists. */
    primaryStack: z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, { error: "must be org/project/stack" }).optional(),
    /** Fallback for the primary's outputs (used for any output the StackReference does not have, or without primaryStack). */
    primaryOutputs: primaryOutputsSchema.optional(),
    /**
     * Recovery only. `pitr`: point-in-time restore to the latest restorable time of the
     * replicated automated backups (RPO minutes). `snapshot`: restore a given recovery
     * point (AWS Backup copy or RDS snapshot in this region), e.g. to go back before a corruption.
     */
    restore: z
      .strictObject({
        source: z.enum(["pitr", "snapshot"]).default("pitr"),
        snapshotIdentifier: z.string().min(1).optional(),
      })
      .default({ source: "pitr" }),
    /** Route 53 hosted zone and the failover record name. */
    hostedZoneName: hostname,
    recordName: hostname,
  })
  .superRefine((dr, ctx) => {
    if (dr.role === "recovery" && !dr.primaryStack && !dr.primaryOutputs) {
      ctx.addIssue({ code: "custom", path: ["primaryStack"], input: dr.primaryStack, message: "a recovery stack needs primaryStack (StackReference) or primaryOutputs (config fallback)" });
    }
    if (dr.restore.source === "snapshot" && !dr.restore.snapshotIdentifier) {
      ctx.addIssue({ code: "custom", path: ["restore", "snapshotIdentifier"], input: undefined, message: "restore.source snapshot needs restore.snapshotIdentifier (a recovery point or snapshot ARN in this region)" });
    }
    if (dr.role === "recovery" && dr.restore.source === "pitr" && !dr.primaryStack && !dr.primaryOutputs?.drAutomatedBackupsArn) {
      ctx.addIssue({ code: "custom", path: ["primaryOutputs", "drAutomatedBackupsArn"], input: undefined, message: "point-in-time restore needs the replicated automated backups ARN (primaryStack or primaryOutputs.drAutomatedBackupsArn)" });
    }
    if (!dr.recordName.endsWith(`.${dr.hostedZoneName}`) && dr.recordName !== dr.hostedZoneName) {
      ctx.addIssue({ code: "custom", path: ["recordName"], input: dr.recordName, message: `must be inside the hosted zone ${dr.hostedZoneName}` });
    }
  });
export type DrConfig = z.infer<typeof drSchema>;
