import assert from "node:assert/strict";
import { test } from "node:test";
import { rotationInterval, scheduleMaxGapDays } from "../../../policies/lib/rotation-schedule";

const days = (i: ReturnType<typeof rotationInterval>) => {
  assert.ok(i.ok, !i.ok ? i.reason : "");
  return i.ok ? i.days : NaN;
};
const reason = (i: ReturnType<typeof rotationInterval>) => (i.ok ? "" : i.reason);

test("rate(): days and hours", () => {
  assert.equal(days(scheduleMaxGapDays("rate(90 days)")), 90);
  assert.equal(days(scheduleMaxGapDays("rate(12 hours)")), 0.5);
  assert.match(reason(scheduleMaxGapDays("every 90 days")), /invalid schedule expression/);
});

test("AWS cron max gaps: monthly 31, weekly (SUN) 7, 1st and 15th 17, quarterly first Monday > 90", () => {
  assert.equal(days(scheduleMaxGapDays("cron(0 4 1 * ? *)")), 31);
  assert.equal(days(scheduleMaxGapDays("cron(0 3 ? * SUN *)")), 7);
  assert.equal(days(scheduleMaxGapDays("cron(0 16 1,15 * ? *)")), 17);
  assert.ok(days(scheduleMaxGapDays("cron(0 4 ? 1,4,7,10 2#1 *)")) > 90);
});

test("cron in a past year never runs again; a malformed cron is rejected", () => {
  assert.match(reason(scheduleMaxGapDays("cron(0 4 1 * ? 2020)")), /never runs again/);
  assert.match(reason(scheduleMaxGapDays("cron(0 4 1 * 2 *)")), /exactly one of day-of-month and day-of-week must be \?/);
});

test("rotationRules: exactly one of automaticallyAfterDays / scheduleExpression", () => {
  assert.equal(days(rotationInterval({ automaticallyAfterDays: 30 })), 30);
  assert.equal(days(rotationInterval({ scheduleExpression: "rate(7 days)" })), 7);
  assert.match(reason(rotationInterval({ automaticallyAfterDays: 30, scheduleExpression: "rate(7 days)" })), /both/);
  assert.match(reason(rotationInterval({})), /neither/);
  assert.match(reason(rotationInterval({ automaticallyAfterDays: 0 })), /not a positive number/);
  assert.match(reason(rotationInterval(undefined)), /rotationRules is not set/);
});
