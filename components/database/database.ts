/**
 * Production PostgreSQL (runbook: Database Access, Backup Strategy,
 * encryption at rest and in transit, audit logging).
 *
 * - Private: in the network's private subnets, database security group,
 *   never publicly accessible.
 * - Encrypted at rest with the stack's CMK; TLS forced (rds.force_ssl=1).
 * - The master password is generated and rotated by RDS in Secrets Manager
 *   (manageMasterUserPassword), encrypted with the CMK: it never exists in
 *   this program or its state.
 * - IAM database authentication for people (admins, read-only developers).
 * - pgaudit: DDL, role and write statements for everyone. Human roles get
 *   every statement logged through a role-level setting
 *   (`ALTER ROLE <name> SET pgaudit.log = 'all'`, see docs/RUNBOOK-DATABASE.md).
 * - Point-in-time recovery (automated backups, retention >= 7 days),
 *   replicated to the DR region with the DR replica key; the backup plan
 *   selects the instance by tag for the daily/weekly/monthly/annual copies.
 * - Recovery stacks (`restore`) start from the primary's latest recovery
 *   point in this region instead of an empty database.
 * - Logs exported to CloudWatch into log groups created here first, with the
 *   7-year audit retention and the CMK (RDS would otherwise create them
 *   unencrypted with infinite retention).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseConfig } from "../../config/sections/database";
import { ConfigError } from "../../config/load";
import { BACKUP_PLAN_TAG_VALUE, TAG_KEYS, withTags } from "../shared/tags";
import { PolicyDocument, serviceTrust, toJson } from "../shared/iam";
import type { Network } from "../network/network";
import { POSTGRES_PORT } from "../network/network";

export const DATABASE_TYPE = "duespark:database:Database";

/** CloudWatch's seven-year retention step; audit logs are kept this long. */
export const DATABASE_LOG_RETENTION_DAYS = 2557;

export const DATABASE_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** Parameter group settings and how RDS applies each (static ones need a reboot). */
export const DATABASE_PARAMETERS: ReadonlyArray<{ name: string; value: string; applyMethod: "immediate" | "pending-reboot" }> = [
  { name: "rds.force_ssl", value: "1", applyMethod: "immediate" },
  { name: "ssl_min_protocol_version", value: "TLSv1.2", applyMethod: "immediate" },
  { name: "password_encryption", value: "scram-sha-256", applyMethod: "immediate" },
  { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit", applyMethod: "pending-reboot" },
  { name: "pgaudit.log", value: "ddl,role,write", applyMethod: "immediate" },
  { name: "pgaudit.log_parameter", value: "0", applyMethod: "immediate" },
  // Object-level auditing through grants to this role (RDS convention).
  { name: "pgaudit.role", value: "rds_pgaudit", applyMethod: "immediate" },
  { name: "log_connections", value: "1", applyMethod: "immediate" },
  { name: "log_disconnections", value: "1", applyMethod: "immediate" },
  { name: "log_min_duration_statement", value: "5000", applyMethod: "immediate" },
];

export interface DatabaseArgs {
  config: DatabaseConfig;
  network: Network;
  kmsKey: aws.kms.Key;
  drKmsKey: aws.kms.ReplicaKey;
  drProvider: aws.Provider;
  protect: boolean;
  tags?: Record<string, string>;
  /**
   * Recovery stacks: create the instance from the primary's data instead of
   * empty. Point-in-time restore to the latest restorable time of replicated
   * automated backups, or a given recovery point (snapshot / AWS Backup copy).
   * Storage stays under `kmsKeyArn`, the key the recovery point is encrypted
   * with (the primary key's replica in this region), so nothing is re-encrypted.
   */
  restore?: DatabaseRestore;
}

export type DatabaseRestore =
  | { source: "pitr"; automatedBackupsArn: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> }
  | { source: "snapshot"; snapshotIdentifier: pulumi.Input<string>; kmsKeyArn: pulumi.Input<string> };

export class Database extends pulumi.ComponentResource {
  readonly instance: aws.rds.Instance;
  readonly arn: pulumi.Output<string>;
  readonly endpoint: pulumi.Output<string>;
  readonly address: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  readonly identifier: pulumi.Output<string>;
  /** ARN of the RDS-managed master user secret (rotated by RDS). */
  readonly masterSecretArn: pulumi.Output<string>;
  readonly resourceId: pulumi.Output<string>;
  readonly databaseName: string;
  readonly masterUsername: string;
  /** The validated config the instance was built from (role names, drain time). */
  readonly config: DatabaseConfig;
  readonly logGroups: aws.cloudwatch.LogGroup[];
  /** Automated backups replicated to the DR region; its id is the replicated backups' ARN there. */
  readonly drBackupsReplication: aws.rds.InstanceAutomatedBackupsReplication;

  constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args);
    super(DATABASE_TYPE, name, {}, opts);
    const { config, network, kmsKey, restore } = args;
    const stack = pulumi.getStack();
    const identifier = `duespark-${stack}`;
    const major = config.engineVersion.split(".")[0];
    const tags = withTags(args.tags, {
      Name: identifier,
      [TAG_KEYS.backupPlan]: BACKUP_PLAN_TAG_VALUE,
      [TAG_KEYS.dataClass]: "confidential",
    });

    this.logGroups = DATABASE_LOG_EXPORTS.map((log) => new aws.cloudwatch.LogGroup(`${name}-${log}`, {
      name: `/aws/rds/instance/${identifier}/${log}`,
      retentionInDays: DATABASE_LOG_RETENTION_DAYS,
      kmsKeyId: kmsKey.arn,
      tags: withTags(args.tags, { [TAG_KEYS.dataClass]: "audit" }),
    }, { parent: this, protect: args.protect }));

    const subnetGroup = new aws.rds.SubnetGroup(`${name}-subnets`, {
      description: "DueSpark PostgreSQL: private subnets",
      subnetIds: network.privateSubnetIds,
      tags: withTags(args.tags),
    }, { parent: this });

    const parameterGroup = new aws.rds.ParameterGroup(`${name}-params`, {
      family: `postgres${major}`,
      description: "DueSpark PostgreSQL: TLS only, pgaudit, connection logging",
      parameters: DATABASE_PARAMETERS.map((p) => ({ ...p })),
      tags: withTags(args.tags),
    }, { parent: this });

    const monitoringRole = new aws.iam.Role(`${name}-monitoring`, {
      description: "RDS Enhanced Monitoring publishes OS metrics to CloudWatch Logs",
      assumeRolePolicy: toJson(serviceTrust("monitoring.rds.amazonaws.com")),
      tags: withTags(args.tags),
    }, { parent: this });
    const partition = aws.getPartitionOutput({}, { parent: this }).partition;
    new aws.iam.RolePolicyAttachment(`${name}-monitoring`, {
      role: monitoringRole.name,
      policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole`,
    }, { parent: this });

    // A pinned minor version is upgraded through config; a major-only version lets RDS apply minor patches.
    const pinnedMinor = config.engineVersion.includes(".");

    this.instance = new aws.rds.Instance(`${name}-postgres`, {
      identifier,
      engine: "postgres",
      engineVersion: config.engineVersion,
      autoMinorVersionUpgrade: !pinnedMinor,
      allowMajorVersionUpgrade: false,
      instanceClass: config.instanceClass,
      allocatedStorage: config.allocatedStorageGb,
      maxAllocatedStorage: config.maxAllocatedStorageGb,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: restore ? restore.kmsKeyArn : kmsKey.arn,
      // A restored instance takes its database and master user from the recovery point.
      dbName: restore ? undefined : config.databaseName,
      username: restore ? undefined : config.masterUsername,
      restoreToPointInTime: restore?.source === "pitr" ? { sourceDbInstanceAutomatedBackupsArn: restore.automatedBackupsArn, useLatestRestorableTime: true } : undefined,
      snapshotIdentifier: restore?.source === "snapshot" ? restore.snapshotIdentifier : undefined,
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: kmsKey.arn,
      iamDatabaseAuthenticationEnabled: true,
      port: POSTGRES_PORT,
      multiAz: config.multiAz,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [network.databaseSecurityGroupId],
      publiclyAccessible: false,
      parameterGroupName: parameterGroup.name,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      backupRetentionPeriod: config.backupRetentionDays,
      // Before the AWS Backup window (02:00 UTC) and outside the Sunday integrity check.
      backupWindow: "00:30-01:30",
      maintenanceWindow: "sat:04:00-sat:05:00",
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${identifier}-final`,
      enabledCloudwatchLogsExports: [...DATABASE_LOG_EXPORTS],
      performanceInsightsEnabled: true,
      performanceInsightsKmsKeyId: kmsKey.arn,
      performanceInsightsRetentionPeriod: 7,
      monitoringInterval: 60,
      monitoringRoleArn: monitoringRole.arn,
      applyImmediately: false,
      tags,
    }, { parent: this, protect: args.protect, dependsOn: this.logGroups });

    this.drBackupsReplication = new aws.rds.InstanceAutomatedBackupsReplication(`${name}-dr-backups`, {
      sourceDbInstanceArn: this.instance.arn,
      kmsKeyId: args.drKmsKey.arn,
      retentionPeriod: config.backupRetentionDays,
    }, { parent: this, provider: args.drProvider, protect: args.protect });

    this.arn = this.instance.arn;
    this.endpoint = this.instance.endpoint;
    this.address = this.instance.address;
    this.port = this.instance.port;
    this.identifier = this.instance.identifier;
    this.resourceId = this.instance.resourceId;
    this.masterSecretArn = this.instance.masterUserSecrets.apply((secrets) => {
      const arn = secrets?.[0]?.secretArn;
      if (!arn) throw new Error(`RDS did not report a managed master user secret for ${identifier}`);
      return arn;
    });
    this.databaseName = config.databaseName;
    this.config = config;
    this.masterUsername = config.masterUsername;
    this.registerOutputs({ arn: this.arn, endpoint: this.endpoint, masterSecretArn: this.masterSecretArn, resourceId: this.resourceId });
  }

  /** IAM policy statement letting a principal connect as `dbUser` with IAM authentication. */
  iamConnectStatement(dbUsers: string[]): pulumi.Output<PolicyDocument["Statement"][number]> {
    const invoke = { parent: this };
    return pulumi
      .all([aws.getPartitionOutput({}, invoke).partition, aws.getRegionOutput({}, invoke).region, aws.getCallerIdentityOutput({}, invoke).accountId, this.resourceId])
      .apply(([p, r, a, id]) => ({
        Effect: "Allow" as const,
        Action: "rds-db:connect",
        Resource: dbUsers.map((u) => `arn:${p}:rds-db:${r}:${a}:dbuser:${id}/${u}`),
      }));
  }
}

function validate(args: DatabaseArgs): void {
  const c = args.config;
  if (c.backupRetentionDays < 7 || c.backupRetentionDays > 35) {
    throw new ConfigError(`Database: config.backupRetentionDays is ${c.backupRetentionDays}; point-in-time recovery needs 7 to 35 days`);
  }
  if (c.maxAllocatedStorageGb < c.allocatedStorageGb) {
    throw new ConfigError(`Database: config.maxAllocatedStorageGb (${c.maxAllocatedStorageGb}) is below allocatedStorageGb (${c.allocatedStorageGb}); storage autoscaling needs a maximum at or above the initial size`);
  }
  const roles = [c.masterUsername, c.ownerRole, c.appRole, c.readonlyRole.name, c.adminGroup, ...c.admins];
  const dup = roles.find((r, i) => roles.indexOf(r) !== i);
  if (dup) throw new ConfigError(`Database: role name "${dup}" is used twice among masterUsername, ownerRole, appRole, readonlyRole.name, adminGroup and admins; each must be distinct`);
  const reserved = roles.find((r) => r.startsWith("pg_") || r.startsWith("rds") || r === "public");
  if (reserved) throw new ConfigError(`Database: role name "${reserved}" is reserved by PostgreSQL or RDS (pg_*, rds*, public)`);
  if (!args.kmsKey || !args.drKmsKey || !args.drProvider) {
    throw new ConfigError("Database: kmsKey, drKmsKey and drProvider are required (encryption at rest and the DR copy of automated backups)");
  }
  const r = args.restore;
  if (r && !["pitr", "snapshot"].includes(r.source)) throw new ConfigError(`Database: restore.source got "${String((r as { source: unknown }).source)}"; allowed: pitr, snapshot`);
  if (r && !r.kmsKeyArn) throw new ConfigError("Database: restore.kmsKeyArn is required (the key the recovery point is encrypted with in this region)");
  if (r?.source === "pitr" && !r.automatedBackupsArn) throw new ConfigError("Database: restore.automatedBackupsArn is required for a point-in-time restore");
  if (r?.source === "snapshot" && !r.snapshotIdentifier) throw new ConfigError("Database: restore.snapshotIdentifier is required for a snapshot restore");
}
