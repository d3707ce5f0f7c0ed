import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "log-group-encryption";
const LG = "aws:cloudwatch/logGroup:LogGroup";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: audit log group with a CMK", async () => {
  const r = await pack.analyze(fixture(LG, "trail-logs", { name: "/aws/cloudtrail/duespark-prod", retentionInDays: 2557, kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1111" }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("not in scope: application log group without key", async () => {
  const r = await pack.analyze(fixture(LG, "app", { name: "/duespark/api/app", retentionInDays: 30 }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: SSM session transcripts unencrypted", async () => {
  const r = await pack.analyze(fixture(LG, "sessions", { name: "/aws/ssm/sessions/duespark-prod", retentionInDays: 2557 }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /Audit log group \/aws\/ssm\/sessions\/duespark-prod has no kmsKeyId/);
});

test("non-compliant: RDS PostgreSQL log group unencrypted", async () => {
  const r = await pack.analyze(fixture(LG, "pg", { name: "/aws/rds/instance/duespark-prod/postgresql" }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /\/aws\/rds\/instance\/duespark-prod\/postgresql has no kmsKeyId/);
});

test("unknown log group name defers; unknown key ARN counts as set", async () => {
  const r = await pack.analyze(fixture(LG, "x", { name: unknown }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'log-group-encryption'.*during preview/);
  const ok = await pack.analyze(fixture(LG, "y", { name: "/duespark/audit/api", kmsKeyId: unknown }));
  assert.deepEqual(pack.of(ok, POLICY), []);
});
