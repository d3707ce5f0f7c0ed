import { resourcePolicy } from "../lib/define";
import { isPostgresEngine, pgParameterProblems, RDS } from "../lib/rds";

/**
 * Runbook: encryption in transit, compliance and auditing. A PostgreSQL
 * parameter group refuses non-TLS connections (rds.force_ssl = 1) and
 * preloads pgaudit. Whether each instance uses such a group is checked by
 * rds-parameter-group-linked.
 */
export const rdsForceSsl = resourcePolicy({
  name: "rds-force-ssl",
  family: "database",
  description: "PostgreSQL parameter groups force TLS (rds.force_ssl=1) and preload pgaudit.",
  severity: "high",
  controls: "dataInTransit",
  runbook: "encryption",
  remediationSteps: 'Add parameters {name: "rds.force_ssl", value: "1"} and {name: "shared_preload_libraries", value: "pgaudit,pg_stat_statements", applyMethod: "pending-reboot"} to the parameter group.',
  resourceTypes: [RDS.parameterGroup, RDS.clusterParameterGroup],
  check: ({ props, report }) => {
    if (!isPostgresEngine(props.family)) return;
    const problems = pgParameterProblems(props.parameters);
    if (problems.length) report(`Parameter group (family ${String(props.family)}): ${problems.join("; ")}.`);
  },
});
