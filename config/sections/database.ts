import { z } from "zod";
import { pgIdentifier, positiveInt } from "../common";

/** `duespark-ops:database` — production PostgreSQL and its roles (runbook: Database Access). */
export const databaseSchema = z.strictObject({
  instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS instance class such as db.r6g.large" }),
  engineVersion: z.string().regex(/^1[4-9](\.\d+)?$/, { error: "must be a PostgreSQL major(.minor) version from 14 up, e.g. 16.4" }),
  allocatedStorageGb: z.number().int().min(20).max(65536),
  maxAllocatedStorageGb: z.number().int().min(20).max(65536),
  multiAz: z.boolean(),
  /** Automated backup retention (point-in-time recovery window), 7..35 days. */
  backupRetentionDays: z.number().int().min(7, { error: "backup retention must be at least 7 days" }).max(35, { error: "RDS keeps automated backups for at most 35 days" }),
  databaseName: pgIdentifier,
  masterUsername: pgIdentifier,
  /** Group role (NOLOGIN) that runs migrations and owns every schema object. */
  ownerRole: pgIdentifier,
  /** Group role the application's rotating users are members of. */
  appRole: pgIdentifier,
  readonlyRole: z.strictObject({
    name: pgIdentifier.default("developer_readonly"),
    connectionLimit: positiveInt("database.readonlyRole.connectionLimit").max(100),
    statementTimeoutMs: positiveInt("database.readonlyRole.statementTimeoutMs"),
  }),
  adminGroup: pgIdentifier,
  /** Named engineers in the admin group: the runbook allows 2-3 admins; at least one is required. */
  admins: z.array(pgIdentifier).min(1, { error: "at least 1 database admin is required" }).max(3, { error: "the runbook allows at most 3 database admins" }),
  /** Time allowed for the old application user's sessions to drain before it is dropped. */
  rotationDrainMinutes: z.number().int().min(1).max(120).default(15),
});
export type DatabaseConfig = z.infer<typeof databaseSchema>;
