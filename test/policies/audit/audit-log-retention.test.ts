import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";

const POLICY = "audit-log-retention";
const LG = "aws:cloudwatch/logGroup:LogGroup";
const BUCKET = "aws:s3/bucket:Bucket";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const TRAIL = "aws:cloudtrail/trail:Trail";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const bucketUrn = urnOf(BUCKET, "trail-bucket");
const stack = (expirationDays: number | undefined, logRetention: number | undefined = 2557) => [
  fixture(LG, "trail-logs", { name: "/aws/cloudtrail/duespark-prod", ...(logRetention !== undefined ? { retentionInDays: logRetention } : {}) }),
  fixture(LG, "app-logs", { name: "/duespark/api/app", retentionInDays: 30 }),
  fixture(BUCKET, "trail-bucket", { bucket: "duespark-prod-trail-0001", objectLockEnabled: true }),
  fixture(TRAIL, "trail", { s3BucketName: "duespark-prod-trail-0001" }, { propertyDependencies: { s3BucketName: [bucketUrn] } }),
  fixture(LIFECYCLE, "trail-bucket-lifecycle", {
    bucket: "duespark-prod-trail-0001",
    rules: [{ id: "archive", status: "Enabled", transitions: [{ days: 90, storageClass: "GLACIER" }], ...(expirationDays !== undefined ? { expiration: { days: expirationDays } } : {}) }],
  }, { propertyDependencies: { bucket: [bucketUrn] } }),
];

test("compliant: 2557-day log group, never-expiring log group, 2557-day bucket expiry; app logs out of scope", async () => {
  assert.deepEqual(pack.of(await pack.analyzeStack(stack(2557)), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyzeStack(stack(undefined, 0)), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyzeStack(stack(undefined, undefined)), POLICY), []);
});

test("non-compliant: CloudTrail log group kept 365 days", async () => {
  const r = await pack.analyzeStack(stack(2557, 365));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Audit log group \/aws\/cloudtrail\/duespark-prod keeps events 365 days; audit records are kept at least 2557 days/);
  assert.equal(v.urn, urnOf(LG, "trail-logs"));
});

test("non-compliant: the trail bucket's lifecycle deletes after 2555 days", async () => {
  const r = await pack.analyzeStack(stack(2555));
  assert.match(pack.mandatory(r, POLICY)[0].message, /Audit bucket duespark-prod-trail-0001: lifecycle rule archive deletes objects after 2555 days/);
});

test("non-compliant: a lifecycle for a bucket named like an audit bucket outside the stack", async () => {
  const r = await pack.analyzeStack([fixture(LIFECYCLE, "lc", { bucket: "duespark-audit-archive", rules: [{ id: "short", status: "Enabled", expiration: { days: 90 } }] })]);
  assert.match(pack.mandatory(r, POLICY)[0].message, /Audit bucket duespark-audit-archive: lifecycle rule short deletes objects after 90 days/);
});

test("unknown retention in a preview defers", async () => {
  const s = stack(2557);
  s[0] = fixture(LG, "trail-logs", { name: "/aws/cloudtrail/duespark-prod", retentionInDays: unknown });
  const r = await pack.analyzeStack(s);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'audit-log-retention'.*during preview/);
});
