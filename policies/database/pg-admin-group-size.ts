import { stackPolicy } from "../lib/define";
import { PG, roleName } from "../lib/pg";
import { asArray, Deferrals } from "../lib/props";

interface Config {
  adminGroup: string;
  minAdmins: number;
  maxAdmins: number;
}

/**
 * Runbook: database access (2-3 named admins). Members of the admin group
 * role are roles whose `roles` list it, plus postgresql.GrantRole resources
 * granting it; the count of distinct members is kept within minAdmins..
 * maxAdmins (1..3). Not applicable when the stack neither declares the
 * group nor grants it.
 */
export const pgAdminGroupSize = stackPolicy<Config>({
  name: "pg-admin-group-size",
  family: "database",
  description: "The database admin group has between 1 and 3 members (runbook: 2-3 named admins).",
  severity: "high",
  controls: "privilegedAccess",
  runbook: "databaseAccess",
  remediationSteps: "Keep database.admins in the stack config to 1..3 named engineers; grant the admin group through postgresql.Role roles or postgresql.GrantRole only for them.",
  config: {
    schema: {
      adminGroup: { type: "string", minLength: 1, default: "duespark_admins", description: "Name of the admin group role." },
      minAdmins: { type: "integer", minimum: 0, default: 1 },
      maxAdmins: { type: "integer", minimum: 1, default: 3 },
    },
    defaults: { adminGroup: "duespark_admins", minAdmins: 1, maxAdmins: 3 },
  },
  resourceTypes: [PG.role, PG.grantRole],
  check: ({ resources, config, report }) => {
    const d = new Deferrals();
    const group = config.adminGroup.toLowerCase();
    const members = new Set<string>();
    let groupUrn: string | undefined;
    let mentioned = false;
    for (const r of resources) {
      d.run(() => {
        if (r.type === PG.role) {
          const name = roleName(r.props, r.name);
          if (name.toLowerCase() === group) {
            groupUrn = r.urn;
            mentioned = true;
          }
          if (asArray<string>(r.props.roles).some((g) => String(g).toLowerCase() === group)) {
            members.add(name.toLowerCase());
            mentioned = true;
          }
        } else if (r.type === PG.grantRole && String(r.props.grantRole).toLowerCase() === group) {
          members.add(String(r.props.role).toLowerCase());
          mentioned = true;
        }
      });
    }
    if (mentioned) {
      const list = [...members].sort().join(", ") || "none";
      if (members.size > config.maxAdmins) report(`Admin group ${config.adminGroup} has ${members.size} members (${list}); at most ${config.maxAdmins} are allowed.`, groupUrn);
      else if (members.size < config.minAdmins && !d.deferred) report(`Admin group ${config.adminGroup} has ${members.size} members; at least ${config.minAdmins} named admin is required.`, groupUrn);
    }
    d.finish();
  },
});
