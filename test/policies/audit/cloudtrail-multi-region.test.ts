import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "cloudtrail-multi-region";
const TRAIL = "aws:cloudtrail/trail:Trail";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const good = { s3BucketName: "duespark-audit", isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true, kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/1111" };

test("compliant: multi-region, global events, validation, CMK", async () => {
  const r = await pack.analyze(fixture(TRAIL, "trail", good));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("compliant in a preview: the key ARN is unknown but set", async () => {
  const r = await pack.analyze(fixture(TRAIL, "trail", { ...good, kmsKeyId: unknown }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: single-region trail without validation", async () => {
  const { isMultiRegionTrail: _m, enableLogFileValidation: _v, ...rest } = good;
  const r = await pack.analyze(fixture(TRAIL, "trail", rest));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /isMultiRegionTrail is not true: activity in other regions is not recorded/);
  assert.match(messages, /enableLogFileValidation is not true/);
  assert.equal(pack.mandatory(r, POLICY)[0].severity, "critical");
});

test("non-compliant: global service events off, no KMS key", async () => {
  const { kmsKeyId: _k, ...rest } = good;
  const r = await pack.analyze(fixture(TRAIL, "trail", { ...rest, includeGlobalServiceEvents: false }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /includeGlobalServiceEvents is false: IAM and STS activity is not recorded/);
  assert.match(messages, /kmsKeyId is not set/);
});

test("unknown multi-region flag defers", async () => {
  const r = await pack.analyze(fixture(TRAIL, "trail", { ...good, isMultiRegionTrail: unknown }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'cloudtrail-multi-region'.*during preview/);
});
