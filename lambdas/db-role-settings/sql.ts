/**
 * Role-level settings (ALTER ROLE ... SET) that the PostgreSQL provider has
 * no argument for. Only allow-listed parameters with values of a known shape
 * are accepted: the statements run as the master user, so nothing from the
 * event may reach the SQL text unchecked. This module has no runtime
 * dependencies, so the Pulumi program validates the same settings at preview.
 */

/** Key aws.lambda.Invocation adds to the input in CRUD scope (its terraformKey): {action, prev_input}. */
export const LIFECYCLE_KEY = "tf";

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
const ON_OFF = /^(on|off)$/;
// Integer milliseconds or a PostgreSQL time unit; 0 disables the timeout.
const DURATION = /^(0|[1-9][0-9]{0,9})(ms|s|min|h|d)?$/;
const PGAUDIT_CLASS = "-?(read|write|function|role|ddl|misc|misc_set|all|none)";

/** Parameters this function may set, each with the value shapes it accepts. */
export const ALLOWED_PARAMETERS: Readonly<Record<string, { pattern: RegExp; expected: string }>> = {
  default_transaction_read_only: { pattern: ON_OFF, expected: "on or off" },
  statement_timeout: { pattern: DURATION, expected: "a whole number with an optional unit ms, s, min, h or d" },
  idle_in_transaction_session_timeout: { pattern: DURATION, expected: "a whole number with an optional unit ms, s, min, h or d" },
  "pgaudit.log": { pattern: new RegExp(`^${PGAUDIT_CLASS}(,${PGAUDIT_CLASS})*$`), expected: "a comma-separated list of read, write, function, role, ddl, misc, misc_set, all, none (optionally prefixed with -)" },
  "pgaudit.log_relation": { pattern: ON_OFF, expected: "on or off" },
  log_statement: { pattern: /^(none|ddl|mod|all)$/, expected: "none, ddl, mod or all" },
};

export interface RoleSetting {
  role: string;
  parameter: string;
  value: string;
  /** Limits the setting to sessions in one database (ALTER ROLE ... IN DATABASE); role-wide when absent. */
  inDatabase?: string;
}

/** A double-quoted identifier; only plain lower-case PostgreSQL identifiers are accepted. */
export function quoteIdent(name: string, what = "identifier"): string {
  if (typeof name !== "string" || !IDENT.test(name)) {
    throw new Error(`${what} ${JSON.stringify(name)} is not allowed: expected [a-z_][a-z0-9_]*, at most 63 characters`);
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * A string literal that reads the same whatever standard_conforming_strings
 * is: quotes doubled, and an E'' literal with doubled backslashes when the
 * value has any.
 */
export function quoteLiteral(value: string): string {
  if (value.includes("\0")) throw new Error("a literal cannot contain a NUL byte");
  const body = value.replace(/'/g, "''");
  return value.includes("\\") ? `E'${body.replace(/\\/g, "\\\\")}'` : `'${body}'`;
}

/** The setting, checked: identifiers, an allow-listed parameter, a value of the parameter's shape. */
export function checkRoleSetting(s: unknown): RoleSetting {
  const raw = (s ?? {}) as Record<string, unknown>;
  if (typeof s !== "object" || s === null || Array.isArray(s)) throw new Error(`a role setting must be an object {role, parameter, value}, got ${JSON.stringify(s)}`);
  const unknownKeys = Object.keys(raw).filter((k) => !["role", "parameter", "value", "inDatabase"].includes(k));
  if (unknownKeys.length > 0) throw new Error(`role setting has unknown field(s) ${unknownKeys.join(", ")}; allowed: role, parameter, value, inDatabase`);
  const role = raw.role as string;
  quoteIdent(role, "role");
  const parameter = raw.parameter as string;
  const rule = typeof parameter === "string" && Object.prototype.hasOwnProperty.call(ALLOWED_PARAMETERS, parameter) ? ALLOWED_PARAMETERS[parameter] : undefined;
  if (!rule) throw new Error(`parameter ${JSON.stringify(parameter)} is not allowed; allowed: ${Object.keys(ALLOWED_PARAMETERS).join(", ")}`);
  const value = raw.value;
  if (typeof value !== "string" || !rule.pattern.test(value)) {
    throw new Error(`value ${JSON.stringify(value)} of ${parameter} for role ${role} is not allowed: expected ${rule.expected}`);
  }
  const out: RoleSetting = { role, parameter, value };
  if (raw.inDatabase !== undefined) {
    quoteIdent(raw.inDatabase as string, "database");
    out.inDatabase = raw.inDatabase as string;
  }
  return out;
}

/** Identity of a setting in pg_db_role_setting: role, database scope, parameter. */
export function settingKey(s: Pick<RoleSetting, "role" | "parameter" | "inDatabase">): string {
  return `${s.role}@${s.inDatabase ?? ""}/${s.parameter}`;
}

/** Checks every setting and refuses two different values for the same role, scope and parameter. */
export function checkRoleSettings(settings: unknown): RoleSetting[] {
  if (!Array.isArray(settings)) throw new Error(`settings must be an array of {role, parameter, value}, got ${JSON.stringify(settings)}`);
  const checked = settings.map(checkRoleSetting);
  const seen = new Map<string, string>();
  for (const s of checked) {
    const key = settingKey(s);
    const before = seen.get(key);
    if (before !== undefined && before !== s.value) throw new Error(`${s.parameter} for role ${s.role} is given twice with different values (${before}, ${s.value})`);
    seen.set(key, s.value);
  }
  return checked;
}

function target(s: RoleSetting): string {
  return `ALTER ROLE ${quoteIdent(s.role, "role")}${s.inDatabase ? ` IN DATABASE ${quoteIdent(s.inDatabase, "database")}` : ""}`;
}

/** `ALTER ROLE "<role>" [IN DATABASE "<db>"] SET <parameter> = '<value>'`, one per setting. */
export function roleSettingStatements(settings: readonly RoleSetting[]): string[] {
  return checkRoleSettings(settings).map((s) => `${target(s)} SET ${s.parameter} = ${quoteLiteral(s.value)}`);
}

/** `ALTER ROLE "<role>" [IN DATABASE "<db>"] RESET <parameter>`, one per setting (values are not needed). */
export function roleResetStatements(settings: readonly RoleSetting[]): string[] {
  return checkRoleSettings(settings).map((s) => `${target(s)} RESET ${s.parameter}`);
}

/** Roles among the given names that exist. */
export const EXISTING_ROLES_SQL = "SELECT rolname FROM pg_catalog.pg_roles WHERE rolname = ANY($1::text[])";

/** Stored settings of the given roles: one row per (role, database scope), config as name=value entries. */
export const CURRENT_SETTINGS_SQL =
  "SELECT r.rolname AS role, d.datname AS database, s.setconfig AS config " +
  "FROM pg_catalog.pg_db_role_setting s " +
  "JOIN pg_catalog.pg_roles r ON r.oid = s.setrole " +
  "LEFT JOIN pg_catalog.pg_database d ON d.oid = s.setdatabase " +
  "WHERE r.rolname = ANY($1::text[])";
