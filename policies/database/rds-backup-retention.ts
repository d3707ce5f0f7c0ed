import { resourcePolicy } from "../lib/define";
import { toInt } from "../lib/props";
import { isReadReplica, RDS } from "../lib/rds";

/**
 * Runbook: backup strategy (point-in-time recovery, RPO 24 h). Automated
 * backups are kept at least `minDays` (default 7). Absent means the RDS API
 * default of 1 day. Read replicas are recovered from their source: skipped.
 */
export const rdsBackupRetention = resourcePolicy<{ minDays: number }>({
  name: "rds-backup-retention",
  family: "database",
  description: "RDS automated backups are retained for at least the configured number of days (default 7).",
  severity: "high",
  controls: "backup",
  runbook: "backupStrategy",
  remediationSteps: "Set backupRetentionPeriod to at least the configured minimum (7..35 days) on the aws.rds.Instance / aws.rds.Cluster.",
  config: {
    schema: { minDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Shortest automated backup retention in days." } },
    defaults: { minDays: 7 },
  },
  resourceTypes: [RDS.instance, RDS.cluster],
  check: ({ props, config, report }) => {
    if (isReadReplica(props)) return;
    const raw = props.backupRetentionPeriod;
    const days = toInt(raw);
    if (days === undefined) report(`backupRetentionPeriod is not set (RDS default 1 day); at least ${config.minDays} days are required.`);
    else if (days < config.minDays) report(`backupRetentionPeriod is ${days} days; at least ${config.minDays} days are required.`);
  },
});
