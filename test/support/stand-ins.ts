/**
 * Minimal real resources standing in for the keys / network / database
 * components in component tests, shaped like those components' outputs.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { BACKUP_PLAN_TAG_VALUE, TAG_KEYS } from "../../components/shared/tags";
import type { StackConfig } from "../../config/schema";

export function standInKeys(cfg: StackConfig) {
  const drProvider = new aws.Provider("dr-region", { region: cfg.drRegion });
  const primaryKey = new aws.kms.Key("stand-in-key", { enableKeyRotation: true, multiRegion: true, deletionWindowInDays: 30 });
  const replicaKey = new aws.kms.ReplicaKey("stand-in-replica", { primaryKeyArn: primaryKey.arn, deletionWindowInDays: 30 }, { provider: drProvider });
  return { primaryKey, replicaKey, drProvider };
}

export function standInNetwork() {
  const vpc = new aws.ec2.Vpc("stand-in-vpc", { cidrBlock: "10.40.0.0/16" });
  const subnets = [0, 1, 2].map((i) => new aws.ec2.Subnet(`stand-in-private-${i}`, { vpcId: vpc.id, cidrBlock: `10.40.${i * 16}.0/20` }));
  const sg = (n: string) => new aws.ec2.SecurityGroup(`stand-in-${n}`, { vpcId: vpc.id });
  return {
    vpcId: vpc.id,
    vpcCidr: pulumi.output("10.40.0.0/16"),
    privateSubnetIds: pulumi.all(subnets.map((s) => s.id)),
    appSecurityGroupId: sg("app").id,
    databaseSecurityGroupId: sg("db").id,
    endpointSecurityGroupId: sg("endpoints").id,
  };
}

export function standInDatabase(cfg: StackConfig, kmsKey: aws.kms.Key) {
  const instance = new aws.rds.Instance("stand-in-db", {
    engine: "postgres",
    engineVersion: cfg.database.engineVersion,
    instanceClass: cfg.database.instanceClass,
    allocatedStorage: cfg.database.allocatedStorageGb,
    dbName: cfg.database.databaseName,
    username: cfg.database.masterUsername,
    manageMasterUserPassword: true,
    masterUserSecretKmsKeyId: kmsKey.arn,
    storageEncrypted: true,
    kmsKeyId: kmsKey.arn,
    tags: { [TAG_KEYS.backupPlan]: BACKUP_PLAN_TAG_VALUE },
  });
  return {
    instance,
    arn: instance.arn,
    endpoint: instance.endpoint,
    address: instance.address,
    port: instance.port,
    identifier: instance.identifier,
  };
}
