import assert from "node:assert/strict";
import { test } from "node:test";
import { AlertRouting } from "../../../components/alerting/alert-routing";
import { BackupVaults } from "../../../components/backup/backup-vaults";
import { inputsOf, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { standInDatabase, standInKeys, standInNetwork } from "../../support/stand-ins";

const cfg = stackConfig("prod");
const program = () => {
  const keys = standInKeys(cfg);
  const network = standInNetwork(cfg);
  const database = standInDatabase(cfg, keys, network);
  const alerts = new AlertRouting("alerting", { config: cfg.alerting, environment: cfg.environment, kmsKey: keys.primaryKey, tags: cfg.tags });
  new BackupVaults("backup", {
    config: cfg.backup, kmsKey: keys.primaryKey, drKmsKey: keys.replicaKey, drProvider: keys.drProvider,
    database, network, alerts, protect: cfg.protectStateful, tags: cfg.tags,
  });
};

const EXPECTED_RULES = [
  { ruleName: "daily", schedule: "cron(0 2 * * ? *)", lifecycle: { deleteAfter: 30 } },
  { ruleName: "weekly", schedule: "cron(0 2 ? * SUN *)", lifecycle: { deleteAfter: 84 } },
  { ruleName: "monthly", schedule: "cron(0 2 1 * ? *)", lifecycle: { deleteAfter: 365 } },
  { ruleName: "annual", schedule: "cron(0 2 1 1 ? *)", lifecycle: { deleteAfter: 2555, coldStorageAfter: 90 } },
];

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`${mode}: one plan, four rules with the runbook's schedules and retention, copied to the DR vault`, async () => {
    const run = await runMocked(program, { preview });
    const plan = run.one("aws:backup/plan:Plan");
    const drVault = run.one("aws:backup/vault:Vault", "dr-vault");
    const rules = inputsOf(plan).rules;
    assert.deepEqual(rules.map((r: any) => ({ ruleName: r.ruleName, schedule: r.schedule, lifecycle: r.lifecycle })), EXPECTED_RULES);
    for (const r of rules) {
      assert.equal(r.enableContinuousBackup, false);
      assert.equal(r.copyActions.length, 1);
      assert.deepEqual(r.copyActions[0].lifecycle, r.lifecycle, `${r.ruleName}: copy keeps the same lifecycle`);
      assert.equal(r.lifecycle.deleteAfter >= (r.lifecycle.coldStorageAfter ?? -90) + 90, true);
      if (preview) assert.equal(r.copyActions[0].destinationVaultArn, UNKNOWN);
      else assert.match(r.copyActions[0].destinationVaultArn, /^arn:aws:backup:us-west-2:123456789012:backup-vault:duespark-prod-backups-dr$/);
    }
    assert.ok(plan.propertyDependencies.rules.includes(drVault.urn));
    assert.equal(plan.protect, true);
  });

  test(`${mode}: both vaults use customer-managed keys and compliance-mode locks`, async () => {
    const run = await runMocked(program, { preview });
    const vault = run.one("aws:backup/vault:Vault", "backup-vault");
    const drVault = run.one("aws:backup/vault:Vault", "dr-vault");
    assert.deepEqual(vault.propertyDependencies.kmsKeyArn, [run.one("aws:kms/key:Key", "keys").urn]);
    assert.deepEqual(drVault.propertyDependencies.kmsKeyArn, [run.one("aws:kms/replicaKey:ReplicaKey").urn]);
    assert.match(drVault.provider ?? "", /::dr-region::/);
    const locks = run.all("aws:backup/vaultLockConfiguration:VaultLockConfiguration");
    assert.equal(locks.length, 2);
    for (const l of locks) {
      const i = inputsOf(l);
      assert.equal(i.changeableForDays, 3);
      assert.equal(i.minRetentionDays, 30);
      assert.equal(i.maxRetentionDays, 2555);
      assert.equal(l.protect, true);
    }
    assert.equal(vault.protect, true);
    assert.equal(drVault.protect, true);
  });

  test(`${mode}: selection is every resource tagged for the runbook plan (resources AND conditions)`, async () => {
    const run = await runMocked(program, { preview });
    const sel = inputsOf(run.one("aws:backup/selection:Selection"));
    assert.deepEqual(sel.resources, ["*"]);
    assert.deepEqual(sel.conditions, [{ stringEquals: [{ key: "aws:ResourceTag/duespark:backup-plan", value: "runbook" }] }]);
    assert.equal(sel.selectionTags, undefined, "selectionTags would be OR-ed with resources");
    const policies = run.all("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "backup-").map((a) => inputsOf(a).policyArn);
    assert.ok(policies.includes("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"));
    assert.ok(policies.includes("arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"));
  });

  test(`${mode}: weekly restore test on Sunday 03:00 validates the database in private subnets`, async () => {
    const run = await runMocked(program, { preview });
    const plan = inputsOf(run.one("aws:backup/restoreTestingPlan:RestoreTestingPlan"));
    assert.equal(plan.scheduleExpression, "cron(0 3 ? * SUN *)");
    assert.match(plan.name, /^[A-Za-z0-9_]+$/);
    assert.equal(plan.recoveryPointSelection.algorithm, "LATEST_WITHIN_WINDOW");
    const selRes = run.one("aws:backup/restoreTestingSelection:RestoreTestingSelection");
    const sel = inputsOf(selRes);
    assert.equal(sel.protectedResourceType, "RDS");
    assert.equal(sel.validationWindowHours, 4);
    assert.deepEqual(selRes.propertyDependencies.restoreMetadataOverrides.sort(), [
      run.one("aws:rds/subnetGroup:SubnetGroup", "restore-test").urn,
      run.one("aws:ec2/securityGroup:SecurityGroup", "database").urn,
    ].sort());
    if (!preview) {
      assert.match(sel.restoreMetadataOverrides.vpcSecurityGroupIds, /^\["sg-[0-9a-f]{17}"\]$/);
      assert.match(sel.protectedResourceArns[0], /^arn:aws:rds:us-east-1:123456789012:db:duespark-prod$/);
    }
    const fn = inputsOf(run.one("aws:lambda/function:Function", "restore-validation"));
    assert.equal(fn.handler, "index.handler");
    assert.deepEqual(JSON.parse(fn.environment.variables.VALIDATION_TABLES), [
      { name: "users", minRows: 1 }, { name: "invoices", minRows: 1 }, { name: "payments", minRows: 0 },
    ]);
    const rule = inputsOf(run.one("aws:cloudwatch/eventRule:EventRule", "restore-completed"));
    if (!preview) {
      const pattern = JSON.parse(rule.eventPattern);
      assert.deepEqual(pattern["detail-type"], ["Restore Job State Change"]);
      assert.deepEqual(pattern.detail.status, ["COMPLETED"]);
    }
  });

  test(`${mode}: failed, expired or aborted jobs page through the critical topic`, async () => {
    const run = await runMocked(program, { preview });
    const rule = inputsOf(run.one("aws:cloudwatch/eventRule:EventRule", "job-failed"));
    const pattern = JSON.parse(rule.eventPattern);
    assert.deepEqual(pattern.detail.$or, [{ state: ["FAILED", "EXPIRED", "ABORTED"] }, { status: ["FAILED", "EXPIRED", "ABORTED"] }]);
    assert.equal(rule.tags["duespark:severity"], "critical");
    const target = run.one("aws:cloudwatch/eventTarget:EventTarget", "job-failed");
    assert.deepEqual(target.propertyDependencies.arn, [run.one("aws:sns/topic:Topic", "alerting-critical").urn]);
  });

  test(`${mode}: Backup Audit Manager checks the runbook controls and reports to an encrypted bucket`, async () => {
    const run = await runMocked(program, { preview });
    const fw = inputsOf(run.one("aws:backup/framework:Framework"));
    const byName = Object.fromEntries(fw.controls.map((c: any) => [c.name, c]));
    for (const c of ["BACKUP_RECOVERY_POINT_ENCRYPTED", "BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK", "BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK", "BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK", "BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION"]) {
      assert.ok(byName[c], c);
    }
    assert.deepEqual(byName.BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK.inputParameters, [
      { name: "requiredFrequencyUnit", value: "hours" }, { name: "requiredFrequencyValue", value: "24" }, { name: "requiredRetentionDays", value: "30" },
    ]);
    assert.deepEqual(byName.BACKUP_RESOURCES_PROTECTED_BY_CROSS_REGION.inputParameters, [{ name: "crossRegionList", value: "us-west-2" }]);
    const report = run.one("aws:backup/reportPlan:ReportPlan");
    assert.equal(inputsOf(report).reportSetting.reportTemplate, "CONTROL_COMPLIANCE_REPORT");
    assert.deepEqual(report.propertyDependencies.reportDeliveryChannel, [run.one("aws:s3/bucket:Bucket", "backup-reports").urn]);
    const sse = run.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "backup-reports");
    assert.equal(inputsOf(sse).rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
  });
}
