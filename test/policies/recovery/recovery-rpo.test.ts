import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";
import { backupStack, DR, rule, T, TIERS, URN } from "../backup/stack";

const POLICY = "recovery-rpo";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const replication = fixture(T.replication, "db-dr-backups", { sourceDbInstanceArn: "arn:aws:rds:us-east-1:123456789012:db:duespark-prod", retentionPeriod: 14 }, {
  provider: DR, urn: urnOf(T.replication, "db-dr-backups"), propertyDependencies: { sourceDbInstanceArn: [URN.db] },
});

test("compliant: PITR (5 min) in region, daily copies to us-west-2 (24 h); the RPO report note shows both", async () => {
  const r = await pack.analyzeStack(backupStack());
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  const [note] = pack.advisory(r, POLICY);
  assert.match(note.message, /^RPO report: RDS instance "db": own region 5 min \(point-in-time recovery, backupRetentionPeriod 14 d\), DR region 24 h \(cross-region copy schedule of rules daily, weekly, monthly, annual\); targets 15 min \/ 24 h\.$/);
  assert.equal(note.urn, URN.db);
});

test("compliant: replicated automated backups give point-in-time RPO in the DR region", async () => {
  const r = await pack.analyzeStack(backupStack({ rules: TIERS.map((t) => rule({ ...t, copy: false })), extra: [replication] }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /DR region 5 min \(replicated automated backups \(db-dr-backups\)\)/);
});

test("non-compliant: PITR off, only weekly copies: 168 h own region and DR", async () => {
  const weekly = TIERS.filter((t) => t.ruleName !== "daily").map(rule);
  const r = await pack.analyzeStack(backupStack({ rules: weekly, dbProps: { backupRetentionPeriod: 0 } }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.ok(messages.some((m) => m.endsWith(`\nRDS instance "db": worst-case RPO in its own region is 7 d (backup schedule of rules weekly, monthly, annual); target 15 min.`)), messages.join("\n"));
  assert.ok(messages.some((m) => m.endsWith(`\nRDS instance "db": worst-case RPO in the DR region is 7 d (cross-region copy schedule of rules weekly, monthly, annual); target 24 h.`)), messages.join("\n"));
});

test("non-compliant: daily backups without any copy leave the DR region without recovery points", async () => {
  const r = await pack.analyzeStack(backupStack({ rules: TIERS.map((t) => rule({ ...t, copy: false })) }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /worst-case RPO in the DR region is never \(no further run\) \(no recovery point source\); target 24 h/);
  assert.match(pack.advisory(r, POLICY)[0].message, /^RPO report: .*DR region never/);
});

test("config: rpoHours 12 makes the daily copy schedule a violation", async () => {
  const strict = await startPack({ [POLICY]: { rpoHours: 12 } });
  try {
    const r = await strict.analyzeStack(backupStack());
    assert.match(strict.mandatory(r, POLICY)[0].message, /worst-case RPO in the DR region is 24 h .*; target 12 h/);
  } finally {
    await strict.close();
  }
});

test("unknown rule schedule in a preview defers", async () => {
  const rules = TIERS.map(rule).map((r) => ({ ...r, schedule: unknown }));
  const r = await pack.analyzeStack(backupStack({ rules }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'recovery-rpo'.*during preview/);
});
