import { z } from "zod";

/** Whole days, at least one: retention and rotation periods are never zero. */
export const days = (what: string) =>
  z.number({ error: `${what} must be a whole number of days` }).int({ error: `${what} must be a whole number of days` }).min(1, { error: `${what} must be at least 1 day` });

/** A positive whole number (minutes, hours, percentages, counts). */
export const positiveInt = (what: string) =>
  z.number({ error: `${what} must be a whole number` }).int({ error: `${what} must be a whole number` }).positive({ error: `${what} must be greater than 0` });

/** A percentage threshold in (0, 100]. */
export const percent = (what: string) =>
  z.number({ error: `${what} must be a number between 0 and 100` }).gt(0).max(100);

/**
 * AWS schedule expressions as EventBridge, AWS Backup and SSM accept them:
 * `rate(N unit)` or a six-field `cron(...)`.
 */
export const awsSchedule = z
  .string()
  .regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\((\S+\s+){5}\S+\))$/, {
    error: "must be an AWS schedule expression: rate(N days) or cron(min hour day-of-month month day-of-week year)",
  });

/** IPv4 CIDR block. */
export const ipv4Cidr = z
  .string()
  .regex(/^((25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(25[0-5]|2[0-4]\d|1?\d?\d)\/(\d|[12]\d|3[0-2])$/, {
    error: "must be an IPv4 CIDR block such as 10.40.0.0/16",
  });

/** Identifier usable as a PostgreSQL role name without quoting. */
export const pgIdentifier = z
  .string()
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: "must be a lower-case PostgreSQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)" });

/** A DNS host name. */
export const hostname = z
  .string()
  .regex(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "must be a DNS name such as api.duespark.com" });
