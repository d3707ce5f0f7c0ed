/**
 * How long Secrets Manager rotation rules can leave a secret unrotated.
 * rotationRules carry either automaticallyAfterDays or a scheduleExpression
 * (`rate(N days|hours)` or an AWS `cron(...)`); expressions are analysed by
 * schedule.ts (longest gap between consecutive runs over a calendar year,
 * so "1st of every month" yields 31 days and "Feb 29" about four years).
 */
import { maxIntervalHours, ScheduleError } from "./schedule";

export type Interval = { ok: true; days: number; source: string } | { ok: false; reason: string };

/** Longest gap in days between two runs of a scheduleExpression. */
export function scheduleMaxGapDays(expr: string): Interval {
  let hours: number;
  try {
    hours = maxIntervalHours(expr);
  } catch (e) {
    if (e instanceof ScheduleError) return { ok: false, reason: e.message };
    throw e;
  }
  if (!Number.isFinite(hours)) return { ok: false, reason: `scheduleExpression ${JSON.stringify(expr)} never runs again` };
  return { ok: true, days: hours / 24, source: expr };
}

/**
 * The effective rotation interval of rotationRules. Exactly one of
 * automaticallyAfterDays and scheduleExpression must be given.
 */
export function rotationInterval(rules: { automaticallyAfterDays?: unknown; scheduleExpression?: unknown } | undefined): Interval {
  if (!rules) return { ok: false, reason: "rotationRules is not set" };
  const hasDays = rules.automaticallyAfterDays !== undefined && rules.automaticallyAfterDays !== null;
  const hasExpr = typeof rules.scheduleExpression === "string" && rules.scheduleExpression.trim() !== "";
  if (hasDays && hasExpr) return { ok: false, reason: "rotationRules sets both automaticallyAfterDays and scheduleExpression; set exactly one" };
  if (!hasDays && !hasExpr) return { ok: false, reason: "rotationRules sets neither automaticallyAfterDays nor scheduleExpression" };
  if (hasDays) {
    const d = Number(rules.automaticallyAfterDays);
    if (!Number.isFinite(d) || d <= 0) return { ok: false, reason: `automaticallyAfterDays ${String(rules.automaticallyAfterDays)} is not a positive number` };
    return { ok: true, days: d, source: `automaticallyAfterDays ${d}` };
  }
  return scheduleMaxGapDays(rules.scheduleExpression as string);
}
