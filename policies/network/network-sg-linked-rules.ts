import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { configRegex, Deferrals, displayName, linkedThrough, tagValue } from "../lib/props";
import { RDS } from "../lib/rds";
import { coversTcpPort, describePorts, ingressRules, SG_TYPES } from "../lib/sg-rules";

interface Config {
  databasePort: number;
  databaseGroupPattern: string;
}

/**
 * Runbook: database access. A database security group accepts the database
 * port only from other security groups (the application's, the rotation
 * Lambda's), never from a CIDR or prefix list. Database groups are those an
 * RDS instance or cluster references (propertyDependencies
 * .vpcSecurityGroupIds, by URN) or whose name / Name tag matches
 * `databaseGroupPattern`. Their rules are the inline ingress blocks and
 * the separate rule resources linked by URN through securityGroupId.
 */
export const networkSgLinkedRules = stackPolicy<Config>({
  name: "network-sg-linked-rules",
  family: "network",
  description: "Database security groups accept the database port only from referenced security groups, never from CIDR ranges.",
  severity: "high",
  controls: "networkSecurity",
  runbook: "databaseAccess",
  remediationSteps: "Use aws.vpc.SecurityGroupIngressRule with referencedSecurityGroupId (the application or Lambda security group) for port 5432; remove CIDR and prefix-list sources.",
  config: {
    schema: {
      databasePort: { type: "integer", minimum: 1, maximum: 65535, default: 5432 },
      databaseGroupPattern: { type: "string", minLength: 1, default: "(^|[-_ ])(db|database|rds|postgres|postgresql)([-_ ]|$)", description: "Regex on a security group's name or Name tag marking it as a database group." },
    },
    defaults: { databasePort: 5432, databaseGroupPattern: "(^|[-_ ])(db|database|rds|postgres|postgresql)([-_ ]|$)" },
  },
  resourceTypes: [SG_TYPES.group, SG_TYPES.rule, SG_TYPES.ingressRule, RDS.instance, RDS.cluster],
  check: ({ resources, config, report }) => {
    const d = new Deferrals();
    const pattern = configRegex(config.databaseGroupPattern);
    const dbGroups = new Map<string, PolicyResource>();
    for (const db of resources.filter((r) => r.type === RDS.instance || r.type === RDS.cluster)) {
      for (const g of linkedThrough(db, "vpcSecurityGroupIds", [SG_TYPES.group])) dbGroups.set(g.urn, g);
    }
    for (const g of resources.filter((r) => r.type === SG_TYPES.group)) {
      d.run(() => {
        const nameTag = tagValue(g.props, "Name") ?? "";
        if (pattern.test(g.name) || pattern.test(displayName(g)) || pattern.test(nameTag)) dbGroups.set(g.urn, g);
      });
    }
    const check = (owner: PolicyResource, group: PolicyResource) => {
      for (const rule of ingressRules(owner.type, owner.props, d)) {
        if (!coversTcpPort(rule, config.databasePort)) continue;
        if (rule.unknownCidr) d.defer(rule.unknownCidr);
        if (!rule.cidrs.length && !rule.prefixLists) continue;
        const where = owner === group ? `${group.name} ${rule.where}` : `rule ${owner.name} on ${group.name}`;
        const from = [...rule.cidrs, ...(rule.prefixLists ? ["a prefix list"] : [])].join(", ");
        report(`Database security group ${where} (${describePorts(rule)}) accepts port ${config.databasePort} from ${from}; only referenced security groups may reach it.`, owner.urn);
      }
    };
    for (const g of dbGroups.values()) check(g, g);
    for (const rule of resources.filter((r) => r.type === SG_TYPES.rule || r.type === SG_TYPES.ingressRule)) {
      for (const g of linkedThrough(rule, "securityGroupId", [SG_TYPES.group])) if (dbGroups.has(g.urn)) check(rule, g);
    }
    d.finish();
  },
});
