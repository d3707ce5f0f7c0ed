import { resourcePolicy } from "../lib/define";
import { asArray } from "../lib/props";
import { isPostgresEngine, RDS } from "../lib/rds";

interface Config {
  instanceExports: string[];
  clusterExports: string[];
}

/**
 * Runbook: compliance and auditing. PostgreSQL logs (pgaudit output) and
 * upgrade logs go to CloudWatch Logs where the 7-year audit retention
 * applies. Aurora clusters export only "postgresql" (and instance/iam logs).
 */
export const rdsLogExports = resourcePolicy<Config>({
  name: "rds-log-exports",
  family: "database",
  description: "PostgreSQL databases export their postgresql and upgrade logs to CloudWatch Logs.",
  severity: "medium",
  controls: "auditLogging",
  runbook: "compliance",
  remediationSteps: 'Set enabledCloudwatchLogsExports: ["postgresql", "upgrade"] on the aws.rds.Instance (["postgresql"] on an Aurora cluster).',
  config: {
    schema: {
      instanceExports: { type: "array", items: { type: "string", enum: ["postgresql", "upgrade", "iam-db-auth-error"] }, description: "Log types every PostgreSQL instance exports." },
      clusterExports: { type: "array", items: { type: "string", enum: ["postgresql", "instance", "iam-db-auth-error"] }, description: "Log types every Aurora PostgreSQL cluster exports." },
    },
    defaults: { instanceExports: ["postgresql", "upgrade"], clusterExports: ["postgresql"] },
  },
  resourceTypes: [RDS.instance, RDS.cluster],
  check: ({ type, props, config, report }) => {
    if (!isPostgresEngine(props.engine)) return;
    const have = new Set(asArray<string>(props.enabledCloudwatchLogsExports).map((x) => String(x).toLowerCase()));
    const missing = (type === RDS.cluster ? config.clusterExports : config.instanceExports).filter((x) => !have.has(x));
    if (missing.length) report(`enabledCloudwatchLogsExports is missing ${missing.join(", ")}.`);
  },
});
