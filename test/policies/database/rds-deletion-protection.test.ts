import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "rds-deletion-protection";
const DB = "aws:rds/instance:Instance";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: deletionProtection true", async () => {
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "db", { deletionProtection: true })), POLICY), []);
});

test("non-compliant: deletionProtection false", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(DB, "db", { deletionProtection: false })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /deletionProtection is not true/);
});

test("non-compliant: absent on a cluster (AWS default false)", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql" })), POLICY);
  assert.match(v.message, /can be deleted by a single API call/);
});

test("unknown flag defers", async () => {
  const r = await pack.analyze(fixture(DB, "db", { deletionProtection: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'rds-deletion-protection'/);
});
