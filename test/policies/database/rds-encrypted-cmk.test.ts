import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "rds-encrypted-cmk";
const DB = "aws:rds/instance:Instance";
const CMK = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: encrypted with a CMK; same-region read replica inherits", async () => {
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "db", { engine: "postgres", storageEncrypted: true, kmsKeyId: CMK })), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "replica", { replicateSourceDb: "db-primary" })), POLICY), []);
});

test("non-compliant: storage not encrypted and no key", async () => {
  const messages = pack.mandatory(await pack.analyze(fixture(DB, "db", { engine: "postgres" })), POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /storageEncrypted is not true/);
  assert.match(messages[1], /kmsKeyId is not set: .*alias\/aws\/rds/);
});

test("non-compliant: cluster encrypted with alias/aws/rds", async () => {
  const r = await pack.analyze(fixture("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql", storageEncrypted: true, kmsKeyId: "alias/aws/rds" }));
  const [v] = pack.mandatory(r, POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /kmsKeyId names the AWS-managed key alias\/aws\/rds/);
});

test("unknown key (created in the same preview) defers", async () => {
  const r = await pack.analyze(fixture(DB, "db", { storageEncrypted: true, kmsKeyId: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'rds-encrypted-cmk'.*kmsKeyId can't be known during preview/);
});
