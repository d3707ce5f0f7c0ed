import { resourcePolicy } from "../lib/define";
import { isReadonlyRole, PG, READONLY_DEFAULTS, READONLY_SCHEMA, ReadonlyConfig } from "../lib/pg";
import { asArray } from "../lib/props";

interface Config extends ReadonlyConfig {
  allowedPrivileges: string[];
}

/**
 * Runbook: database access (developers get read-only roles). Grants and
 * default privileges to a read-only role stay within SELECT, USAGE and
 * CONNECT: ALL, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER,
 * CREATE, TEMPORARY (and anything else) are violations, as is WITH GRANT
 * OPTION.
 */
export const pgReadonlyPrivileges = resourcePolicy<Config>({
  name: "pg-readonly-privileges",
  family: "database",
  description: "Read-only database roles are granted only SELECT, USAGE and CONNECT.",
  severity: "high",
  controls: "leastPrivilege",
  runbook: "databaseAccess",
  remediationSteps: "Limit privileges of the postgresql.Grant / postgresql.DefaultPrivileges for the read-only role to SELECT (tables, sequences), USAGE (schemas) and CONNECT (database); drop withGrantOption.",
  config: {
    schema: {
      ...READONLY_SCHEMA,
      allowedPrivileges: { type: "array", items: { type: "string", enum: ["SELECT", "USAGE", "CONNECT"] }, description: "Privileges a read-only role may hold." },
    },
    defaults: { ...READONLY_DEFAULTS, allowedPrivileges: ["SELECT", "USAGE", "CONNECT"] },
  },
  resourceTypes: [PG.grant, PG.defaultPrivileges],
  check: ({ type, props, config, report }) => {
    const role = props.role;
    if (!isReadonlyRole(role, config)) return;
    const allowed = new Set(config.allowedPrivileges.map((p) => p.toUpperCase()));
    const extra = asArray<string>(props.privileges).map((p) => String(p).toUpperCase()).filter((p) => !allowed.has(p));
    const what = type === PG.grant ? "Grant" : "DefaultPrivileges";
    if (extra.length) {
      report(`${what} gives read-only role ${String(role)} ${[...new Set(extra)].join(", ")} on ${String(props.objectType)}; only ${[...allowed].join(", ")} are allowed.`);
    }
    if (props.withGrantOption === true) report(`${what} lets read-only role ${String(role)} grant its privileges to others (withGrantOption).`);
  },
});
