/**
 * Backups (runbook: Backup Strategy, Retention Policy, Backup Verification,
 * RTO 4 h / RPO 24 h).
 *
 * One plan, four rules (daily 30 d, weekly 84 d, monthly 365 d, annual
 * 2555 d), each copied to a vault in the DR region with the same lifecycle.
 * Both vaults are encrypted with customer-managed keys and locked in
 * compliance mode: after `changeableForDays` nobody, root included, can
 * shorten retention or delete a recovery point early.
 *
 * Selection: every resource tagged duespark:backup-plan=runbook. AWS Backup
 * combines `resources` and `conditions` with AND, but `resources` and
 * `selectionTags` with OR, so the tag is a condition and resources is "*"
 * (all supported resource types, narrowed by the condition).
 *
 * Verification: a weekly restore test of the latest RDS recovery point into
 * our private subnets, validated by lambdas/restore-validation. Failed
 * backup / copy / restore jobs page (critical topic). AWS Backup Audit
 * Manager evaluates the controls below and writes reports to an encrypted
 * bucket; it needs AWS Config recording in the region.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { BackupConfig } from "../../config/sections/backup";
import { ConfigError } from "../../config/load";
import type { Database } from "../database/database";
import type { Network } from "../network/network";
import type { AlertRouting } from "../alerting/alert-routing";
import { SEVERITY_TAG_KEY } from "../alerting/incidents";
import { denyInsecureTransport, serviceTrust, toJson } from "../shared/iam";
import { LAMBDA_RUNTIME, lambdaArchive } from "../shared/lambda-bundle";
import { BACKUP_PLAN_TAG_VALUE, TAG_KEYS, withTags } from "../shared/tags";

export const BACKUP_VAULTS_TYPE = "duespark:backup:BackupVaults";
export const TIERS = ["daily", "weekly", "monthly", "annual"] as const;

export interface BackupVaultsArgs {
  config: BackupConfig;
  kmsKey: aws.kms.Key;
  /** Key in the DR region (the replica of kmsKey). */
  drKmsKey: aws.kms.ReplicaKey | aws.kms.Key;
  drProvider: aws.Provider;
  database: Pick<Database, "arn" | "instance" | "masterSecretArn" | "databaseName">;
  network: Pick<Network, "privateSubnetIds" | "appSecurityGroupId" | "databaseSecurityGroupId">;
  alerts: Pick<AlertRouting, "criticalTopic">;
  protect: boolean;
  tags?: Record<string, string>;
}

/** AWS Backup names of restore-testing plans, frameworks and report plans allow letters, digits and "_" only. */
const backupName = (...parts: string[]) => parts.join("_").replace(/[^A-Za-z0-9_]/g, "_").slice(0, 50);

export class BackupVaults extends pulumi.ComponentResource {
  readonly vault: aws.backup.Vault;
  readonly drVault: aws.backup.Vault;
  readonly plan: aws.backup.Plan;
  readonly role: aws.iam.Role;
  readonly reportBucket: aws.s3.Bucket;

  constructor(name: string, args: BackupVaultsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(BACKUP_VAULTS_TYPE, name, {}, opts);
    const { config } = args;
    validate(config);
    const invoke = { parent: this };
    const partition = aws.getPartitionOutput({}, invoke).partition;
    const accountId = aws.getCallerIdentityOutput({}, invoke).accountId;
    const drRegion = aws.getRegionOutput({}, { parent: this, provider: args.drProvider }).region;
    const stack = pulumi.getStack();
    const stateful = { parent: this, protect: args.protect };
    const lock = config.vaultLock;

    // --- Vaults, locked in compliance mode.
    // Explicit names: rules and locks refer to vaults by name.
    this.vault = new aws.backup.Vault(`${name}-vault`, {
      name: `duespark-${stack}-backups`,
      kmsKeyArn: args.kmsKey.arn,
      forceDestroy: false,
      tags: withTags(args.tags),
    }, stateful);
    new aws.backup.VaultLockConfiguration(`${name}-vault-lock`, {
      backupVaultName: this.vault.name,
      changeableForDays: lock.changeableForDays,
      minRetentionDays: lock.minRetentionDays,
      maxRetentionDays: lock.maxRetentionDays,
    }, stateful);
    this.drVault = new aws.backup.Vault(`${name}-dr-vault`, {
      name: `duespark-${stack}-backups-dr`,
      kmsKeyArn: args.drKmsKey.arn,
      forceDestroy: false,
      tags: withTags(args.tags, { Region: "dr" }),
    }, { ...stateful, provider: args.drProvider });
    new aws.backup.VaultLockConfiguration(`${name}-dr-vault-lock`, {
      backupVaultName: this.drVault.name,
      changeableForDays: lock.changeableForDays,
      minRetentionDays: lock.minRetentionDays,
      maxRetentionDays: lock.maxRetentionDays,
    }, { ...stateful, provider: args.drProvider });

    // --- Service role.
    this.role = new aws.iam.Role(`${name}-service`, {
      description: "AWS Backup: backs up, copies and restores (restore tests) the tagged resources",
      assumeRolePolicy: toJson(serviceTrust("backup.amazonaws.com")),
      tags: withTags(args.tags),
    }, { parent: this });
    const attachments = ["AWSBackupServiceRolePolicyForBackup", "AWSBackupServiceRolePolicyForRestores"].map((policy) =>
      new aws.iam.RolePolicyAttachment(`${name}-${policy.endsWith("Restores") ? "restores" : "backups"}`, {
        role: this.role.name,
        policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/${policy}`,
      }, { parent: this }));

    // --- One plan, four rules, each copied to the DR vault with the same lifecycle.
    const rules = TIERS.map((tier) => {
      const lifecycle = {
        deleteAfter: config.retentionDays[tier],
        ...(config.coldStorageAfterDays[tier] !== undefined ? { coldStorageAfter: config.coldStorageAfterDays[tier] } : {}),
      };
      return {
        ruleName: tier,
        targetVaultName: this.vault.name,
        schedule: config.schedules[tier],
        scheduleExpressionTimezone: "Etc/UTC",
        startWindow: 60,
        // A job must finish well inside the RPO.
        completionWindow: Math.min(config.rpoHours, 8) * 60,
        enableContinuousBackup: false,
        lifecycle,
        copyActions: [{ destinationVaultArn: this.drVault.arn, lifecycle }],
        recoveryPointTags: withTags(args.tags, { "duespark:backup-tier": tier }),
      };
    });
    this.plan = new aws.backup.Plan(`${name}-plan`, {
      rules,
      tags: withTags(args.tags),
    }, stateful);
    new aws.backup.Selection(`${name}-tagged`, {
      name: "duespark-runbook-tagged",
      planId: this.plan.id,
      iamRoleArn: this.role.arn,
      resources: ["*"],
      conditions: [{ stringEquals: [{ key: `aws:ResourceTag/${TAG_KEYS.backupPlan}`, value: BACKUP_PLAN_TAG_VALUE }] }],
    }, { parent: this, dependsOn: attachments });

    // --- Weekly restore test of the database.
    const subnetGroup = new aws.rds.SubnetGroup(`${name}-restore-test`, {
      description: "Private subnets for restore-test instances",
      subnetIds: args.network.privateSubnetIds,
      tags: withTags(args.tags),
    }, { parent: this });
    const restorePlan = new aws.backup.RestoreTestingPlan(`${name}-restore-testing`, {
      name: backupName("duespark", stack, "weekly_restore"),
      scheduleExpression: config.restoreTestingSchedule,
      scheduleExpressionTimezone: "Etc/UTC",
      startWindowHours: 1,
      recoveryPointSelection: {
        algorithm: "LATEST_WITHIN_WINDOW",
        includeVaults: [this.vault.arn],
        recoveryPointTypes: ["SNAPSHOT"],
        selectionWindowDays: 7,
      },
      tags: withTags(args.tags),
    }, { parent: this });
    new aws.backup.RestoreTestingSelection(`${name}-restore-testing-rds`, {
      name: "rds_database",
      restoreTestingPlanName: restorePlan.name,
      protectedResourceType: "RDS",
      protectedResourceArns: [args.database.arn],
      iamRoleArn: this.role.arn,
      restoreMetadataOverrides: {
        dbSubnetGroupName: subnetGroup.name,
        vpcSecurityGroupIds: pulumi.jsonStringify([args.network.databaseSecurityGroupId]),
      },
      validationWindowHours: config.restoreValidationWindowHours,
    }, { parent: this, dependsOn: attachments });

    const masterSecretArn = args.database.masterSecretArn;
    const validatorRole = new aws.iam.Role(`${name}-restore-validation`, {
      description: "Validates restored databases and reports to AWS Backup",
      assumeRolePolicy: toJson(serviceTrust("lambda.amazonaws.com")),
      tags: withTags(args.tags),
    }, { parent: this });
    const vpcAccess = new aws.iam.RolePolicyAttachment(`${name}-restore-validation-vpc`, {
      role: validatorRole.name,
      policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
    }, { parent: this });
    const validatorPolicy = new aws.iam.RolePolicy(`${name}-restore-validation`, {
      role: validatorRole.id,
      policy: toJson({
        Version: "2012-10-17",
        Statement: [
          { Sid: "ReadMasterCredentials", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: masterSecretArn },
          { Sid: "DecryptWithCmk", Effect: "Allow", Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: args.kmsKey.arn },
          { Sid: "FindRestoredInstance", Effect: "Allow", Action: "rds:DescribeDBInstances", Resource: pulumi.interpolate`arn:${partition}:rds:*:${accountId}:db:*` },
          { Sid: "ReportValidation", Effect: "Allow", Action: "backup:PutRestoreValidationResult", Resource: "*" },
          { Sid: "AlertOnFailure", Effect: "Allow", Action: "sns:Publish", Resource: args.alerts.criticalTopic.arn },
        ],
      }),
    }, { parent: this });
    const validatorLogs = new aws.cloudwatch.LogGroup(`${name}-restore-validation`, {
      name: pulumi.interpolate`/aws/lambda/duespark-${stack}-restore-validation`,
      retentionInDays: 365,
      kmsKeyId: args.kmsKey.arn,
      tags: withTags(args.tags),
    }, { parent: this });
    const validator = new aws.lambda.Function(`${name}-restore-validation`, {
      name: `duespark-${stack}-restore-validation`,
      description: "Integrity checks on weekly restore-test databases",
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      code: lambdaArchive("restore-validation"),
      role: validatorRole.arn,
      timeout: 300,
      memorySize: 256,
      kmsKeyArn: args.kmsKey.arn,
      // The restored instance gets the database security group, which admits the app security group.
      vpcConfig: { subnetIds: args.network.privateSubnetIds, securityGroupIds: [args.network.appSecurityGroupId] },
      environment: {
        variables: {
          MASTER_SECRET_ARN: masterSecretArn,
          // From config: a restored instance does not echo a dbName input.
          DB_NAME: args.database.databaseName,
          VALIDATION_TABLES: JSON.stringify(config.validation.tables),
          ALERT_TOPIC_ARN: args.alerts.criticalTopic.arn,
        },
      },
      loggingConfig: { logFormat: "JSON", logGroup: validatorLogs.name },
      tags: withTags(args.tags),
    }, { parent: this, dependsOn: [vpcAccess, validatorPolicy] });
    const restoreCompleted = new aws.cloudwatch.EventRule(`${name}-restore-completed`, {
      description: "Restore-test job completed: validate the restored database",
      eventPattern: pulumi.jsonStringify({
        source: ["aws.backup"],
        "detail-type": ["Restore Job State Change"],
        detail: { status: ["COMPLETED"], restoreTestingPlanArn: [restorePlan.arn] },
      }),
      tags: withTags(args.tags),
    }, { parent: this });
    new aws.lambda.Permission(`${name}-restore-completed`, {
      action: "lambda:InvokeFunction",
      function: validator.name,
      principal: "events.amazonaws.com",
      sourceArn: restoreCompleted.arn,
    }, { parent: this });
    new aws.cloudwatch.EventTarget(`${name}-restore-completed`, {
      rule: restoreCompleted.name,
      arn: validator.arn,
    }, { parent: this });

    // --- Failed, expired or aborted jobs page (P1). Backup jobs report `state`, restore/copy jobs `status`.
    const failedStates = ["FAILED", "EXPIRED", "ABORTED"];
    const jobFailed = new aws.cloudwatch.EventRule(`${name}-job-failed`, {
      description: "[P1] AWS Backup backup, copy or restore job failed, expired or was aborted",
      eventPattern: JSON.stringify({
        source: ["aws.backup"],
        "detail-type": ["Backup Job State Change", "Copy Job State Change", "Restore Job State Change"],
        detail: { $or: [{ state: failedStates }, { status: failedStates }] },
      }),
      tags: withTags(args.tags, { [SEVERITY_TAG_KEY]: "critical" }),
    }, { parent: this });
    new aws.cloudwatch.EventTarget(`${name}-job-failed`, {
      rule: jobFailed.name,
      arn: args.alerts.criticalTopic.arn,
    }, { parent: this });

    // --- AWS Backup Audit Manager: controls and reports.
    const rdsScope = { complianceResourceTypes: ["RDS"] };
    const shortest = Math.min(...Object.values(config.retentionDays));
    const framework = new aws.backup.Framework(`${name}-controls`, {
      name: backupName("duespark", stack, "backup_controls"),
      description: "Runbook backup controls: encryption, frequency, retention, vault lock, cross-region copy",
      controls: [
        { name: "BACKUP_RECOVERY_POINT_ENCRYPTED" },
        {
          name: "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK",
          inputParameters: [
            { name: "requiredFrequencyUnit", value: "hours" },
            { name: "requiredFrequencyValue", value: String(config.rpoHours) },
            { name: "requiredRetentionDays", value: String(shortest) },
          ],
        },
        { name: "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", inputParameters: [{ name: "requiredRetentionDays", value: String(shortest) }] },
        { name: "BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED" },
        {
          name: "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK",
          inputParameters: [
            { name: "minRetentionDays", value: String(lock.minRetentionDays) },
            { name: "maxRetentionDays", value: String(lock.maxRetentionDays) },
          ],
          scope: rdsScope,
        },
        { name: "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION", inputParameters: [{ name: "crossRegionList", value: drRegion }], scope: rdsScope },
      ],
      tags: withTags(args.tags),
    }, { parent: this });

    this.reportBucket = new aws.s3.Bucket(`${name}-reports`, { forceDestroy: false, tags: withTags(args.tags, { [TAG_KEYS.dataClass]: "audit" }) }, stateful);
    const bucket = this.reportBucket;
    new aws.s3.BucketPublicAccessBlock(`${name}-reports`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { parent: this });
    new aws.s3.BucketVersioning(`${name}-reports`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-reports`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKey.arn }, bucketKeyEnabled: true }],
    }, { parent: this });
    const reportsRole = pulumi.interpolate`arn:${partition}:iam::${accountId}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports`;
    const bucketPolicy = new aws.s3.BucketPolicy(`${name}-reports`, {
      bucket: bucket.id,
      policy: toJson({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "BackupAuditManagerDelivers",
            Effect: "Allow",
            Principal: { AWS: reportsRole },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/backup-audit/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } },
          },
          denyInsecureTransport(bucket.arn),
        ],
      }),
    }, { parent: this });
    new aws.backup.ReportPlan(`${name}-compliance-report`, {
      name: backupName("duespark", stack, "backup_compliance"),
      description: "Daily compliance of the runbook backup controls",
      reportDeliveryChannel: { s3BucketName: bucket.bucket, s3KeyPrefix: "backup-audit", formats: ["CSV", "JSON"] },
      reportSetting: { reportTemplate: "CONTROL_COMPLIANCE_REPORT", frameworkArns: [framework.arn], numberOfFrameworks: 1 },
      tags: withTags(args.tags),
    }, { parent: this, dependsOn: [bucketPolicy] });

    this.registerOutputs({ vaultArn: this.vault.arn, drVaultArn: this.drVault.arn, planId: this.plan.id });
  }
}

function validate(c: BackupConfig): void {
  for (const tier of TIERS) {
    const cold = c.coldStorageAfterDays[tier];
    if (cold !== undefined && c.retentionDays[tier] < cold + 90) {
      throw new ConfigError(`duespark-ops:backup.retentionDays.${tier}: got ${c.retentionDays[tier]}; must be >= coldStorageAfterDays.${tier} + 90 (${cold + 90})`);
    }
  }
  const shortest = Math.min(...Object.values(c.retentionDays));
  if (c.vaultLock.minRetentionDays > shortest) {
    throw new ConfigError(`duespark-ops:backup.vaultLock.minRetentionDays: got ${c.vaultLock.minRetentionDays}; must be <= ${shortest} (the shortest rule)`);
  }
}
