import assert from "node:assert/strict";
import { test } from "node:test";
import { Database } from "../../../components/database/database";
import { BACKUP_PLAN_TAG_VALUE, TAG_KEYS } from "../../../components/shared/tags";
import { inputsOf, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { buildDatabase } from "../data-plane";

const cfg = stackConfig("prod");

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";
  test(`RDS PostgreSQL: private, encrypted, IAM auth, PITR, protected (${mode})`, async () => {
    let masterSecretArn: string | undefined;
    const run = await runMocked(() => {
      const { database } = buildDatabase(cfg);
      database.masterSecretArn.apply((a) => (masterSecretArn = a));
    }, { preview });
    const inst = run.one("aws:rds/instance:Instance");
    const i = inputsOf(inst);
    assert.equal(i.identifier, "duespark-prod");
    assert.equal(i.engine, "postgres");
    assert.equal(i.engineVersion, "16.4");
    assert.equal(i.storageEncrypted, true);
    assert.equal(i.publiclyAccessible, false);
    assert.equal(i.deletionProtection, true);
    assert.equal(i.multiAz, true);
    assert.equal(i.backupRetentionPeriod, 14);
    assert.equal(i.iamDatabaseAuthenticationEnabled, true);
    assert.deepEqual(i.enabledCloudwatchLogsExports, ["postgresql", "upgrade"]);
    assert.equal(i.manageMasterUserPassword, true);
    assert.equal(i.password, undefined);
    assert.equal(i.copyTagsToSnapshot, true);
    assert.equal(i.skipFinalSnapshot, false);
    assert.equal(i.tags[TAG_KEYS.backupPlan], BACKUP_PLAN_TAG_VALUE);
    assert.equal(inst.protect, true);
    const key = run.one("aws:kms/key:Key");
    assert.deepEqual(inst.propertyDependencies.kmsKeyId, [key.urn]);
    assert.deepEqual(inst.propertyDependencies.masterUserSecretKmsKeyId, [key.urn]);
    assert.deepEqual(inst.propertyDependencies.vpcSecurityGroupIds, [run.one("aws:ec2/securityGroup:SecurityGroup", "network-database").urn]);
    if (preview) {
      assert.equal(i.kmsKeyId, UNKNOWN);
      assert.equal(masterSecretArn, undefined);
    } else {
      assert.match(i.kmsKeyId, /^arn:aws:kms:us-east-1:123456789012:key\/mrk-/);
      assert.equal(i.masterUserSecretKmsKeyId, i.kmsKeyId);
      assert.match(masterSecretArn!, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
    }

    const logGroups = run.all("aws:cloudwatch/logGroup:LogGroup").map((g) => ({ urn: g.urn, ...inputsOf(g) }));
    assert.deepEqual(logGroups.map((g) => g.name), ["/aws/rds/instance/duespark-prod/postgresql", "/aws/rds/instance/duespark-prod/upgrade"]);
    assert.ok(logGroups.every((g) => g.retentionInDays === 2557));
    for (const g of logGroups) assert.ok(inst.dependencies.includes(g.urn), "log groups exist before RDS would create them");

    const params = Object.fromEntries(inputsOf(run.one("aws:rds/parameterGroup:ParameterGroup")).parameters.map((p: any) => [p.name, p]));
    assert.equal(inputsOf(run.one("aws:rds/parameterGroup:ParameterGroup")).family, "postgres16");
    assert.equal(params["rds.force_ssl"].value, "1");
    assert.match(params["shared_preload_libraries"].value, /(^|,)pgaudit(,|$)/);
    assert.equal(params["shared_preload_libraries"].applyMethod, "pending-reboot");
    assert.equal(params["pgaudit.log"].value, "ddl,role,write");
    assert.equal(params["log_connections"].value, "1");
    assert.equal(params["log_disconnections"].value, "1");
    assert.equal(params["password_encryption"].value, "scram-sha-256");

    const repl = run.one("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication");
    assert.equal(inputsOf(repl).retentionPeriod, 14);
    assert.ok(repl.provider?.startsWith(run.one("pulumi:providers:aws", "dr-region").urn));
    assert.deepEqual(repl.propertyDependencies.kmsKeyId, [run.one("aws:kms/replicaKey:ReplicaKey").urn]);
    if (!preview) assert.match(inputsOf(repl).kmsKeyId, /^arn:aws:kms:us-west-2:123456789012:key\/mrk-/);
    const subnetGroup = run.one("aws:rds/subnetGroup:SubnetGroup");
    assert.deepEqual(subnetGroup.propertyDependencies.subnetIds.sort(), run.all("aws:ec2/subnet:Subnet").map((s) => s.urn).sort());
    if (!preview) assert.equal(inputsOf(subnetGroup).subnetIds.length, 3);
  });
}

test("config errors are raised before any resource is declared", () => {
  const base = { network: {} as any, kmsKey: {} as any, drKmsKey: {} as any, drProvider: {} as any, protect: true };
  assert.throws(() => new Database("db", { ...base, config: { ...cfg.database, maxAllocatedStorageGb: 50 } }), /maxAllocatedStorageGb \(50\) is below allocatedStorageGb \(100\)/);
  assert.throws(() => new Database("db", { ...base, config: { ...cfg.database, readonlyRole: { ...cfg.database.readonlyRole, name: "duespark_app" } } }), /"duespark_app" is used twice/);
  assert.throws(() => new Database("db", { ...base, config: { ...cfg.database, admins: ["rds_admin"] } }), /reserved/);
});
