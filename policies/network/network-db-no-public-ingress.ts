import { resourcePolicy } from "../lib/define";
import { Deferrals } from "../lib/props";
import { coversTcpPort, describePorts, ingressRules, INGRESS_TYPES, isWorldCidr } from "../lib/sg-rules";

/**
 * Runbook: database access. No ingress rule lets the internet (0.0.0.0/0 or
 * ::/0) reach a database port (PostgreSQL 5432, MySQL 3306) — directly, by
 * a port range spanning it, or through an all-ports / all-traffic rule.
 */
export const networkDbNoPublicIngress = resourcePolicy<{ databasePorts: number[] }>({
  name: "network-db-no-public-ingress",
  family: "network",
  description: "No security group rule opens a database port (5432, 3306) or all ports to 0.0.0.0/0 or ::/0.",
  severity: "critical",
  controls: "networkSecurity",
  runbook: "databaseAccess",
  remediationSteps: "Replace the CIDR source with the application's security group (referencedSecurityGroupId / sourceSecurityGroupId) and narrow the port range to the database port.",
  config: {
    schema: { databasePorts: { type: "array", items: { type: "integer", minimum: 1, maximum: 65535 }, description: "Ports treated as database ports." } },
    defaults: { databasePorts: [5432, 3306] },
  },
  resourceTypes: INGRESS_TYPES,
  check: ({ type, props, config, report }) => {
    const d = new Deferrals();
    for (const rule of ingressRules(type, props, d)) {
      const world = rule.cidrs.filter(isWorldCidr);
      const ports = config.databasePorts.filter((p) => coversTcpPort(rule, p));
      if (ports.length && rule.unknownCidr) d.defer(rule.unknownCidr);
      if (world.length && ports.length) {
        report(`Ingress ${rule.where} (${describePorts(rule)}) opens database port ${ports.join(", ")} to ${world.join(", ")}.`);
      }
    }
    d.finish();
  },
});
