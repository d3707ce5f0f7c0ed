/**
 * AWS schedule expressions as AWS Backup, EventBridge and SSM accept them:
 * `rate(N minute|minutes|hour|hours|day|days)` and the six-field
 * `cron(minutes hours day-of-month month day-of-week year)`.
 *
 * AWS cron differs from Unix cron in ways that matter for gap analysis:
 * day-of-week runs 1-7 = SUN-SAT (Unix: 0-6 = SUN-SAT), one of
 * day-of-month / day-of-week must be `?`, `W` (nearest weekday) exists, and
 * there is a year field. Field syntax and day matching (ranges, steps,
 * names, `L`, `#`) are delegated to cron-parser after translating those
 * differences; `W` and the year field are evaluated here.
 *
 * Runs are computed as (matching days) x (times of day) instead of stepping
 * the iterator minute by minute: cron fields are independent, so this is
 * exact and costs one iteration per matching day. Expressions in a time
 * zone are converted wall-clock -> UTC per run, so a daily 05:00
 * America/New_York schedule has a 25-hour gap on the autumn DST change.
 */
import { CronExpressionParser } from "cron-parser";

export class ScheduleError extends Error {
  constructor(expr: string, why: string) {
    super(`invalid schedule expression ${JSON.stringify(expr)}: ${why}`);
    this.name = "ScheduleError";
  }
}

export type Schedule =
  | { kind: "rate"; expr: string; minutes: number }
  | { kind: "cron"; expr: string; minute: string; hour: string; dayOfMonth: string; month: string; dayOfWeek: string; year: string };

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

const RATE_RE = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/i;
const CRON_RE = /^cron\(\s*(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s*\)$/i;

export function parseSchedule(expr: string): Schedule {
  if (typeof expr !== "string") throw new ScheduleError(String(expr), "not a string");
  const trimmed = expr.trim();
  const rate = RATE_RE.exec(trimmed);
  if (rate) {
    const n = Number(rate[1]);
    const unit = rate[2].toLowerCase();
    if (n <= 0) throw new ScheduleError(expr, "the rate must be a positive number");
    // AWS rejects rate(1 days) and rate(5 day).
    if ((n === 1) !== !unit.endsWith("s")) throw new ScheduleError(expr, `use the ${n === 1 ? "singular" : "plural"} unit with ${n}`);
    const per = unit.startsWith("minute") ? 1 : unit.startsWith("hour") ? 60 : 1440;
    return { kind: "rate", expr, minutes: n * per };
  }
  const cron = CRON_RE.exec(trimmed);
  if (!cron) throw new ScheduleError(expr, "expected rate(N unit) or cron(minutes hours day-of-month month day-of-week year)");
  const [, minute, hour, dayOfMonth, month, dayOfWeek, year] = cron;
  if ((dayOfMonth === "?") === (dayOfWeek === "?")) {
    throw new ScheduleError(expr, "exactly one of day-of-month and day-of-week must be ?");
  }
  const s: Schedule = { kind: "cron", expr, minute, hour, dayOfMonth, month, dayOfWeek, year };
  // Validate every field now, so callers get one clear error.
  timesOfDay(s);
  yearFilter(s);
  dayProbe(s);
  return s;
}

/** AWS day-of-week (1-7 = SUN-SAT, names, L, #) -> cron-parser (0-6 = SUN-SAT). */
function translateDayOfWeek(expr: string, field: string): string {
  if (field === "?" || field === "*") return "*";
  if (field === "L") return "6";
  const shift = (token: string) => {
    if (/^[A-Za-z]{3}$/.test(token)) return token.toUpperCase();
    if (!/^\d+$/.test(token)) throw new ScheduleError(expr, `day-of-week value ${JSON.stringify(token)} is not 1-7 or SUN-SAT`);
    const n = Number(token);
    if (n < 1 || n > 7) throw new ScheduleError(expr, `day-of-week ${n} is outside 1-7 (1 = Sunday in AWS cron)`);
    return String(n - 1);
  };
  return field
    .split(",")
    .map((part) => {
      const hash = /^([^#]+)#(\d)$/.exec(part);
      if (hash) return `${shift(hash[1])}#${hash[2]}`;
      const last = /^([^L]+)L$/.exec(part);
      if (last) return `${shift(last[1])}L`;
      const [range, step] = part.split("/");
      const bounds = range === "*" ? "*" : range.split("-").map(shift).join("-");
      return step === undefined ? bounds : `${bounds}/${step}`;
    })
    .join(",");
}

function timesOfDay(s: Extract<Schedule, { kind: "cron" }>): number[] {
  let parsed;
  try {
    parsed = CronExpressionParser.parse(`${s.minute} ${s.hour} * * *`, { tz: "UTC" });
  } catch (e) {
    throw new ScheduleError(s.expr, `minutes/hours: ${(e as Error).message}`);
  }
  const minutes = parsed.fields.minute.values as number[];
  const hours = parsed.fields.hour.values as number[];
  const out: number[] = [];
  for (const h of hours) for (const m of minutes) out.push(h * 60 + m);
  return out.sort((a, b) => a - b);
}

/** Year field -> predicate (AWS accepts 1970-2199, `*`, ranges, lists and steps). */
function yearFilter(s: Extract<Schedule, { kind: "cron" }>): (year: number) => boolean {
  if (s.year === "*" || s.year === "?") return () => true;
  const allowed = new Set<number>();
  for (const part of s.year.split(",")) {
    const m = /^(\*|\d{4})(?:-(\d{4}))?(?:\/(\d+))?$/.exec(part);
    if (!m) throw new ScheduleError(s.expr, `year value ${JSON.stringify(part)} is not a year, range or step`);
    const from = m[1] === "*" ? 1970 : Number(m[1]);
    const to = m[2] ? Number(m[2]) : m[1] === "*" || m[3] ? 2199 : from;
    const step = m[3] ? Number(m[3]) : 1;
    if (from < 1970 || to > 2199 || from > to || step < 1) throw new ScheduleError(s.expr, `year ${part} is outside 1970-2199`);
    for (let y = from; y <= to; y += step) allowed.add(y);
  }
  return (year) => allowed.has(year);
}

/** `15W` / `LW` in day-of-month: cron-parser has no W, so those days are computed here. */
function weekdayNearest(year: number, month: number, spec: string): number | undefined {
  const daysInMonth = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const target = spec === "L" ? daysInMonth : Number(spec);
  if (target > daysInMonth) return undefined;
  const dow = new Date(Date.UTC(year, month, target)).getUTCDay();
  if (dow === 6) return target === 1 ? 3 : target - 1; // Saturday -> Friday, never crossing into the previous month
  if (dow === 0) return target === daysInMonth ? target - 2 : target + 1; // Sunday -> Monday, never crossing into the next month
  return target;
}

const MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

function monthSet(s: Extract<Schedule, { kind: "cron" }>): Set<number> {
  try {
    const p = CronExpressionParser.parse(`0 0 1 ${s.month.toUpperCase()} *`, { tz: "UTC" });
    return new Set((p.fields.month.values as number[]).map((m) => m - 1));
  } catch (e) {
    throw new ScheduleError(s.expr, `month: ${(e as Error).message} (allowed: 1-12, ${MONTHS.join(",")})`);
  }
}

function dayProbe(s: Extract<Schedule, { kind: "cron" }>): void {
  if (/W/i.test(s.dayOfMonth)) {
    if (!/^(\d{1,2}|L)W$/i.test(s.dayOfMonth)) throw new ScheduleError(s.expr, "W must follow one day of the month (e.g. 15W) or L (LW)");
    const d = s.dayOfMonth.toUpperCase().slice(0, -1);
    if (d !== "L" && (Number(d) < 1 || Number(d) > 31)) throw new ScheduleError(s.expr, `day-of-month ${d} is outside 1-31`);
    monthSet(s);
    return;
  }
  try {
    CronExpressionParser.parse(dayPattern(s), { tz: "UTC" });
  } catch (e) {
    if (e instanceof ScheduleError) throw e;
    throw new ScheduleError(s.expr, `day/month fields: ${(e as Error).message}`);
  }
}

function dayPattern(s: Extract<Schedule, { kind: "cron" }>): string {
  const dom = s.dayOfMonth === "?" ? "*" : s.dayOfMonth.toUpperCase();
  return `0 0 ${dom} ${s.month.toUpperCase()} ${translateDayOfWeek(s.expr, s.dayOfWeek.toUpperCase())}`;
}

/** Matching calendar days (UTC midnight, ms) in [fromMs, toMs). */
function matchingDays(s: Extract<Schedule, { kind: "cron" }>, fromMs: number, toMs: number): number[] {
  const years = yearFilter(s);
  const out: number[] = [];
  if (/W/i.test(s.dayOfMonth)) {
    const spec = s.dayOfMonth.toUpperCase().slice(0, -1);
    const months = monthSet(s);
    const start = new Date(fromMs);
    for (let y = start.getUTCFullYear(), m = start.getUTCMonth(); Date.UTC(y, m, 1) < toMs; m === 11 ? (y++, (m = 0)) : m++) {
      if (!months.has(m) || !years(y)) continue;
      const d = weekdayNearest(y, m, spec);
      if (d === undefined) continue;
      const t = Date.UTC(y, m, d);
      if (t >= fromMs && t < toMs) out.push(t);
    }
    return out;
  }
  if ((s.dayOfMonth === "*" || s.dayOfMonth === "?") && (s.dayOfWeek === "*" || s.dayOfWeek === "?")) {
    // Every day of the selected months: no need to step the iterator day by day.
    const months = monthSet(s);
    for (let t = Math.ceil(fromMs / DAY_MS) * DAY_MS; t < toMs; t += DAY_MS) {
      const d = new Date(t);
      if (months.has(d.getUTCMonth()) && years(d.getUTCFullYear())) out.push(t);
    }
    return out;
  }
  const it = CronExpressionParser.parse(dayPattern(s), { tz: "UTC", currentDate: new Date(fromMs - 1) });
  for (;;) {
    let t: number;
    try {
      t = it.next().getTime();
    } catch {
      break; // no further matching day at all
    }
    if (t >= toMs) break;
    if (years(new Date(t).getUTCFullYear())) out.push(t);
  }
  return out;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
/** Offset (ms) of `tz` from UTC at the instant `utcMs`. */
function tzOffset(tz: string, utcMs: number): number {
  let f = offsetFormatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", { timeZone: tz, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit" });
    offsetFormatters.set(tz, f);
  }
  const p = Object.fromEntries(f.formatToParts(new Date(utcMs)).map((x) => [x.type, x.value]));
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return asUtc - Math.floor(utcMs / 1000) * 1000;
}

function isUtc(tz: string | undefined): boolean {
  return !tz || /^(etc\/)?(utc|gmt|uct|zulu)$/i.test(tz);
}

/** Wall-clock time in `tz` (expressed as if UTC) -> the UTC instant. */
function wallToUtc(wallMs: number, tz: string | undefined): number {
  if (isUtc(tz)) return wallMs;
  const guess = wallMs - tzOffset(tz!, wallMs);
  return wallMs - tzOffset(tz!, guess);
}

export interface WindowOptions {
  /** IANA time zone the expression is written in (AWS Backup `scheduleExpressionTimezone`); default UTC. */
  timezone?: string;
}

/** Run instants (UTC ms) of a schedule in [fromMs, toMs). `rate()` runs are anchored at fromMs. */
export function runsBetween(expr: string | Schedule, fromMs: number, toMs: number, opts: WindowOptions = {}): number[] {
  const s = typeof expr === "string" ? parseSchedule(expr) : expr;
  if (s.kind === "rate") {
    const out: number[] = [];
    for (let t = fromMs; t < toMs; t += s.minutes * MINUTE_MS) out.push(t);
    return out;
  }
  if (opts.timezone && !isUtc(opts.timezone)) {
    try {
      tzOffset(opts.timezone, fromMs);
    } catch {
      throw new ScheduleError(s.expr, `unknown time zone ${JSON.stringify(opts.timezone)}`);
    }
  }
  const times = timesOfDay(s);
  // Pad by a day on both sides so wall-clock days near the window edges are not lost to the offset.
  const out: number[] = [];
  for (const day of matchingDays(s, fromMs - DAY_MS, toMs + DAY_MS)) {
    for (const minute of times) {
      const t = wallToUtc(day + minute * MINUTE_MS, opts.timezone);
      if (t >= fromMs && t < toMs) out.push(t);
    }
  }
  return out.sort((a, b) => a - b);
}

export interface GapOptions extends WindowOptions {
  /** Calendar year the analysis starts in (default: the current UTC year). */
  year?: number;
}

/** Longest run-free stretch before the next run, searched this far past the analysed year. */
const LOOKAHEAD_YEARS = 8;

const gapCache = new Map<string, number>();

/** First run at or after `t` (direction 1) or last run before `t` (-1), within LOOKAHEAD_YEARS; else +/-Infinity. */
function nearestRun(schedules: Schedule[], t: number, direction: 1 | -1, opts: WindowOptions): number {
  // A short window first: most schedules run within a month, and a whole year of days costs more.
  const spans = [35 * DAY_MS, ...Array.from({ length: LOOKAHEAD_YEARS }, () => 366 * DAY_MS)];
  let edge = t;
  for (const span of spans) {
    const [a, b] = direction === 1 ? [edge, edge + span] : [edge - span, edge];
    let best = direction === 1 ? Infinity : -Infinity;
    for (const s of schedules) {
      const runs = runsBetween(s, a, b, opts);
      if (runs.length) best = direction === 1 ? Math.min(best, runs[0]) : Math.max(best, runs[runs.length - 1]);
    }
    if (Number.isFinite(best)) return best;
    edge = direction === 1 ? b : a;
  }
  return direction === 1 ? Infinity : -Infinity;
}

/**
 * The worst gap, in hours, between consecutive runs of the union of the
 * given schedules, over one full calendar year (including the gap from the
 * year's last run to the next one, found up to eight years ahead: a
 * `cron(0 0 29 2 ? *)` schedule has a gap of four years). Infinity when a
 * schedule never runs again (e.g. a past year).
 */
export function maxIntervalHoursOfUnion(exprs: readonly string[], opts: GapOptions = {}): number {
  if (exprs.length === 0) return Infinity;
  const year = opts.year ?? new Date().getUTCFullYear();
  const key = `${year}|${opts.timezone ?? ""}|${[...exprs].sort().join("|")}`;
  const cached = gapCache.get(key);
  if (cached !== undefined) return cached;
  const schedules = exprs.map((e) => parseSchedule(e));
  let result: number;
  if (schedules.every((s) => s.kind === "rate")) {
    // Rates from a common start: the shortest one bounds every gap.
    result = Math.min(...schedules.map((s) => (s as { minutes: number }).minutes)) / 60;
  } else {
    const from = Date.UTC(year, 0, 1);
    const to = Date.UTC(year + 1, 0, 1);
    const runs: number[] = [];
    for (const s of schedules) runs.push(...runsBetween(s, from, to, opts));
    runs.sort((a, b) => a - b);
    // The year's first gap opens at the last earlier run; its last one closes at the next later run.
    const prev = nearestRun(schedules, from, -1, opts);
    const next = nearestRun(schedules, to, 1, opts);
    // No earlier run: the schedule starts this year, and the time before its first run is no gap.
    const points = Number.isFinite(prev) || runs.length === 0 ? [prev, ...runs, next] : [...runs, next];
    let worst = 0;
    for (let i = 1; i < points.length; i++) worst = Math.max(worst, points[i] - points[i - 1]);
    result = worst / HOUR_MS;
  }
  gapCache.set(key, result);
  return result;
}

/** The worst gap, in hours, between consecutive runs of one schedule over a full year. */
export function maxIntervalHours(expr: string, opts: GapOptions = {}): number {
  return maxIntervalHoursOfUnion([expr], opts);
}

/** Runs at least once in every 24-hour stretch. */
export function isDaily(expr: string, opts: GapOptions = {}): boolean {
  return maxIntervalHours(expr, opts) <= 24;
}

/** Runs at least once in every 7-day stretch. */
export function isWeekly(expr: string, opts: GapOptions = {}): boolean {
  return maxIntervalHours(expr, opts) <= 168;
}

/** "36 h", "7 d", "5 min" — for messages. */
export function formatHours(hours: number): string {
  if (!Number.isFinite(hours)) return "never (no further run)";
  if (hours < 1) return `${Math.round(hours * 60)} min`;
  if (hours >= 48 && Number.isInteger(hours / 24)) return `${hours / 24} d`;
  return `${Number.isInteger(hours) ? hours : hours.toFixed(1)} h`;
}
