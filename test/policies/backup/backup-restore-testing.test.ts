import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PackHarness, startPack, unknown } from "../../support/pack";
import { backupStack, URN } from "./stack";

const POLICY = "backup-restore-testing";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: weekly restore test Sunday 03:00 with a linked selection", async () => {
  const r = await pack.analyzeStack(backupStack());
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: no restore testing plan at all", async () => {
  const r = await pack.analyzeStack(backupStack({ restorePlanProps: null, restoreSelection: false }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /The stack backs up \(plan "duespark-runbook"\) but has no RestoreTestingPlan/);
  assert.equal(v.urn, URN.plan);
});

test("non-compliant: a monthly restore test leaves up to 31 days (744 h) between tests", async () => {
  const r = await pack.analyzeStack(backupStack({ restorePlanProps: { scheduleExpression: "cron(0 3 1 * ? *)" } }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Restore testing plan "duespark_weekly_restore": schedule cron\(0 3 1 \* \? \*\) leaves up to 31 d between tests \(allowed: 7 d\)/);
});

test("non-compliant: a restore testing plan without selection tests nothing", async () => {
  const r = await pack.analyzeStack(backupStack({ restoreSelection: false }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /no RestoreTestingSelection is attached \(restoreTestingPlanName\), so it tests nothing/);
});

test("non-compliant: AWS cron day-of-week 8 is rejected with the parser's reason", async () => {
  const r = await pack.analyzeStack(backupStack({ restorePlanProps: { scheduleExpression: "cron(0 3 ? * 8 *)" } }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /day-of-week 8 is outside 1-7 \(1 = Sunday in AWS cron\)/);
});

test("unknown schedule in a preview defers", async () => {
  const r = await pack.analyzeStack(backupStack({ restorePlanProps: { scheduleExpression: unknown } }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'backup-restore-testing'.*during preview/);
});
