import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "kms-key-policy-no-wildcard";
const KEY = "aws:kms/key:Key";
const KEY_POLICY = "aws:kms/keyPolicy:KeyPolicy";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const root = { Sid: "EnableRoot", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" };

test("compliant: account root only, and a wildcard principal narrowed by kms:CallerAccount", async () => {
  const narrowed = { Sid: "ViaSecrets", Effect: "Allow", Principal: { AWS: "*" }, Action: ["kms:Decrypt"], Resource: "*", Condition: { StringEquals: { "kms:CallerAccount": "123456789012", "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } };
  const r = await pack.analyze(fixture(KEY, "cmk", { enableKeyRotation: true, policy: doc(root, narrowed) }));
  assert.deepEqual(pack.of(r, POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(KEY, "cmk", { enableKeyRotation: true })), POLICY), []);
});

test("non-compliant: kms:* to Principal \"*\" on a Key", async () => {
  const open = { Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "kms:*", Resource: "*" };
  const [v, ...rest] = pack.mandatory(await pack.analyze(fixture(KEY, "cmk", { policy: doc(root, open) })), POLICY);
  assert.equal(rest.length, 0);
  assert.match(v.message, /statement "Everyone" allows KMS actions to every principal/);
});

test("non-compliant: \"*\" action to {AWS: [\"*\"]} on a KeyPolicy, single Statement object", async () => {
  const policy = JSON.stringify({ Version: "2012-10-17", Statement: { Effect: "Allow", Principal: { AWS: ["*"] }, Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } } });
  const [v] = pack.mandatory(await pack.analyze(fixture(KEY_POLICY, "kp", { keyId: "k", policy })), POLICY);
  assert.match(v.message, /statement #1 allows KMS actions to every principal \("\*"\) without a condition restricting the caller/);
});

test("non-compliant: an unparsable policy cannot be verified", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(KEY_POLICY, "kp", { keyId: "k", policy: "{not json" })), POLICY);
  assert.match(v.message, /cannot be checked: not valid JSON/);
});

test("unknown policy document (built from outputs) defers", async () => {
  const r = await pack.analyze(fixture(KEY_POLICY, "kp", { keyId: unknown, policy: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'kms-key-policy-no-wildcard'.*during preview/);
});
