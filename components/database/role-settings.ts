/**
 * Role-level settings the PostgreSQL provider cannot declare (runbook:
 * Database Access — read-only developers, audited admins), such as
 * `ALTER ROLE developer_readonly SET default_transaction_read_only = on`.
 *
 * A Lambda in the VPC (lambdas/db-role-settings) connects as the RDS master
 * user, whose password it reads from the RDS-managed secret at run time, and
 * an aws.lambda.Invocation with lifecycleScope "CRUD" calls it:
 *
 *   create  SET every setting
 *   update  SET the new settings, RESET those the previous input had and the
 *           new one dropped
 *   delete  RESET every setting (destroy, or the settings removed)
 *
 * The settings are plain data from config, so the input (and the plan) is
 * fully known in a preview, and they are checked against the function's own
 * allow-list here, before anything is deployed.
 *
 * The invocation is deleted before it is replaced: a replacement created
 * first would have its settings reset by the old invocation's delete.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config/load";
import { checkRoleSettings, LIFECYCLE_KEY, RoleSetting } from "../../lambdas/db-role-settings/sql";
import type { Network } from "../network/network";
import { serviceTrust, toJson } from "../shared/iam";
import { LAMBDA_RUNTIME, lambdaArchive } from "../shared/lambda-bundle";
import { withTags } from "../shared/tags";
import type { Database } from "./database";

export const ROLE_SETTINGS_TYPE = "duespark:database:RoleSettings";

/** The function's logs record every change of a role setting: kept with the audit retention. */
export const ROLE_SETTINGS_LOG_RETENTION_DAYS = 2557;

export interface RoleSettingsArgs {
  /** Settings held on the roles; role names must be the names the roles are created with. */
  settings: RoleSetting[];
  /** Instance, database name and master secret the function connects with. */
  database: Database;
  network: Network;
  /** CMK of the master secret. */
  kmsKey: aws.kms.Key;
  /** The roles the settings are for: applied after they exist, reset before they are dropped. */
  roles: pulumi.Resource[];
  tags?: Record<string, string>;
}

export class RoleSettings extends pulumi.ComponentResource {
  readonly function: aws.lambda.Function;
  readonly invocation: aws.lambda.Invocation;

  constructor(name: string, args: RoleSettingsArgs, opts?: pulumi.ComponentResourceOptions) {
    const settings = validate(args);
    super(ROLE_SETTINGS_TYPE, name, {}, opts);
    const { database, kmsKey } = args;
    const invoke = { parent: this };
    const region = aws.getRegionOutput({}, invoke).region;
    const partition = aws.getPartitionOutput({}, invoke).partition;
    const fnName = `duespark-${pulumi.getStack()}-db-role-settings`;
    const tags = withTags(args.tags);

    const logGroup = new aws.cloudwatch.LogGroup(name, {
      name: `/aws/lambda/${fnName}`,
      retentionInDays: ROLE_SETTINGS_LOG_RETENTION_DAYS,
      kmsKeyId: kmsKey.arn,
      tags,
    }, { parent: this });

    const role = new aws.iam.Role(name, {
      description: "Applies PostgreSQL role settings as the RDS master user",
      assumeRolePolicy: toJson(serviceTrust("lambda.amazonaws.com")),
      tags,
    }, { parent: this });
    // ENIs in the VPC and writing the function's logs.
    const vpcAccess = new aws.iam.RolePolicyAttachment(`${name}-vpc-access`, {
      role: role.name,
      policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole`,
    }, { parent: this });
    const policy = new aws.iam.RolePolicy(name, {
      role: role.id,
      policy: toJson({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "ReadMasterUserSecret",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: database.masterSecretArn,
          },
          {
            Sid: "DecryptMasterUserSecret",
            Effect: "Allow",
            Action: "kms:Decrypt",
            Resource: kmsKey.arn,
            Condition: { StringEquals: { "kms:ViaService": pulumi.interpolate`secretsmanager.${region}.amazonaws.com` } },
          },
        ],
      }),
    }, { parent: this });

    this.function = new aws.lambda.Function(name, {
      name: fnName,
      description: "Applies and resets PostgreSQL role settings (ALTER ROLE ... SET) for the roles DatabaseRoles declares",
      runtime: LAMBDA_RUNTIME,
      handler: "index.handler",
      code: lambdaArchive("db-role-settings"),
      role: role.arn,
      architectures: ["arm64"],
      memorySize: 256,
      timeout: 60,
      environment: {
        variables: {
          MASTER_SECRET_ARN: database.masterSecretArn,
          DB_HOST: database.address,
          DB_PORT: database.port.apply(String),
        },
      },
      loggingConfig: { logFormat: "JSON", logGroup: logGroup.name },
      vpcConfig: { subnetIds: args.network.privateSubnetIds, securityGroupIds: [args.network.appSecurityGroupId] },
      tags,
    }, { parent: this, dependsOn: [vpcAccess, policy, logGroup] });

    this.invocation = new aws.lambda.Invocation(name, {
      functionName: this.function.name,
      input: JSON.stringify({ database: database.databaseName, settings }),
      lifecycleScope: "CRUD",
      terraformKey: LIFECYCLE_KEY,
    }, { parent: this, dependsOn: args.roles, deleteBeforeReplace: true });

    this.registerOutputs({ functionName: this.function.name });
  }
}

function validate(args: RoleSettingsArgs): RoleSetting[] {
  if (!args.kmsKey || !args.network) throw new ConfigError("RoleSettings: network and kmsKey are required (the function runs in the VPC and decrypts the master secret)");
  if (args.roles.length === 0) throw new ConfigError("RoleSettings: roles is empty; the settings must wait for the roles they apply to");
  try {
    return checkRoleSettings(args.settings);
  } catch (e) {
    throw new ConfigError(`RoleSettings: ${(e as Error).message}`);
  }
}
