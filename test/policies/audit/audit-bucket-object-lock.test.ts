import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";

const POLICY = "audit-bucket-object-lock";
const BUCKET = "aws:s3/bucket:Bucket";
const LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";
const TRAIL = "aws:cloudtrail/trail:Trail";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const bucketUrn = urnOf(BUCKET, "trail-bucket");
const stack = (retention: Record<string, unknown> | null = { mode: "COMPLIANCE", days: 2557 }, bucket: Record<string, unknown> = { objectLockEnabled: true }, withLock = true) => [
  fixture(BUCKET, "trail-bucket", { bucket: "duespark-prod-trail", ...bucket }),
  fixture(TRAIL, "trail", { s3BucketName: "duespark-prod-trail" }, { propertyDependencies: { s3BucketName: [bucketUrn] } }),
  ...(withLock ? [fixture(LOCK, "trail-bucket-lock", { bucket: "duespark-prod-trail", ...(retention ? { rule: { defaultRetention: retention } } : {}) }, { propertyDependencies: { bucket: [bucketUrn] } })] : []),
];

test("compliant: COMPLIANCE 2557 days on the trail bucket (and 7 years counts the same)", async () => {
  assert.deepEqual(pack.of(await pack.analyzeStack(stack()), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyzeStack(stack({ mode: "COMPLIANCE", years: 7 })), POLICY), []);
});

test("non-compliant: GOVERNANCE mode for 365 days", async () => {
  const r = await pack.analyzeStack(stack({ mode: "GOVERNANCE", days: 365 }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /uses mode "GOVERNANCE"; audit records need COMPLIANCE/);
  assert.match(messages, /retains objects for 365 days; audit records need at least 2557 days/);
});

test("non-compliant: trail bucket created without object lock and without a lock configuration", async () => {
  const r = await pack.analyzeStack(stack(null, {}, false));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /Bucket "trail-bucket" receives CloudTrail logs \(trail "trail"\) but objectLockEnabled is not true/);
  assert.match(messages, /but no BucketObjectLockConfiguration is linked to it/);
});

test("unknown retention mode in a preview defers", async () => {
  const r = await pack.analyzeStack(stack({ mode: unknown, days: 2557 }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'audit-bucket-object-lock'.*during preview/);
});
