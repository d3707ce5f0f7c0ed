import { resourcePolicy } from "../lib/define";
import { isReadonlyRole, PG, READONLY_DEFAULTS, READONLY_SCHEMA, ReadonlyConfig } from "../lib/pg";
import { isSet } from "../lib/props";

interface Config extends ReadonlyConfig {
  ownerRole: string;
}

/**
 * Runbook: database access. Default privileges apply only to objects
 * created by `owner`; for the read-only role to see new tables that owner
 * must be the role that runs migrations (duespark_owner). An empty
 * `ownerRole` only requires an owner that is not the read-only role itself.
 */
export const pgReadonlyDefaultOwner = resourcePolicy<Config>({
  name: "pg-readonly-default-owner",
  family: "database",
  description: "Default privileges for read-only roles name the schema owner role that creates the objects.",
  severity: "medium",
  controls: "leastPrivilege",
  runbook: "databaseAccess",
  remediationSteps: "Set owner on the postgresql.DefaultPrivileges to the migration owner role (default duespark_owner).",
  config: {
    schema: { ...READONLY_SCHEMA, ownerRole: { type: "string", default: "duespark_owner", description: "Role that owns schema objects; empty = any role other than the read-only one." } },
    defaults: { ...READONLY_DEFAULTS, ownerRole: "duespark_owner" },
  },
  resourceTypes: [PG.defaultPrivileges],
  check: ({ props, config, report }) => {
    const role = props.role;
    if (!isReadonlyRole(role, config)) return;
    const owner = props.owner;
    if (!isSet(owner)) report(`DefaultPrivileges for read-only role ${String(role)} has no owner.`);
    else if (String(owner).toLowerCase() === String(role).toLowerCase()) report(`DefaultPrivileges for read-only role ${String(role)} names the read-only role itself as owner; it must be the schema owner role.`);
    else if (config.ownerRole && owner !== config.ownerRole) report(`DefaultPrivileges for read-only role ${String(role)} names owner ${String(owner)}; objects are created by ${config.ownerRole}.`);
  },
});
