import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import { AuditTrail } from "../../../components/audit/audit-trail";
import { inputsOf, jsonInput, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { standInKeys } from "../../support/stand-ins";

const cfg = stackConfig("prod");
const program = () => {
  const keys = standInKeys(cfg);
  const secret = new aws.secretsmanager.Secret("jwt", { kmsKeyId: keys.primaryKey.arn });
  const vault = new aws.backup.Vault("vault", { kmsKeyArn: keys.primaryKey.arn });
  new AuditTrail("audit", { config: cfg.audit, kmsKey: keys.primaryKey, secretArns: [secret.arn], backupVaultArn: vault.arn, protect: cfg.protectStateful, tags: cfg.tags });
};

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`${mode}: multi-region, validated, CMK-encrypted trail of all management events`, async () => {
    const run = await runMocked(program, { preview });
    const trailRes = run.one("aws:cloudtrail/trail:Trail");
    const trail = inputsOf(trailRes);
    assert.equal(trail.name, "duespark-prod-audit");
    assert.equal(trail.isMultiRegionTrail, true);
    assert.equal(trail.includeGlobalServiceEvents, true);
    assert.equal(trail.enableLogFileValidation, true);
    assert.deepEqual(trailRes.propertyDependencies.kmsKeyId, [run.one("aws:kms/key:Key", "keys").urn]);
    assert.deepEqual(trail.advancedEventSelectors, [{ name: "All management events (read and write)", fieldSelectors: [{ field: "eventCategory", equals: ["Management"] }] }]);
    assert.equal(trailRes.protect, true);
    if (!preview) assert.equal(trail.cloudWatchLogsGroupArn, "arn:aws:logs:us-east-1:123456789012:log-group:/duespark/audit/cloudtrail:*");
  });

  test(`${mode}: the archive is under Object Lock COMPLIANCE for 2557 days and protected`, async () => {
    const run = await runMocked(program, { preview });
    const bucket = run.one("aws:s3/bucket:Bucket", "audit-logs");
    assert.equal(inputsOf(bucket).objectLockEnabled, true);
    assert.equal(bucket.protect, true);
    const lock = inputsOf(run.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"));
    assert.deepEqual(lock.rule.defaultRetention, { mode: "COMPLIANCE", days: 2557 });
    assert.equal(inputsOf(run.one("aws:s3/bucketVersioning:BucketVersioning")).versioningConfiguration.status, "Enabled");
    const life = inputsOf(run.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")).rules[0];
    assert.deepEqual(life.transitions, [{ days: 90, storageClass: "GLACIER" }, { days: 365, storageClass: "DEEP_ARCHIVE" }]);
    assert.equal(life.expiration.days, 2557);
    const lg = inputsOf(run.one("aws:cloudwatch/logGroup:LogGroup", "audit-"));
    assert.equal(lg.retentionInDays, 2557);
    assert.equal(lg.kmsKeyId === UNKNOWN || /^arn:aws:kms:/.test(lg.kmsKeyId), true);
  });

  test(`${mode}: only this trail may write to the bucket, over TLS`, async () => {
    const run = await runMocked(program, { preview });
    if (preview) {
      assert.equal(inputsOf(run.one("aws:s3/bucketPolicy:BucketPolicy")).policy, UNKNOWN);
      return;
    }
    const doc = jsonInput(run.one("aws:s3/bucketPolicy:BucketPolicy"), "policy");
    const write = doc.Statement.find((s: any) => s.Sid === "CloudTrailWrite");
    assert.deepEqual(write.Condition.StringEquals, { "s3:x-amz-acl": "bucket-owner-full-control", "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:123456789012:trail/duespark-prod-audit" });
    assert.match(write.Resource, /^arn:aws:s3:::audit-logs-[0-9a-f]{7}\/AWSLogs\/123456789012\/\*$/);
    assert.deepEqual(doc.Statement.find((s: any) => s.Sid === "DenyInsecureTransport").Condition, { Bool: { "aws:SecureTransport": false } });
  });
}
