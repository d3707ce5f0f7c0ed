import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { isPresent } from "../lib/presence";
import { formatHours, maxIntervalHours, maxIntervalHoursOfUnion, ScheduleError } from "../lib/schedule";
import { BackupModel, label, PLAN, RDS_BACKUP_REPLICATION, RDS_INSTANCE, regionKey, SELECTION, VAULT } from "../backup/model";

interface Config {
  /** Recovery point objective for a regional disaster, hours (runbook: 24). */
  rpoHours: number;
  /** RPO for databases in their own region, minutes. */
  databaseRpoMinutes: number;
  /** RPO that continuous WAL archiving (point-in-time recovery) gives, minutes. */
  pitrRpoMinutes: number;
}

interface Estimate {
  minutes: number;
  source: string;
}

const NONE: Estimate = { minutes: Infinity, source: "no recovery point source" };

/**
 * Runbook: RPO 24 h. For every database (primary RDS instances; read
 * replicas recover from their source) the worst-case data loss is computed
 * from what the stack declares:
 *
 * - own region: point-in-time recovery (backupRetentionPeriod >= 1: WAL is
 *   archived continuously, ~5 minutes), an AWS Backup continuous rule, or
 *   else the worst gap between consecutive runs of the backup rules whose
 *   selections cover the instance (union of their schedules over a year,
 *   in each rule's time zone);
 * - DR region: replicated automated backups (InstanceAutomatedBackupsReplication
 *   linked through sourceDbInstanceArn; point-in-time in the DR region), or
 *   else the worst gap of the covering rules that copy to a vault in
 *   another region.
 *
 * Targets: databaseRpoMinutes in the own region, rpoHours in the DR region.
 * The figures are also sent as an advisory note starting "RPO report:" so
 * the preview can list them. S3 data is not estimated.
 */
export const recoveryRpo = stackPolicy<Config>({
  name: "recovery-rpo",
  family: "recovery",
  description: "Declared backups give every database an RPO within target in its own region and in the DR region.",
  severity: "critical",
  controls: "recovery",
  runbook: "disasterRecovery",
  remediationSteps:
    "Keep backupRetentionPeriod >= 1 on the RDS instance (point-in-time recovery) and add an aws.rds.InstanceAutomatedBackupsReplication in the DR region, or a backup rule that runs and copies to the DR vault at least every rpoHours.",
  config: {
    schema: {
      rpoHours: { type: "number", minimum: 1, description: "RPO target for a regional disaster (hours); runbook: 24." },
      databaseRpoMinutes: { type: "number", minimum: 1, description: "RPO target for databases in their own region (minutes)." },
      pitrRpoMinutes: { type: "number", minimum: 1, description: "RPO assumed for continuous WAL archiving / point-in-time recovery (minutes)." },
    },
    defaults: { rpoHours: 24, databaseRpoMinutes: 15, pitrRpoMinutes: 5 },
  },
  resourceTypes: [RDS_INSTANCE, RDS_BACKUP_REPLICATION, SELECTION, PLAN, VAULT],
  check: ({ resources, config, report, note }) => {
    const model = new BackupModel(new StackGraph(resources));
    for (const db of model.graph.ofType(RDS_INSTANCE)) {
      if (isPresent(db.props, "replicateSourceDb")) continue;
      const name = label(db);
      const { primary, dr } = estimate(model, db, config);
      const drTarget = config.rpoHours * 60;
      note(
        `RPO report: RDS instance "${name}": own region ${fmt(primary.minutes)} (${primary.source}), DR region ${fmt(dr.minutes)} (${dr.source}); targets ${fmt(config.databaseRpoMinutes)} / ${fmt(drTarget)}.`,
        db.urn,
      );
      if (primary.minutes > config.databaseRpoMinutes) {
        report(`RDS instance "${name}": worst-case RPO in its own region is ${fmt(primary.minutes)} (${primary.source}); target ${fmt(config.databaseRpoMinutes)}.`, db.urn);
      }
      if (dr.minutes > drTarget) {
        report(`RDS instance "${name}": worst-case RPO in the DR region is ${fmt(dr.minutes)} (${dr.source}); target ${fmt(drTarget)}.`, db.urn);
      }
    }
  },
});

function fmt(minutes: number): string {
  return formatHours(minutes / 60);
}

function best(...xs: Estimate[]): Estimate {
  return xs.reduce((a, b) => (b.minutes < a.minutes ? b : a), NONE);
}

interface CoveringRule {
  plan: PolicyResource;
  rule: any;
  index: number;
}

function estimate(model: BackupModel, db: PolicyResource, config: Config): { primary: Estimate; dr: Estimate } {
  const rules: CoveringRule[] = [];
  const seenPlans = new Set<string>();
  for (const sel of model.selectionsCovering(db)) {
    const plan = model.planOfSelection(sel);
    if (!plan || seenPlans.has(plan.urn)) continue;
    seenPlans.add(plan.urn);
    model.rules(plan).forEach((rule, index) => rules.push({ plan, rule, index }));
  }

  const retention = db.props.backupRetentionPeriod;
  const pitr: Estimate = typeof retention === "number" && retention >= 1 ? { minutes: config.pitrRpoMinutes, source: `point-in-time recovery, backupRetentionPeriod ${retention} d` } : NONE;
  const continuous: Estimate = rules.some((r) => r.rule.enableContinuousBackup === true) ? { minutes: config.pitrRpoMinutes, source: "AWS Backup continuous backup" } : NONE;
  const primary = best(pitr, continuous, scheduleEstimate(rules, "backup schedule"));

  const replicated = model.graph.referencing(db, "sourceDbInstanceArn", [RDS_BACKUP_REPLICATION]);
  const replication: Estimate = replicated.length ? { minutes: config.pitrRpoMinutes, source: `replicated automated backups (${replicated[0].name})` } : NONE;
  const dbRegion = regionKey(db);
  const copying = rules.filter(({ plan, rule }) =>
    model.copies(plan, rule).some((c) => {
      const dest = c.vault ? regionKey(c.vault).region : c.arnRegion;
      const from = regionKey(plan).region ?? dbRegion.region;
      return dest !== undefined && from !== undefined && dest !== from;
    }),
  );
  const dr = best(replication, scheduleEstimate(copying, "cross-region copy schedule"));
  return { primary, dr };
}

/** Worst gap between recovery points of the given rules (union of their schedules). */
function scheduleEstimate(rules: CoveringRule[], what: string): Estimate {
  const byZone = new Map<string, string[]>();
  const names: string[] = [];
  for (const { rule, index } of rules) {
    const expr = rule.schedule;
    if (typeof expr !== "string" || !expr) continue;
    const tz = typeof rule.scheduleExpressionTimezone === "string" ? rule.scheduleExpressionTimezone : "";
    const list = byZone.get(tz) ?? [];
    list.push(expr);
    byZone.set(tz, list);
    names.push(rule.ruleName ?? `#${index + 1}`);
  }
  if (byZone.size === 0) return NONE;
  let hours = Infinity;
  try {
    // Rules in different zones: the union's gap is at most the smallest per-zone gap.
    for (const [tz, exprs] of byZone) hours = Math.min(hours, exprs.length > 1 ? maxIntervalHoursOfUnion(exprs, { timezone: tz || undefined }) : maxIntervalHours(exprs[0], { timezone: tz || undefined }));
  } catch (e) {
    if (e instanceof ScheduleError) return { minutes: Infinity, source: e.message };
    throw e;
  }
  return { minutes: hours * 60, source: `${what} of rule${names.length > 1 ? "s" : ""} ${names.join(", ")}` };
}
