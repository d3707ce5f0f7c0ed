import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "secrets-cmk-encryption";
const SECRET = "aws:secretsmanager/secret:Secret";
const CMK = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: CMK on the secret and its DR replica", async () => {
  const r = await pack.analyze(fixture(SECRET, "jwt", { kmsKeyId: CMK, replicas: [{ region: "us-west-2", kmsKeyId: "alias/duespark-dr" }] }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("kmsKeyId absent: mandatory violation", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(SECRET, "jwt", { name: "duespark/jwt" })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /kmsKeyId is not set: .*alias\/aws\/secretsmanager/);
});

test("non-compliant: the AWS-managed key by alias ARN, and a replica without a key", async () => {
  const r = await pack.analyze(fixture(SECRET, "db", { kmsKeyId: "arn:aws:kms:us-east-1:123456789012:alias/aws/secretsmanager", replicas: [{ region: "us-west-2" }] }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /names the AWS-managed key alias\/aws\/secretsmanager/);
  assert.match(messages[1], /replica us-west-2 has no kmsKeyId/);
});

test("kmsKeyId unknown in a preview: no mandatory violation, no crash (deferred)", async () => {
  const r = await pack.analyze(fixture(SECRET, "jwt", { kmsKeyId: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'secrets-cmk-encryption'.*kmsKeyId can't be known during preview/);
});

test("never exemptible: no exceptions in its config schema", () => {
  const p = pack.info.policies.find((x) => x.name === POLICY)!;
  assert.equal(p.configSchema, undefined);
  assert.ok(p.tags.includes("never-exemptible"));
});
