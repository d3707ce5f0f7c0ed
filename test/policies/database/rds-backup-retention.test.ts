import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "rds-backup-retention";
const DB = "aws:rds/instance:Instance";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: 14 days (prod stack), 7 days (minimum), replicas skipped", async () => {
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "db", { backupRetentionPeriod: 14 })), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "db", { backupRetentionPeriod: 7 })), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(DB, "replica", { replicateSourceDb: "arn:aws:rds:us-east-1:1:db:primary" })), POLICY), []);
});

test("non-compliant: 3 days", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(DB, "db", { backupRetentionPeriod: 3 })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /backupRetentionPeriod is 3 days; at least 7 days are required/);
});

test("non-compliant: unset (RDS default 1 day)", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture("aws:rds/cluster:Cluster", "aurora", {})), POLICY);
  assert.match(v.message, /not set \(RDS default 1 day\); at least 7 days/);
});

test("config override: minDays 14 rejects 7", async () => {
  await pack.configure({ [POLICY]: { minDays: 14 } });
  try {
    const [v] = pack.mandatory(await pack.analyze(fixture(DB, "db", { backupRetentionPeriod: 7 })), POLICY);
    assert.match(v.message, /is 7 days; at least 14 days/);
  } finally {
    await pack.configure({});
  }
});

test("unknown retention defers", async () => {
  const r = await pack.analyze(fixture(DB, "db", { backupRetentionPeriod: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'rds-backup-retention'/);
});
