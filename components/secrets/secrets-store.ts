/**
 * Secrets Manager secrets and their rotation (runbook: Secret Management —
 * Secret Rotation Schedule: JWT 90 days, database credentials 180 days,
 * third-party API keys 365 days).
 *
 * Every secret: encrypted with the stack's CMK, replicated to the DR region
 * under the DR replica key, recoverable for `recoveryWindowDays` after
 * deletion, and a resource policy that denies any principal outside the
 * account (AWS services acting on their own are exempt) and any request
 * without TLS.
 *
 * No secret value is created by this program: the first rotation (run
 * immediately when rotation is configured) generates the JWT key and the
 * first database user; API keys are put by hand from the vendor's console
 * (docs/RUNBOOK-SECRETS.md). So no value ever reaches Pulumi state.
 *
 * Recovery stacks (`adopt`) do not create the JWT key or the API-key
 * secrets: a new value would shadow the primary's replicas, which already
 * sit in this region under the same names, and would log every user out
 * (JWT) or lose the vendor keys. They read the replicas instead; rotation of
 * those resumes once the replicas are promoted (docs/DISASTER-RECOVERY.md).
 * The database credentials are always this stack's own: the restored
 * instance has a new endpoint and a new RDS-managed master secret.
 *
 * API key reminders follow the incident classification: an overdue or
 * missing key is P2, a key due within `apiKeyReminderDays` is P3; each goes
 * to the topic `routeOf(priority)` names (today both route to the warning
 * topic, i.e. Slack; PagerDuty only pages P0/P1).
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { SecretsConfig } from "../../config/sections/secrets";
import { ConfigError } from "../../config/load";
import type { AlertRouting } from "../alerting/alert-routing";
import { IncidentPriority, routeOf } from "../alerting/incidents";
import type { Database } from "../database/database";
import type { DatabaseRoles } from "../database/database-roles";
import type { Network } from "../network/network";
import { PolicyDocument, serviceTrust, Statement, toJson } from "../shared/iam";
import { LAMBDA_RUNTIME, lambdaArchive } from "../shared/lambda-bundle";
import { SecretClass, TAG_KEYS, withTags } from "../shared/tags";

export const SECRETS_STORE_TYPE = "duespark:secrets:SecretsStore";

/** Tag carrying a secret's rotation obligation in days (read by the policy pack and auditors). */
export const ROTATION_DAYS_TAG_KEY = "duespark:rotation-days";

/** Rotation Lambda logs are change evidence: kept with the audit retention. */
export const ROTATION_LOG_RETENTION_DAYS = 2557;

/** Connection limit of each generated application user. */
export const APP_USER_CONNECTION_LIMIT = 200;

export const API_KEY_DUE_SOON_PRIORITY: IncidentPriority = "P3";
export const API_KEY_OVERDUE_PRIORITY: IncidentPriority = "P2";

export interface SecretsStoreArgs {
  config: SecretsConfig;
  database: Database;
  network: Network;
  kmsKey: aws.kms.Key;
  drKmsKey: aws.kms.ReplicaKey;
  drRegion: string;
  alerts: AlertRouting;
  /**
   * The database's roles: the first rotation creates a member of the app
   * group role, so it must wait for them. Without it the first database
   * rotation is not run at deploy time (start it with `aws secretsmanager rotate-secret`).
   */
  databaseRoles?: DatabaseRoles;
  protect: boolean;
  tags?: Record<string, string>;
  /** Recovery stacks: use the primary's secret replicas in this region instead of creating JWT / API-key secrets. */
  adopt?: AdoptedSecrets;
}

export interface AdoptedSecrets {
  /** Name prefix of the primary's secrets (replicas keep the names), e.g. `duespark/prod`. */
  namePrefix: string;
  jwtSecretArn: pulumi.Input<string>;
  /** Replica ARN per configured API key name. */
  apiKeySecretArns: Record<string, pulumi.Input<string>>;
}

/** Secrets Manager name prefix of a stack's secrets. */
export function secretNamePrefix(stack: string): string {
  return `duespark/${stack}`;
}

/** What SecretDelivery maps into the Kubernetes secret. */
export interface SecretDeliverySource {
  /** Secret names are fixed by this component, so manifests are fully known in a preview. */
  jwtSecretName: string;
  databaseSecretName: string;
  apiKeys: { envVar: string; secretName: string }[];
  jwtOverlapMinutes: number;
}

/** `rate(N days)`: the one schedule form used for every rotation. */
export function rotationSchedule(days: number): string {
  if (!Number.isInteger(days) || days < 1 || days > 1000) throw new ConfigError(`secret rotation every ${days} days is not possible; Secrets Manager accepts 1 to 1000 days`);
  return `rate(${days} ${days === 1 ? "day" : "days"})`;
}

/** Minutes of a Go duration such as 1h, 15m or 30s (rounded up). */
export function durationMinutes(d: string): number {
  const m = /^(\d+)(s|m|h)$/.exec(d);
  if (!m) throw new ConfigError(`secrets.refreshInterval is "${d}"; expected a duration such as 1h, 15m or 30s`);
  const n = Number(m[1]);
  return m[2] === "h" ? n * 60 : m[2] === "m" ? n : Math.ceil(n / 60);
}

/** Resource policy of every secret: account principals over TLS only. */
export function secretResourcePolicy(accountId: pulumi.Input<string>): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyPrincipalsOutsideTheAccount",
        Effect: "Deny",
        Principal: "*",
        Action: "secretsmanager:*",
        Resource: "*",
        Condition: {
          StringNotEquals: { "aws:PrincipalAccount": accountId },
          BoolIfExists: { "aws:PrincipalIsAWSService": "false" },
        },
      },
      {
        Sid: "DenyWithoutTls",
        Effect: "Deny",
        Principal: "*",
        Action: "secretsmanager:*",
        Resource: "*",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

interface LambdaSpec {
  fnName: string;
  description: string;
  bundle: string;
  environment: Record<string, pulumi.Input<string>>;
  statements: pulumi.Input<Statement>[];
  timeout: number;
  vpc?: { subnetIds: pulumi.Input<string[]>; securityGroupIds: pulumi.Input<string>[] };
}

export class SecretsStore extends pulumi.ComponentResource {
  /** Undefined when the JWT key is adopted from the primary's replica. */
  readonly jwtSecret: aws.secretsmanager.Secret | undefined;
  readonly jwtSecretArn: pulumi.Output<string>;
  readonly databaseSecret: aws.secretsmanager.Secret;
  /** Secrets this stack declares (empty when adopted). */
  readonly apiKeySecrets: Record<string, aws.secretsmanager.Secret>;
  readonly apiKeySecretArns: Record<string, pulumi.Output<string>>;
  /** Every secret ARN the stack uses, the RDS-managed master secret included. */
  readonly secretArns: pulumi.Output<string>[];
  readonly delivery: SecretDeliverySource;
  /** Undefined when adopted: a replica secret cannot be rotated in its replica region. */
  readonly jwtRotationFunction: aws.lambda.Function | undefined;
  readonly dbRotationFunction: aws.lambda.Function;
  readonly apiKeyAgeCheckFunction: aws.lambda.Function;

  private readonly accountId: pulumi.Output<string>;
  private readonly region: pulumi.Output<string>;
  private readonly args: SecretsStoreArgs;

  constructor(name: string, args: SecretsStoreArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args);
    super(SECRETS_STORE_TYPE, name, {}, opts);
    this.args = args;
    const { config, database } = args;
    const invoke = { parent: this };
    this.accountId = aws.getCallerIdentityOutput({}, invoke).accountId;
    this.region = aws.getRegionOutput({}, invoke).region;
    const stack = pulumi.getStack();
    const prefix = secretNamePrefix(stack);
    const sharedPrefix = args.adopt?.namePrefix ?? prefix;
    const dbCfg = database.config;

    // --- 1. JWT signing key (SECRET_KEY).
    if (args.adopt) {
      this.jwtSecret = undefined;
      this.jwtRotationFunction = undefined;
      this.jwtSecretArn = pulumi.output(args.adopt.jwtSecretArn);
    } else {
      const jwtSecret = this.secret(`${name}-jwt`, `${prefix}/jwt-signing-key`, "JWT signing key of the DueSpark API (SECRET_KEY)", "jwt", config.rotationDays.jwt);
      const jwtFnName = `duespark-${stack}-jwt-rotation`;
      const jwtRotationFunction = this.lambda(`${name}-jwt-rotation`, {
        fnName: jwtFnName,
        description: `Rotates ${prefix}/jwt-signing-key every ${config.rotationDays.jwt} days`,
        bundle: "jwt-rotation",
        environment: { JWT_OVERLAP_MINUTES: String(config.jwtVerificationOverlapMinutes) },
        statements: [this.rotateOwnSecret(jwtSecret), this.decryptViaSecretsManager()],
        timeout: 30,
      });
      this.rotation(`${name}-jwt`, jwtSecret, jwtRotationFunction, config.rotationDays.jwt, true, []);
      this.jwtSecret = jwtSecret;
      this.jwtRotationFunction = jwtRotationFunction;
      this.jwtSecretArn = jwtSecret.arn;
    }

    // --- 2. Application database credentials.
    this.databaseSecret = this.secret(`${name}-database`, `${prefix}/database/app`, "DueSpark API database credentials (rotating application user)", "database", config.rotationDays.database);
    const graceMinutes = durationMinutes(config.refreshInterval) + dbCfg.rotationDrainMinutes;
    const dbFnName = `duespark-${stack}-db-rotation`;
    this.dbRotationFunction = this.lambda(`${name}-db-rotation`, {
      fnName: dbFnName,
      description: `Rotates the application database user every ${config.rotationDays.database} days and drops old users`,
      bundle: "db-rotation",
      environment: {
        SECRET_ARN: this.databaseSecret.arn,
        MASTER_SECRET_ARN: database.masterSecretArn,
        DB_HOST: database.address,
        DB_PORT: database.port.apply(String),
        DB_NAME: dbCfg.databaseName,
        APP_ROLE: dbCfg.appRole,
        OWNER_ROLE: dbCfg.ownerRole,
        USER_PREFIX: `${dbCfg.appRole}_`,
        CONNECTION_LIMIT: String(APP_USER_CONNECTION_LIMIT),
        GRACE_MINUTES: String(graceMinutes),
      },
      statements: [
        this.rotateOwnSecret(this.databaseSecret),
        pulumi.output({
          Sid: "ReadMasterUserSecret",
          Effect: "Allow" as const,
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          Resource: database.masterSecretArn,
        }),
        this.decryptViaSecretsManager(),
      ],
      timeout: 120,
      vpc: { subnetIds: args.network.privateSubnetIds, securityGroupIds: [args.network.appSecurityGroupId] },
    });
    this.rotation(`${name}-database`, this.databaseSecret, this.dbRotationFunction, config.rotationDays.database, args.databaseRoles !== undefined, args.databaseRoles ? [args.databaseRoles] : []);
    this.schedule(`${name}-db-sweep`, "rate(1 hour)", this.dbRotationFunction, JSON.stringify({ action: "sweep" }), "Drops application database users whose grace period has ended");

    // --- 3. Third-party API keys: put by hand, age checked daily.
    this.apiKeySecrets = {};
    this.apiKeySecretArns = {};
    for (const key of config.apiKeys) {
      if (args.adopt) {
        this.apiKeySecretArns[key.name] = pulumi.output(args.adopt.apiKeySecretArns[key.name]);
        continue;
      }
      this.apiKeySecrets[key.name] = this.secret(`${name}-api-key-${key.name}`, `${prefix}/api-keys/${key.name}`, `${key.vendor} API key (${key.envVar}); rotate by hand every ${config.rotationDays.apiKeys} days`, "api-key", config.rotationDays.apiKeys);
      this.apiKeySecretArns[key.name] = this.apiKeySecrets[key.name].arn;
    }
    const apiKeyArns = config.apiKeys.map((k) => this.apiKeySecretArns[k.name]);
    const topicFor = (p: IncidentPriority) => (routeOf(p) === "critical" ? args.alerts.criticalTopic : args.alerts.warningTopic);
    const dueSoonTopic = topicFor(API_KEY_DUE_SOON_PRIORITY);
    const overdueTopic = topicFor(API_KEY_OVERDUE_PRIORITY);
    this.apiKeyAgeCheckFunction = this.lambda(`${name}-api-key-age`, {
      fnName: `duespark-${stack}-api-key-age-check`,
      description: `Warns before third-party API keys pass their ${config.rotationDays.apiKeys}-day rotation`,
      bundle: "api-key-age-check",
      environment: {
        API_KEY_REFS: pulumi.jsonStringify(config.apiKeys.map((k) => ({ name: k.name, secretId: this.apiKeySecretArns[k.name], vendor: k.vendor, envVar: k.envVar }))),
        ROTATION_DAYS: String(config.rotationDays.apiKeys),
        REMINDER_DAYS: String(config.apiKeyReminderDays),
        ENVIRONMENT: stack,
        DUE_SOON_TOPIC_ARN: dueSoonTopic.arn,
        DUE_SOON_PRIORITY: API_KEY_DUE_SOON_PRIORITY,
        OVERDUE_TOPIC_ARN: overdueTopic.arn,
        OVERDUE_PRIORITY: API_KEY_OVERDUE_PRIORITY,
      },
      statements: [
        pulumi.output({
          Sid: "ReadApiKeyMetadata",
          Effect: "Allow" as const,
          Action: ["secretsmanager:DescribeSecret", "secretsmanager:ListSecretVersionIds"],
          Resource: apiKeyArns,
        }),
        pulumi.output({
          Sid: "PublishReminders",
          Effect: "Allow" as const,
          Action: "sns:Publish",
          Resource: [...new Set([dueSoonTopic, overdueTopic])].map((t) => t.arn),
        }),
        pulumi.all([this.region]).apply(([region]) => ({
          Sid: "EncryptForEncryptedTopics",
          Effect: "Allow" as const,
          Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
          Resource: args.kmsKey.arn,
          Condition: { StringEquals: { "kms:ViaService": `sns.${region}.amazonaws.com` } },
        })),
      ],
      timeout: 60,
    });
    // Named so reviewers and the policy pack find the age check by name.
    this.schedule(`${name}-api-key-age-check`, "rate(1 day)", this.apiKeyAgeCheckFunction, "{}", "Daily API key rotation-obligation check", [`${name}-api-key-age`]);

    this.secretArns = [this.jwtSecretArn, this.databaseSecret.arn, ...apiKeyArns, database.masterSecretArn];
    this.delivery = {
      jwtSecretName: `${sharedPrefix}/jwt-signing-key`,
      databaseSecretName: `${prefix}/database/app`,
      apiKeys: config.apiKeys.map((k) => ({ envVar: k.envVar, secretName: `${sharedPrefix}/api-keys/${k.name}` })),
      jwtOverlapMinutes: config.jwtVerificationOverlapMinutes,
    };
    this.registerOutputs({ secretArns: this.secretArns });
  }

  private secret(resourceName: string, secretName: string, description: string, cls: SecretClass, rotationDays: number): aws.secretsmanager.Secret {
    const a = this.args;
    const secret = new aws.secretsmanager.Secret(resourceName, {
      name: secretName,
      description,
      kmsKeyId: a.kmsKey.arn,
      recoveryWindowInDays: a.config.recoveryWindowDays,
      replicas: [{ region: a.drRegion, kmsKeyId: a.drKmsKey.arn }],
      tags: withTags(a.tags, { [TAG_KEYS.secretClass]: cls, [ROTATION_DAYS_TAG_KEY]: String(rotationDays) }),
    }, { parent: this, protect: a.protect });
    new aws.secretsmanager.SecretPolicy(resourceName, {
      secretArn: secret.arn,
      policy: toJson(secretResourcePolicy(this.accountId)),
      blockPublicPolicy: true,
    }, { parent: this });
    return secret;
  }

  private rotateOwnSecret(secret: aws.secretsmanager.Secret): pulumi.Output<Statement> {
    return pulumi.output({
      Sid: "RotateOwnSecret",
      Effect: "Allow" as const,
      Action: ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue", "secretsmanager:UpdateSecretVersionStage"],
      Resource: secret.arn,
    });
  }

  private decryptViaSecretsManager(): pulumi.Output<Statement> {
    return this.region.apply((region) => ({
      Sid: "UseKeyThroughSecretsManager",
      Effect: "Allow" as const,
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: this.args.kmsKey.arn,
      Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
    }));
  }

  private lambda(name: string, spec: LambdaSpec): aws.lambda.Function {
    const a = this.args;
    const tags = withTags(a.tags);
    const logGroup = new aws.cloudwatch.LogGroup(name, {
      name: `/aws/lambda/${spec.fnName}`,
      retentionInDays: ROTATION_LOG_RETENTION_DAYS,
      kmsKeyId: a.kmsKey.arn,
      tags,
    }, { parent: this });
    const role = new aws.iam.Role(name, {
      description: spec.description,
      assumeRolePolicy: toJson(serviceTrust("lambda.amazonaws.com")),
      tags,
    }, { parent: this });
    const statements: pulumi.Input<Statement>[] = [
      ...spec.statements,
      pulumi.output({
        Sid: "WriteOwnLogs",
        Effect: "Allow" as const,
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: pulumi.interpolate`${logGroup.arn}:*`,
      }),
    ];
    if (spec.vpc) {
      // Lambda manages its network interfaces with the function's role; these actions take no resource ARNs.
      statements.push({
        Sid: "ManageVpcNetworkInterfaces",
        Effect: "Allow",
        Action: ["ec2:CreateNetworkInterface", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DeleteNetworkInterface", "ec2:AssignPrivateIpAddresses", "ec2:UnassignPrivateIpAddresses"],
        Resource: "*",
      });
    }
    const policy = new aws.iam.RolePolicy(name, {
      role: role.id,
      policy: pulumi.all(statements).apply((st) => toJson({ Version: "2012-10-17", Statement: st })),
    }, { parent: this });
    return new aws.lambda.Function(name, {
      name: spec.fnName,
      description: spec.description,
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      code: lambdaArchive(spec.bundle),
      role: role.arn,
      architectures: ["arm64"],
      memorySize: 256,
      timeout: spec.timeout,
      environment: { variables: spec.environment },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      vpcConfig: spec.vpc ? { subnetIds: spec.vpc.subnetIds, securityGroupIds: spec.vpc.securityGroupIds } : undefined,
      tags,
    }, { parent: this, dependsOn: [policy, logGroup] });
  }

  private rotation(name: string, secret: aws.secretsmanager.Secret, fn: aws.lambda.Function, days: number, rotateImmediately: boolean, dependsOn: pulumi.Resource[]): aws.secretsmanager.SecretRotation {
    const permission = new aws.lambda.Permission(name, {
      action: "lambda:InvokeFunction",
      function: fn.name,
      principal: "secretsmanager.amazonaws.com",
      sourceArn: secret.arn,
      sourceAccount: this.accountId,
    }, { parent: this });
    return new aws.secretsmanager.SecretRotation(name, {
      secretId: secret.id,
      rotationLambdaArn: fn.arn,
      rotationRules: { scheduleExpression: rotationSchedule(days) },
      rotateImmediately,
    }, { parent: this, dependsOn: [permission, ...dependsOn] });
  }

  private schedule(name: string, expression: string, fn: aws.lambda.Function, input: string, description: string, formerNames: string[] = []): aws.scheduler.Schedule {
    // Earlier logical names keep the existing resources instead of replacing them.
    const aliases = formerNames.map((n) => ({ name: n }));
    const role = new aws.iam.Role(name, {
      description: `EventBridge Scheduler: ${description}`,
      assumeRolePolicy: toJson({
        Version: "2012-10-17",
        Statement: [{
          Effect: "Allow",
          Principal: { Service: "scheduler.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": this.accountId } },
        }],
      }),
      tags: withTags(this.args.tags),
    }, { parent: this, aliases });
    new aws.iam.RolePolicy(name, {
      role: role.id,
      policy: toJson({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "lambda:InvokeFunction", Resource: fn.arn }] }),
    }, { parent: this, aliases });
    return new aws.scheduler.Schedule(name, {
      description,
      scheduleExpression: expression,
      flexibleTimeWindow: { mode: "OFF" },
      target: { arn: fn.arn, roleArn: role.arn, input, retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 3600 } },
    }, { parent: this, aliases });
  }
}

function validate(args: SecretsStoreArgs): void {
  const c = args.config;
  for (const days of Object.values(c.rotationDays)) rotationSchedule(days);
  if (c.apiKeyReminderDays >= c.rotationDays.apiKeys) {
    throw new ConfigError(`SecretsStore: config.apiKeyReminderDays (${c.apiKeyReminderDays}) must be shorter than rotationDays.apiKeys (${c.rotationDays.apiKeys})`);
  }
  const envVars = c.apiKeys.map((k) => k.envVar);
  const reserved = ["SECRET_KEY", "DATABASE_URL"];
  const clash = envVars.find((v, i) => envVars.indexOf(v) !== i || reserved.includes(v));
  if (clash) throw new ConfigError(`SecretsStore: API key envVar "${clash}" is duplicated or reserved (SECRET_KEY, DATABASE_URL)`);
  const names = c.apiKeys.map((k) => k.name);
  const dupName = names.find((n, i) => names.indexOf(n) !== i);
  if (dupName) throw new ConfigError(`SecretsStore: API key name "${dupName}" is used twice`);
  if (args.drRegion === undefined || args.drRegion === "") throw new ConfigError("SecretsStore: drRegion is required (secrets are replicated there)");
  if (args.adopt) {
    const missing = c.apiKeys.map((k) => k.name).filter((n) => !args.adopt!.apiKeySecretArns[n]);
    if (missing.length) throw new ConfigError(`SecretsStore: adopt.apiKeySecretArns has no replica for API key(s) ${missing.join(", ")}; every configured API key needs one`);
    if (!args.adopt.jwtSecretArn) throw new ConfigError("SecretsStore: adopt.jwtSecretArn is required (the primary's JWT key replica)");
  }
  if (args.database.config.appRole.length > 48) {
    throw new ConfigError(`SecretsStore: database.appRole "${args.database.config.appRole}" is too long to prefix generated users (at most 48 characters)`);
  }
}
