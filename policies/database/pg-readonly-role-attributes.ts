import { resourcePolicy } from "../lib/define";
import { isReadonlyRole, PG, READONLY_DEFAULTS, READONLY_SCHEMA, ReadonlyConfig, roleName } from "../lib/pg";
import { asArray, toInt } from "../lib/props";

interface Config extends ReadonlyConfig {
  maxConnectionLimit: number;
  allowedMemberOf: string[];
}

const ELEVATED = ["superuser", "createRole", "createDatabase", "replication", "bypassRowLevelSecurity"] as const;

/**
 * Runbook: database access. A read-only role has no elevated attributes,
 * a bounded connection limit (not -1 = unlimited), a statement timeout, and
 * is a member only of predefined read roles (pg_read_all_data, rds_iam for
 * IAM sign-in, ...), never of a role that can write.
 */
export const pgReadonlyRoleAttributes = resourcePolicy<Config>({
  name: "pg-readonly-role-attributes",
  family: "database",
  description: "Read-only database roles have no elevated attributes, a connection limit, a statement timeout and no write-capable memberships.",
  severity: "high",
  controls: "leastPrivilege",
  runbook: "databaseAccess",
  remediationSteps: "On the postgresql.Role set superuser/createRole/createDatabase/replication/bypassRowLevelSecurity false, connectionLimit 1..N, statementTimeout > 0 (ms), and roles only from the allowed list.",
  config: {
    schema: {
      ...READONLY_SCHEMA,
      maxConnectionLimit: { type: "integer", minimum: 1, maximum: 1000, default: 100, description: "Highest connection limit for a read-only role." },
      allowedMemberOf: { type: "array", items: { type: "string" }, description: "Roles a read-only role may be a member of." },
    },
    defaults: { ...READONLY_DEFAULTS, maxConnectionLimit: 100, allowedMemberOf: ["pg_read_all_data", "pg_read_all_stats", "pg_monitor", "rds_iam"] },
  },
  resourceTypes: [PG.role],
  check: ({ props, name, config, report }) => {
    const role = roleName(props, name);
    if (!isReadonlyRole(role, config)) return;
    const elevated = ELEVATED.filter((a) => props[a] === true);
    if (elevated.length) report(`Read-only role ${role} has ${elevated.join(", ")} set.`);
    const limit = toInt(props.connectionLimit);
    if (limit === undefined || limit <= 0) report(`Read-only role ${role} has no connection limit (connectionLimit ${limit ?? "unset"}); set 1..${config.maxConnectionLimit}.`);
    else if (limit > config.maxConnectionLimit) report(`Read-only role ${role} allows ${limit} connections; at most ${config.maxConnectionLimit}.`);
    const timeout = toInt(props.statementTimeout);
    if (timeout === undefined || timeout <= 0) report(`Read-only role ${role} has no statementTimeout: a runaway query can hold locks and load the primary.`);
    const allowed = new Set(config.allowedMemberOf.map((r) => r.toLowerCase()));
    const bad = asArray<string>(props.roles).map(String).filter((r) => !allowed.has(r.toLowerCase()) && !isReadonlyRole(r, config));
    if (bad.length) report(`Read-only role ${role} is a member of ${bad.join(", ")}, which can give it write access.`);
  },
});
