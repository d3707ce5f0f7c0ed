/**
 * Audit trail (runbook: Compliance & Auditing, PCI DSS 10 / SOX): a
 * multi-region CloudTrail trail with log file validation, encrypted with the
 * CMK, delivered to an S3 bucket under Object Lock in COMPLIANCE mode for the
 * audit retention (7 years) and streamed to CloudWatch Logs for the same
 * period.
 *
 * Event selection: all management events, read and write. Secrets Manager
 * (GetSecretValue, PutSecretValue, RotateSecret, DeleteSecret...) and AWS
 * Backup (vault, lock and recovery-point operations) record only management
 * events, and CloudTrail offers no data-event resource type for secrets or
 * backup vaults, so the management selector is what audits them; the
 * secret and vault ARNs are exported for scoping audit queries.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AuditConfig } from "../../config/sections/audit";
import { ConfigError } from "../../config/load";
import { denyInsecureTransport, serviceTrust, toJson } from "../shared/iam";
import { TAG_KEYS, withTags } from "../shared/tags";

export const AUDIT_TRAIL_TYPE = "duespark:audit:AuditTrail";
export const AUDIT_LOG_GROUP = "/duespark/audit/cloudtrail";

/** CloudWatch Logs retention values of seven years and more. */
const CLOUDWATCH_LONG_RETENTIONS = [2557, 2922, 3288, 3653];

export interface AuditTrailArgs {
  config: AuditConfig;
  kmsKey: aws.kms.Key;
  secretArns: pulumi.Input<string>[];
  backupVaultArn: pulumi.Input<string>;
  protect: boolean;
  tags?: Record<string, string>;
}

export class AuditTrail extends pulumi.ComponentResource {
  readonly trail: aws.cloudtrail.Trail;
  readonly bucket: aws.s3.Bucket;
  readonly logGroup: aws.cloudwatch.LogGroup;

  constructor(name: string, args: AuditTrailArgs, opts?: pulumi.ComponentResourceOptions) {
    super(AUDIT_TRAIL_TYPE, name, {}, opts);
    const c = args.config;
    if (!CLOUDWATCH_LONG_RETENTIONS.includes(c.retentionDays)) {
      throw new ConfigError(`duespark-ops:audit.retentionDays: got ${c.retentionDays}; CloudWatch Logs accepts ${CLOUDWATCH_LONG_RETENTIONS.join(", ")} from seven years up`);
    }
    if (c.archiveAfterDays >= c.retentionDays) {
      throw new ConfigError(`duespark-ops:audit.archiveAfterDays: got ${c.archiveAfterDays}; must be below retentionDays (${c.retentionDays})`);
    }
    const invoke = { parent: this };
    const partition = aws.getPartitionOutput({}, invoke).partition;
    const accountId = aws.getCallerIdentityOutput({}, invoke).accountId;
    const region = aws.getRegionOutput({}, invoke).region;
    const trailName = `duespark-${pulumi.getStack()}-audit`;
    // Known before the trail exists, so the bucket policy can name it without a cycle.
    const trailArn = pulumi.interpolate`arn:${partition}:cloudtrail:${region}:${accountId}:trail/${trailName}`;
    const stateful = { parent: this, protect: args.protect };

    // --- Immutable log archive.
    this.bucket = new aws.s3.Bucket(`${name}-logs`, {
      objectLockEnabled: true,
      forceDestroy: false,
      tags: withTags(args.tags, { [TAG_KEYS.dataClass]: "audit" }),
    }, stateful);
    const bucket = this.bucket;
    new aws.s3.BucketPublicAccessBlock(`${name}-logs`, { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true }, { parent: this });
    const versioning = new aws.s3.BucketVersioning(`${name}-logs`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
    new aws.s3.BucketObjectLockConfiguration(`${name}-logs`, {
      bucket: bucket.id,
      objectLockEnabled: "Enabled",
      rule: { defaultRetention: { mode: "COMPLIANCE", days: c.retentionDays } },
    }, { ...stateful, dependsOn: [versioning] });
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-logs`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKey.arn }, bucketKeyEnabled: true }],
    }, { parent: this });
    new aws.s3.BucketLifecycleConfiguration(`${name}-logs`, {
      bucket: bucket.id,
      rules: [{
        id: "archive-then-expire",
        status: "Enabled",
        filter: {},
        transitions: [
          { days: c.archiveAfterDays, storageClass: "GLACIER" },
          // Glacier Flexible Retrieval bills 90 days minimum before a further transition.
          { days: Math.max(365, c.archiveAfterDays + 90), storageClass: "DEEP_ARCHIVE" },
        ].filter((t) => t.days < c.retentionDays),
        expiration: { days: c.retentionDays },
        noncurrentVersionExpiration: { noncurrentDays: c.retentionDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      }],
    }, { parent: this, dependsOn: [versioning] });
    const bucketPolicy = new aws.s3.BucketPolicy(`${name}-logs`, {
      bucket: bucket.id,
      policy: toJson({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "CloudTrailAclCheck",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:GetBucketAcl",
            Resource: bucket.arn,
            Condition: { StringEquals: { "aws:SourceArn": trailArn } },
          },
          {
            Sid: "CloudTrailWrite",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: pulumi.interpolate`${bucket.arn}/AWSLogs/${accountId}/*`,
            Condition: { StringEquals: { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": trailArn } },
          },
          denyInsecureTransport(bucket.arn),
        ],
      }),
    }, { parent: this });

    // --- Searchable copy in CloudWatch Logs.
    this.logGroup = new aws.cloudwatch.LogGroup(`${name}-cloudtrail`, {
      name: AUDIT_LOG_GROUP,
      retentionInDays: c.retentionDays,
      kmsKeyId: args.kmsKey.arn,
      tags: withTags(args.tags, { [TAG_KEYS.dataClass]: "audit" }),
    }, stateful);
    const deliveryRole = new aws.iam.Role(`${name}-cloudtrail-logs`, {
      description: "CloudTrail delivers the audit trail to CloudWatch Logs",
      assumeRolePolicy: toJson({
        Version: "2012-10-17",
        Statement: [{ ...serviceTrust("cloudtrail.amazonaws.com").Statement[0], Condition: { StringEquals: { "aws:SourceArn": trailArn } } }],
      }),
      tags: withTags(args.tags),
    }, { parent: this });
    const deliveryPolicy = new aws.iam.RolePolicy(`${name}-cloudtrail-logs`, {
      role: deliveryRole.id,
      policy: toJson({
        Version: "2012-10-17",
        Statement: [{
          Sid: "DeliverTrail",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: pulumi.interpolate`${this.logGroup.arn}:log-stream:*`,
        }],
      }),
    }, { parent: this });

    this.trail = new aws.cloudtrail.Trail(`${name}-trail`, {
      name: trailName,
      s3BucketName: bucket.bucket,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      enableLogging: true,
      kmsKeyId: args.kmsKey.arn,
      cloudWatchLogsGroupArn: pulumi.interpolate`${this.logGroup.arn}:*`,
      cloudWatchLogsRoleArn: deliveryRole.arn,
      advancedEventSelectors: [
        { name: "All management events (read and write)", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] },
      ],
      tags: withTags(args.tags),
    }, { ...stateful, dependsOn: [bucketPolicy, deliveryPolicy] });

    this.registerOutputs({
      trailArn: this.trail.arn,
      bucket: bucket.bucket,
      logGroup: this.logGroup.name,
      auditedSecretArns: args.secretArns,
      auditedBackupVaultArn: args.backupVaultArn,
    });
  }
}
