/**
 * Customer-managed encryption keys (runbook: encryption at rest).
 *
 * One symmetric multi-Region key in the stack's region and its replica in the
 * DR region: RDS storage and backups, Secrets Manager secrets (and their DR
 * replicas), CloudWatch log groups, SNS alert topics and CloudTrail all use
 * it, so a restore in the DR region can decrypt what the primary encrypted.
 *
 * Key policy, per statement:
 * - the account root gets IAM delegation for *use* of the key (and read-only
 *   key metadata), never administration: an IAM policy alone cannot let
 *   anybody change the key policy, disable or delete the key;
 * - the configured administrator roles get the administrative actions and no
 *   cryptographic use;
 * - AWS services that act under their own service principal get exactly
 *   what they need: CloudWatch Logs (bound to this account's log groups
 *   through the encryption context), CloudTrail (bound to this account's
 *   trails), and the services that publish to encrypted SNS topics
 *   (CloudWatch alarms, EventBridge, AWS Backup notifications).
 * RDS, Secrets Manager and AWS Backup vaults need no statement of their own:
 * they call KMS with the caller's credentials (kms:ViaService) and use grants,
 * which the root statements allow only for AWS resources.
 *
 * KMS refuses a key policy that would lock out the principal creating it, so
 * the role running `pulumi up` must be one of `keys.administratorRoleNames`.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { KeysConfig } from "../../config/sections/keys";
import { ConfigError } from "../../config/load";
import { PolicyDocument, toJson } from "../shared/iam";
import { withTags } from "../shared/tags";

export const ENCRYPTION_KEYS_TYPE = "duespark:keys:EncryptionKeys";

export interface EncryptionKeysArgs {
  config: KeysConfig;
  /** Provider of the DR region; the replica key lives there. */
  drProvider: aws.Provider;
  protect: boolean;
  tags?: Record<string, string>;
}

/** Cryptographic use; what IAM policies may delegate. */
export const KEY_USAGE_ACTIONS = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"];

/** Key metadata reads (Pulumi refresh, auditors). */
export const KEY_READ_ACTIONS = ["kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags", "kms:ListKeyPolicies", "kms:ListAliases"];

/** Administration without cryptographic use (the AWS console's "key administrators" set, plus multi-Region operations). */
export const KEY_ADMIN_ACTIONS = [
  "kms:Create*", "kms:Describe*", "kms:Enable*", "kms:List*", "kms:Put*", "kms:Update*", "kms:Revoke*",
  "kms:Disable*", "kms:Get*", "kms:Delete*", "kms:TagResource", "kms:UntagResource",
  "kms:ScheduleKeyDeletion", "kms:CancelKeyDeletion", "kms:RotateKeyOnDemand", "kms:ReplicateKey",
];

/** Services that publish to the KMS-encrypted alert topics with their own principal. */
export const SNS_PUBLISHING_SERVICES = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com"];

export interface KeyPolicyContext {
  partition: string;
  accountId: string;
  /** Region the key (or replica) lives in: the logs principal and contexts are regional. */
  region: string;
  adminRoleArns: string[];
}

export function keyPolicy(ctx: KeyPolicyContext): PolicyDocument {
  const { partition, accountId, region } = ctx;
  const root = `arn:${partition}:iam::${accountId}:root`;
  return {
    Version: "2012-10-17",
    Id: "duespark-key-policy",
    Statement: [
      {
        Sid: "IamDelegatedUse",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: [...KEY_USAGE_ACTIONS, ...KEY_READ_ACTIONS],
        Resource: "*",
      },
      {
        Sid: "IamDelegatedGrantsForAwsResources",
        Effect: "Allow",
        Principal: { AWS: root },
        Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
        Resource: "*",
        Condition: { Bool: { "kms:GrantIsForAWSResource": true } },
      },
      {
        Sid: "KeyAdministrators",
        Effect: "Allow",
        Principal: { AWS: ctx.adminRoleArns },
        Action: KEY_ADMIN_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsOfThisAccount",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${partition}:logs:${region}:${accountId}:log-group:*` } },
      },
      {
        Sid: "CloudTrailEncryptsThisAccountsTrails",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
        Condition: {
          StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:${partition}:cloudtrail:*:${accountId}:trail/*` },
          StringEquals: { "aws:SourceAccount": accountId },
        },
      },
      {
        Sid: "CloudTrailDescribesKey",
        Effect: "Allow",
        Principal: { Service: "cloudtrail.amazonaws.com" },
        Action: "kms:DescribeKey",
        Resource: "*",
      },
      {
        // CloudWatch alarms, EventBridge rules and AWS Backup notifications
        // publishing to an encrypted topic; without this they are dropped silently.
        Sid: "PublishToEncryptedAlertTopics",
        Effect: "Allow",
        Principal: { Service: SNS_PUBLISHING_SERVICES },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
      },
    ],
  };
}

export class EncryptionKeys extends pulumi.ComponentResource {
  readonly primaryKey: aws.kms.Key;
  readonly replicaKey: aws.kms.ReplicaKey;
  readonly primaryAlias: aws.kms.Alias;
  readonly replicaAlias: aws.kms.Alias;

  constructor(name: string, args: EncryptionKeysArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args);
    super(ENCRYPTION_KEYS_TYPE, name, {}, opts);
    const { config } = args;
    const invoke = { parent: this };
    const partition = aws.getPartitionOutput({}, invoke).partition;
    const accountId = aws.getCallerIdentityOutput({}, invoke).accountId;
    const region = aws.getRegionOutput({}, invoke).region;
    const drRegion = aws.getRegionOutput({}, { parent: this, provider: args.drProvider }).region;
    const adminRoleArns = pulumi
      .all([partition, accountId])
      .apply(([p, a]) => config.administratorRoleNames.map((n) => `arn:${p}:iam::${a}:role/${n}`));
    const policyIn = (r: pulumi.Output<string>) =>
      pulumi.all([partition, accountId, r, adminRoleArns]).apply(([p, a, reg, admins]) =>
        toJson(keyPolicy({ partition: p, accountId: a, region: reg, adminRoleArns: admins })),
      );

    const stack = pulumi.getStack();
    this.primaryKey = new aws.kms.Key(`${name}-primary`, {
      description: `duespark ${stack}: data at rest (RDS, Secrets Manager, logs, alert topics, audit trail)`,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      enableKeyRotation: true,
      rotationPeriodInDays: 365,
      deletionWindowInDays: config.deletionWindowDays,
      multiRegion: true,
      policy: policyIn(region),
      tags: withTags(args.tags, { Name: `duespark-${stack}` }),
    }, { parent: this, protect: args.protect });

    this.replicaKey = new aws.kms.ReplicaKey(`${name}-replica`, {
      description: `duespark ${stack}: DR replica of the data-at-rest key (secret replicas, backup copies)`,
      primaryKeyArn: this.primaryKey.arn,
      deletionWindowInDays: config.deletionWindowDays,
      policy: policyIn(drRegion),
      tags: withTags(args.tags, { Name: `duespark-${stack}-replica` }),
    }, { parent: this, provider: args.drProvider, protect: args.protect });

    this.primaryAlias = new aws.kms.Alias(`${name}-primary`, {
      name: `alias/duespark-${stack}`,
      targetKeyId: this.primaryKey.keyId,
    }, { parent: this });
    this.replicaAlias = new aws.kms.Alias(`${name}-replica`, {
      name: `alias/duespark-${stack}`,
      targetKeyId: this.replicaKey.keyId,
    }, { parent: this, provider: args.drProvider });

    this.registerOutputs({ primaryKeyArn: this.primaryKey.arn, replicaKeyArn: this.replicaKey.arn });
  }
}

function validate(args: EncryptionKeysArgs): void {
  const { deletionWindowDays, administratorRoleNames } = args.config;
  if (!Number.isInteger(deletionWindowDays) || deletionWindowDays < 7 || deletionWindowDays > 30) {
    throw new ConfigError(`EncryptionKeys: config.deletionWindowDays is ${deletionWindowDays}; KMS accepts 7 to 30 days`);
  }
  if (administratorRoleNames.length === 0) {
    throw new ConfigError("EncryptionKeys: config.administratorRoleNames is empty; at least one key administrator role name is required");
  }
  if (!args.drProvider) throw new ConfigError("EncryptionKeys: drProvider is required (an aws.Provider for the DR region)");
}
