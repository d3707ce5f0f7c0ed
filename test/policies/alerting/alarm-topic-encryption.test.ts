import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { T } from "./stack";

const POLICY = "alarm-topic-encryption";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: customer-managed key ARN", async () => {
  const r = await pack.analyze(fixture(T.topic, "t", { kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/1111" }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("compliant: key ARN unknown in a preview (a key resource's output)", async () => {
  const r = await pack.analyze(fixture(T.topic, "t", { kmsMasterKeyId: unknown }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: alias/aws/sns, which CloudWatch cannot publish to", async () => {
  const r = await pack.analyze(fixture(T.topic, "t", { kmsMasterKeyId: "alias/aws/sns" }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /AWS-managed key \(alias\/aws\/sns\): CloudWatch alarms cannot publish/);
});

test("non-compliant: unencrypted topic", async () => {
  const r = await pack.analyze(fixture(T.topic, "t", { name: "alerts" }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /kmsMasterKeyId is not set/);
});
