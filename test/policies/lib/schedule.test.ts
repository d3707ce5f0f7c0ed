import assert from "node:assert/strict";
import { test } from "node:test";
import { isDaily, isWeekly, maxIntervalHours, maxIntervalHoursOfUnion, parseSchedule, runsBetween, ScheduleError } from "../../../policies/lib/schedule";

const Y = { year: 2026 };

test("runbook schedules: daily 24 h, weekly 168 h, monthly 744 h (31-day months), annual 8760 h", () => {
  assert.equal(maxIntervalHours("cron(0 2 * * ? *)", Y), 24);
  assert.equal(maxIntervalHours("cron(0 2 ? * SUN *)", Y), 168);
  assert.equal(maxIntervalHours("cron(0 2 1 * ? *)", Y), 744);
  assert.equal(maxIntervalHours("cron(0 2 1 1 ? *)", Y), 8760);
});

test("AWS day-of-week 1 is Sunday: cron(0 3 ? * 1 *) runs on 2026-01-04 (a Sunday)", () => {
  const runs = runsBetween("cron(0 3 ? * 1 *)", Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 12));
  assert.deepEqual(runs.map((t) => new Date(t).toISOString()), ["2026-01-04T03:00:00.000Z", "2026-01-11T03:00:00.000Z"]);
});

test("nth weekday, last weekday and nearest weekday", () => {
  // 2#1 = first Monday; 6L = last Friday; 15W = weekday nearest the 15th (2026-02-15 is a Sunday -> Monday 16th).
  assert.equal(new Date(runsBetween("cron(0 5 ? * 2#1 *)", Date.UTC(2026, 1, 1), Date.UTC(2026, 2, 1))[0]).toISOString(), "2026-02-02T05:00:00.000Z");
  assert.equal(new Date(runsBetween("cron(0 5 ? * 6L *)", Date.UTC(2026, 0, 1), Date.UTC(2026, 1, 1))[0]).toISOString(), "2026-01-30T05:00:00.000Z");
  assert.equal(new Date(runsBetween("cron(0 5 15W * ? *)", Date.UTC(2026, 1, 1), Date.UTC(2026, 2, 1))[0]).toISOString(), "2026-02-16T05:00:00.000Z");
});

test("worst gap covers the wrap into the next year and business-hours schedules", () => {
  assert.equal(maxIntervalHours("cron(0 */6 * JAN-MAR ? *)", Y), 6606); // Mar 31 18:00 -> Jan 1 00:00
  assert.equal(maxIntervalHours("cron(0,30 9-17 ? * MON-FRI *)", Y), 63.5); // Fri 17:30 -> Mon 09:00
  assert.equal(maxIntervalHours("cron(0 0 29 2 ? *)", Y), 35064); // 2024-02-29 -> 2028-02-29
});

test("year field: a schedule that ends never runs again", () => {
  assert.equal(maxIntervalHours("cron(0 2 * * ? 2026)", Y), Infinity);
  assert.equal(maxIntervalHours("cron(0 2 * * ? 2026-2099)", Y), 24);
});

test("time zones: a daily 05:00 New York run has a 25-hour gap when DST ends", () => {
  assert.equal(maxIntervalHours("cron(0 5 * * ? *)", { ...Y, timezone: "America/New_York" }), 25);
  assert.equal(maxIntervalHours("cron(0 5 * * ? *)", { ...Y, timezone: "Etc/UTC" }), 24);
});

test("rate expressions and unions", () => {
  assert.equal(maxIntervalHours("rate(12 hours)"), 12);
  assert.equal(maxIntervalHours("rate(1 day)"), 24);
  assert.equal(maxIntervalHoursOfUnion(["cron(0 2 ? * SUN *)", "cron(0 14 ? * SUN *)"], Y), 156);
  assert.equal(isWeekly("cron(0 3 ? * SUN *)", Y), true);
  assert.equal(isWeekly("cron(0 3 1 * ? *)", Y), false);
  assert.equal(isDaily("cron(0 3 ? * MON-FRI *)", Y), false);
});

test("invalid expressions are rejected with the reason", () => {
  const reason = (e: string) => {
    try {
      parseSchedule(e);
      return "accepted";
    } catch (err) {
      assert.ok(err instanceof ScheduleError);
      return (err as Error).message;
    }
  };
  assert.match(reason("cron(0 2 * * * *)"), /exactly one of day-of-month and day-of-week must be \?/);
  assert.match(reason("cron(0 2 ? * 0 *)"), /day-of-week 0 is outside 1-7/);
  assert.match(reason("rate(1 days)"), /singular/);
  assert.match(reason("cron(0 25 * * ? *)"), /minutes\/hours/);
  assert.match(reason("daily"), /expected rate\(N unit\) or cron/);
});
