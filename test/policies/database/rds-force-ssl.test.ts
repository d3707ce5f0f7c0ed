import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "rds-force-ssl";
const PG = "aws:rds/parameterGroup:ParameterGroup";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const params = (forceSsl: string | undefined, preload: string | undefined) => [
  ...(forceSsl !== undefined ? [{ name: "rds.force_ssl", value: forceSsl }] : []),
  ...(preload !== undefined ? [{ name: "shared_preload_libraries", value: preload, applyMethod: "pending-reboot" }] : []),
  { name: "log_min_duration_statement", value: "1000" },
];

test("compliant: force_ssl 1 and pgaudit preloaded; MySQL groups out of scope", async () => {
  assert.deepEqual(pack.of(await pack.analyze(fixture(PG, "pg16", { family: "postgres16", parameters: params("1", "pg_stat_statements, pgaudit") })), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(PG, "mysql", { family: "mysql8.0", parameters: [] })), POLICY), []);
});

test("non-compliant: force_ssl 0", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(PG, "pg16", { family: "postgres16", parameters: params("0", "pgaudit") })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /\(family postgres16\): rds\.force_ssl is "0" \(must be "1"\)\.$/);
});

test("non-compliant: Aurora cluster group with neither setting", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture("aws:rds/clusterParameterGroup:ClusterParameterGroup", "aurora", { family: "aurora-postgresql16", parameters: params(undefined, "pg_stat_statements") })), POLICY);
  assert.match(v.message, /rds\.force_ssl is not set \(must be "1"\); shared_preload_libraries does not include pgaudit/);
});

test("unknown parameters defer", async () => {
  const r = await pack.analyze(fixture(PG, "pg16", { family: "postgres16", parameters: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'rds-force-ssl'/);
});
