import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "rds-log-exports";
const DB = "aws:rds/instance:Instance";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: postgres exporting postgresql and upgrade; MySQL out of scope", async () => {
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "db", { engine: "postgres", enabledCloudwatchLogsExports: ["postgresql", "upgrade"] })), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "legacy", { engine: "mysql" })), POLICY), []);
});

test("non-compliant: upgrade log missing", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(DB, "db", { engine: "postgres", enabledCloudwatchLogsExports: ["postgresql"] })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /enabledCloudwatchLogsExports is missing upgrade\.$/);
});

test("non-compliant: nothing exported; Aurora cluster without postgresql", async () => {
  const [a] = pack.mandatory(await pack.analyze(fixture(DB, "db", { engine: "postgres" })), POLICY);
  assert.match(a.message, /missing postgresql, upgrade/);
  const [b] = pack.mandatory(await pack.analyze(fixture("aws:rds/cluster:Cluster", "aurora", { engine: "aurora-postgresql", enabledCloudwatchLogsExports: ["instance"] })), POLICY);
  assert.match(b.message, /missing postgresql\.$/);
});

test("unknown export list defers", async () => {
  const r = await pack.analyze(fixture(DB, "db", { engine: "postgres", enabledCloudwatchLogsExports: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'rds-log-exports'/);
});
