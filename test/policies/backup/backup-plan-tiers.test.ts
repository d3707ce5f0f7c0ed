import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { rule, T, TIERS } from "./stack";

const POLICY = "backup-plan-tiers";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: daily 30, weekly 84, monthly 365, annual 2555 (rules.filter on proxied props does not throw)", async () => {
  const r = await pack.analyze(fixture(T.plan, "plan", { rules: TIERS.map(rule) }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: weekly tier missing names the days", async () => {
  const rules = TIERS.filter((t) => t.ruleName !== "weekly").map(rule);
  const r = await pack.analyze(fixture(T.plan, "plan", { rules }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /No rule keeps recovery points for 84 days \(required tiers: 30, 84, 365, 2555; rules keep: 30, 365, 2555\)/);
});

test("non-compliant: an annual rule of 7 * 365 = 2555 days is required, 2190 does not count", async () => {
  const rules = TIERS.map((t) => rule(t.ruleName === "annual" ? { ...t, deleteAfter: 2190 } : t));
  const r = await pack.analyze(fixture(T.plan, "plan", { rules }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /for 2555 days/);
});

test("configurable tiers: a plan with only a 14-day rule passes tiers [14]", async () => {
  const local = await startPack({ [POLICY]: { tiers: [14] } });
  try {
    const r = await local.analyze(fixture(T.plan, "plan", { rules: [rule({ ruleName: "short", schedule: "cron(0 1 * * ? *)", deleteAfter: 14 })] }));
    assert.deepEqual(local.of(r, POLICY), []);
  } finally {
    await local.close();
  }
});

test("unknown lifecycle in a preview defers with the SDK's advisory", async () => {
  const r = await pack.analyze(fixture(T.plan, "plan", { rules: [{ ruleName: "daily", targetVaultName: "v", lifecycle: unknown }] }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'backup-plan-tiers'.*during preview/);
});

test("non-compliant: a 'weekly' 84-day rule that runs once a year keeps the days but not the cadence", async () => {
  const rules = TIERS.map((t) => rule(t.ruleName === "weekly" ? { ...t, schedule: "cron(0 2 1 1 ? *)" } : t));
  const r = await pack.analyze(fixture(T.plan, "plan", { rules }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /The 84-day tier runs too rarely: its rule runs at best every 36[56] d.*at least every 7 d/);
});

test("non-compliant: a daily tier every 36 hours misses the daily cadence", async () => {
  const rules = TIERS.map((t) => rule(t.ruleName === "daily" ? { ...t, schedule: "rate(36 hours)" } : t));
  const r = await pack.analyze(fixture(T.plan, "plan", { rules }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /The 30-day tier runs too rarely/);
});

test("unknown schedule of a covering rule defers instead of failing", async () => {
  const rules = TIERS.map((t) => (t.ruleName === "weekly" ? { ...rule(t), schedule: unknown } : rule(t)));
  const r = await pack.analyze(fixture(T.plan, "plan", { rules }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'backup-plan-tiers'.*during preview/);
});
