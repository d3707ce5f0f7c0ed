import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "rds-not-public";
const DB = "aws:rds/instance:Instance";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: publiclyAccessible false or absent", async () => {
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "db", { publiclyAccessible: false })), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "db", { engine: "postgres" })), POLICY), []);
});

test("non-compliant: public instance", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(DB, "db", { publiclyAccessible: true })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /publiclyAccessible is true/);
  assert.equal(v.severity, "critical");
});

test("non-compliant: public Aurora cluster instance", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture("aws:rds/clusterInstance:ClusterInstance", "writer", { publiclyAccessible: true, clusterIdentifier: "c" })), POLICY);
  assert.match(v.message, /public DNS name/);
});

test("unknown flag defers", async () => {
  const r = await pack.analyze(fixture(DB, "db", { publiclyAccessible: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'rds-not-public'.*during preview/);
});
