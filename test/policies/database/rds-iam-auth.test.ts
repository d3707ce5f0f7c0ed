import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "rds-iam-auth";
const DB = "aws:rds/instance:Instance";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: IAM authentication enabled", async () => {
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "db", { iamDatabaseAuthenticationEnabled: true })), POLICY), []);
});

test("non-compliant: disabled on an instance", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(DB, "db", { iamDatabaseAuthenticationEnabled: false })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /iamDatabaseAuthenticationEnabled is not true/);
});

test("non-compliant: absent on a cluster", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture("aws:rds/cluster:Cluster", "aurora", {})), POLICY);
  assert.match(v.message, /static database passwords/);
});

test("unknown flag defers", async () => {
  const r = await pack.analyze(fixture(DB, "db", { iamDatabaseAuthenticationEnabled: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'rds-iam-auth'/);
});
