/**
 * MFA-only shell access through SSM Session Manager (runbook: Access
 * Controls). No SSH: port 22 is never opened, SSH / port-forwarding session
 * documents are denied, every session is logged (S3 + CloudWatch Logs, both
 * encrypted with the CMK) and kept for the audit retention.
 *
 * Session Manager reads its account preferences from the Session document
 * named "SSM-SessionManagerRunShell". An account where someone already
 * saved preferences in the console has that document; adopt it instead of
 * creating it:
 *   pulumi import aws:ssm/document:Document <stack-prefix>-session-preferences SSM-SessionManagerRunShell
 * (the logical name is `${name}-session-preferences`, parent the ShellAccess component).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccessConfig } from "../../config/sections/access";
import { ConfigError } from "../../config/load";
import { Conditions, PolicyDocument, Statement, denyInsecureTransport, serviceTrust, toJson } from "../shared/iam";
import { TAG_KEYS, withTags } from "../shared/tags";

export const SHELL_ACCESS_TYPE = "duespark:access:ShellAccess";
export const SESSION_PREFERENCES_DOCUMENT = "SSM-SessionManagerRunShell";
export const SESSION_LOG_GROUP = "/duespark/ssm/sessions";

/** AWS-owned session documents that would open tunnels or SSH: denied explicitly. */
export const DENIED_SESSION_DOCUMENTS = [
  "AWS-StartPortForwardingSession",
  "AWS-StartPortForwardingSessionToRemoteHost",
  "AWS-StartSSHSession",
  "AWS-StartInteractiveCommand",
] as const;

/** What a principal without MFA may still do: set up its own MFA device. */
export const MFA_SELF_SERVICE_ACTIONS = [
  "iam:CreateVirtualMFADevice",
  "iam:EnableMFADevice",
  "iam:GetUser",
  "iam:ListMFADevices",
  "iam:ListVirtualMFADevices",
  "iam:ResyncMFADevice",
  "iam:ChangePassword",
  "iam:GetAccountPasswordPolicy",
  "sts:GetSessionToken",
];

const CLOUDWATCH_RETENTIONS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export interface ShellAccessArgs {
  config: AccessConfig;
  kmsKey: aws.kms.Key;
  /** Session logs are audit records: kept this many days (>= 2557). */
  auditRetentionDays: number;
  /** Protect the session archive (production). */
  protect?: boolean;
  tags?: Record<string, string>;
}

export class ShellAccess extends pulumi.ComponentResource {
  readonly sessionLogBucket: aws.s3.Bucket;
  readonly sessionLogGroup: aws.cloudwatch.LogGroup;
  readonly sessionPreferences: aws.ssm.Document;
  readonly engineerPolicy: aws.iam.Policy;
  readonly instanceRole: aws.iam.Role;
  readonly instanceProfile: aws.iam.InstanceProfile;

  constructor(name: string, args: ShellAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SHELL_ACCESS_TYPE, name, {}, opts);
    const { config } = args;
    if (args.auditRetentionDays < 2557 || !CLOUDWATCH_RETENTIONS.includes(args.auditRetentionDays)) {
      throw new ConfigError(`ShellAccess: auditRetentionDays got ${args.auditRetentionDays}; allowed: ${CLOUDWATCH_RETENTIONS.filter((d) => d >= 2557).join(", ")} (CloudWatch Logs values of 7 years and more)`);
    }
    if (config.maxSessionDurationMinutes < config.sessionIdleTimeoutMinutes) {
      throw new ConfigError(`duespark-ops:access.maxSessionDurationMinutes: got ${config.maxSessionDurationMinutes}; must be >= sessionIdleTimeoutMinutes (${config.sessionIdleTimeoutMinutes})`);
    }
    const invoke = { parent: this };
    const partition = aws.getPartitionOutput({}, invoke).partition;
    const accountId = aws.getCallerIdentityOutput({}, invoke).accountId;
    const region = aws.getRegionOutput({}, invoke).region;
    const keyArn = args.kmsKey.arn;

    // --- Session transcripts in S3.
    const bucket = new aws.s3.Bucket(`${name}-sessions`, {
      forceDestroy: false,
      tags: withTags(args.tags, { [TAG_KEYS.dataClass]: "audit" }),
    }, { parent: this, protect: args.protect ?? false });
    this.sessionLogBucket = bucket;
    new aws.s3.BucketPublicAccessBlock(`${name}-sessions`, {
      bucket: bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }, { parent: this });
    new aws.s3.BucketVersioning(`${name}-sessions`, {
      bucket: bucket.id,
      versioningConfiguration: { status: "Enabled" },
    }, { parent: this });
    new aws.s3.BucketServerSideEncryptionConfiguration(`${name}-sessions`, {
      bucket: bucket.id,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: keyArn }, bucketKeyEnabled: true }],
    }, { parent: this });
    new aws.s3.BucketLifecycleConfiguration(`${name}-sessions`, {
      bucket: bucket.id,
      rules: [{
        id: "audit-retention",
        status: "Enabled",
        filter: {},
        expiration: { days: args.auditRetentionDays },
        noncurrentVersionExpiration: { noncurrentDays: args.auditRetentionDays },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      }],
    }, { parent: this });
    new aws.s3.BucketPolicy(`${name}-sessions`, {
      bucket: bucket.id,
      policy: toJson({
        Version: "2012-10-17",
        Statement: [denyInsecureTransport(bucket.arn)],
      }),
    }, { parent: this });

    // --- Session transcripts streamed to CloudWatch Logs.
    this.sessionLogGroup = new aws.cloudwatch.LogGroup(`${name}-sessions`, {
      name: SESSION_LOG_GROUP,
      retentionInDays: args.auditRetentionDays,
      kmsKeyId: keyArn,
      tags: withTags(args.tags, { [TAG_KEYS.dataClass]: "audit" }),
    }, { parent: this, protect: args.protect ?? false });

    // --- Account-wide Session Manager preferences.
    this.sessionPreferences = new aws.ssm.Document(`${name}-session-preferences`, {
      name: SESSION_PREFERENCES_DOCUMENT,
      documentType: "Session",
      documentFormat: "JSON",
      content: pulumi.jsonStringify({
        schemaVersion: "1.0",
        description: "DueSpark Session Manager preferences: encrypted, logged, time-limited sessions as a non-root user",
        sessionType: "Standard_Stream",
        inputs: {
          s3BucketName: bucket.bucket,
          s3KeyPrefix: "sessions/",
          s3EncryptionEnabled: true,
          cloudWatchLogGroupName: this.sessionLogGroup.name,
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          kmsKeyId: keyArn,
          idleSessionTimeout: String(config.sessionIdleTimeoutMinutes),
          maxSessionDuration: String(config.maxSessionDurationMinutes),
          runAsEnabled: true,
          runAsDefaultUser: config.runAsDefaultUser,
          shellProfile: { linux: "cd ~ && exec bash -l", windows: "" },
        },
      }),
      tags: withTags(args.tags),
    }, { parent: this });

    // --- Engineers: shell on tagged instances only, with MFA, nothing else.
    const ssmArn = (resource: pulumi.Input<string>) => pulumi.interpolate`arn:${partition}:ssm:${region}:${accountId}:${resource}`;
    this.engineerPolicy = new aws.iam.Policy(`${name}-engineers`, {
      description: "DueSpark engineers: MFA-protected Session Manager shell on tagged instances; no SSH or port forwarding",
      policy: toJson(engineerPolicyDocument({
        config,
        instanceArn: pulumi.interpolate`arn:${partition}:ec2:${region}:${accountId}:instance/*`,
        shellDocumentArn: ssmArn(pulumi.interpolate`document/${this.sessionPreferences.name}`),
        sessionArnPrefix: ssmArn("session/"),
        // AWS-owned documents have no account in their ARN, but requests may name one; "*" matches both forms.
        awsDocumentArn: (doc) => pulumi.interpolate`arn:${partition}:ssm:*:*:document/${doc}`,
        keyArn,
      })),
      tags: withTags(args.tags),
    }, { parent: this });
    if (config.engineers.kind === "group") {
      new aws.iam.GroupPolicyAttachment(`${name}-engineers`, { group: config.engineers.name, policyArn: this.engineerPolicy.arn }, { parent: this });
    } else {
      new aws.iam.RolePolicyAttachment(`${name}-engineers`, { role: config.engineers.name, policyArn: this.engineerPolicy.arn }, { parent: this });
    }

    // --- Managed instances: SSM agent core permissions, logs only to our bucket / group.
    this.instanceRole = new aws.iam.Role(`${name}-instance`, {
      description: "Instances reachable through Session Manager",
      assumeRolePolicy: toJson(serviceTrust("ec2.amazonaws.com")),
      tags: withTags(args.tags),
    }, { parent: this });
    new aws.iam.RolePolicyAttachment(`${name}-instance-core`, {
      role: this.instanceRole.name,
      policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonSSMManagedInstanceCore`,
    }, { parent: this });
    new aws.iam.RolePolicy(`${name}-instance-session-logs`, {
      role: this.instanceRole.id,
      policy: toJson({
        Version: "2012-10-17",
        Statement: [
          { Sid: "WriteSessionTranscripts", Effect: "Allow", Action: "s3:PutObject", Resource: pulumi.interpolate`${bucket.arn}/sessions/*` },
          { Sid: "CheckBucketEncryption", Effect: "Allow", Action: "s3:GetEncryptionConfiguration", Resource: bucket.arn },
          {
            Sid: "StreamSessionLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: pulumi.interpolate`${this.sessionLogGroup.arn}:*`,
          },
          { Sid: "CheckLogGroupEncryption", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
          { Sid: "EncryptSessions", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: keyArn },
        ],
      }),
    }, { parent: this });
    this.instanceProfile = new aws.iam.InstanceProfile(`${name}-instance`, { role: this.instanceRole.name, tags: withTags(args.tags) }, { parent: this });

    // Reports permissions unused for 90 days (least privilege review).
    new aws.accessanalyzer.Analyzer(`${name}-unused-access`, {
      analyzerName: "duespark-unused-access",
      type: "ACCOUNT_UNUSED_ACCESS",
      configuration: { unusedAccess: { unusedAccessAge: 90 } },
      tags: withTags(args.tags),
    }, { parent: this });

    this.registerOutputs({
      sessionLogBucket: bucket.bucket,
      sessionLogGroup: this.sessionLogGroup.name,
      engineerPolicyArn: this.engineerPolicy.arn,
      instanceProfile: this.instanceProfile.name,
    });
  }
}

export interface EngineerPolicyInputs {
  config: AccessConfig;
  instanceArn: pulumi.Input<string>;
  shellDocumentArn: pulumi.Input<string>;
  /** `arn:...:ssm:<region>:<account>:session/` */
  sessionArnPrefix: pulumi.Input<string>;
  awsDocumentArn: (name: string) => pulumi.Input<string>;
  keyArn: pulumi.Input<string>;
}

/**
 * MFA: in `iam` mode every Allow requires `Bool aws:MultiFactorAuthPresent
 * "true"` (absent key = no MFA = no match), and a Deny with BoolIfExists
 * "false" blocks everything but MFA self-service. In `identity-provider` mode
 * engineers arrive through SAML / IAM Identity Center roles, whose sessions
 * never carry aws:MultiFactorAuthPresent; MFA is enforced by the identity
 * provider and the key is left out (it would deny every engineer).
 */
export function engineerPolicyDocument(p: EngineerPolicyInputs): PolicyDocument {
  const iamMfa = p.config.mfaEnforcement === "iam";
  const mfa: Conditions = iamMfa ? { Bool: { "aws:MultiFactorAuthPresent": "true" } } : {};
  const withMfa = (c: Conditions = {}): Conditions | undefined => {
    const merged = { ...c, ...mfa };
    return Object.keys(merged).length > 0 ? merged : undefined;
  };
  // IAM users' session ids start with the user name; federated sessions with the user id.
  const owner = p.config.engineers.kind === "group" ? "${aws:username}" : "${aws:userid}";
  const statements: Statement[] = [
    {
      Sid: "StartSessionOnTaggedInstances",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: p.instanceArn,
      Condition: withMfa({ StringEquals: { [`ssm:resourceTag/${p.config.shellAccessTag.key}`]: p.config.shellAccessTag.value } }),
    },
    {
      Sid: "StartSessionWithLoggedShellDocument",
      Effect: "Allow",
      Action: "ssm:StartSession",
      Resource: p.shellDocumentArn,
      Condition: withMfa(),
    },
    {
      Sid: "ManageOwnSessions",
      Effect: "Allow",
      Action: ["ssm:TerminateSession", "ssm:ResumeSession"],
      Resource: pulumi.interpolate`${p.sessionArnPrefix}${owner}-*`,
      Condition: withMfa(),
    },
    {
      Sid: "ListSessionTargets",
      Effect: "Allow",
      Action: ["ssm:DescribeSessions", "ssm:GetConnectionStatus", "ssm:DescribeInstanceProperties", "ec2:DescribeInstances"],
      Resource: "*",
      Condition: withMfa(),
    },
    {
      Sid: "EncryptSessionData",
      Effect: "Allow",
      Action: "kms:GenerateDataKey",
      Resource: p.keyArn,
      Condition: withMfa(),
    },
    {
      Sid: "DenySshAndPortForwarding",
      Effect: "Deny",
      Action: "ssm:StartSession",
      Resource: DENIED_SESSION_DOCUMENTS.map((d) => p.awsDocumentArn(d)),
    },
  ];
  if (iamMfa) {
    statements.push({
      Sid: "DenyAllWithoutMfa",
      Effect: "Deny",
      NotAction: MFA_SELF_SERVICE_ACTIONS,
      Resource: "*",
      Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } },
    });
  }
  return { Version: "2012-10-17", Statement: statements };
}
