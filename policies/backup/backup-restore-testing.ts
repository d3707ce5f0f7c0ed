import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { formatHours, maxIntervalHours, ScheduleError } from "../lib/schedule";
import { known, label, PLAN, RESTORE_TESTING_PLAN, RESTORE_TESTING_SELECTION } from "./model";

interface Config {
  /** Longest allowed gap between restore tests, in hours (runbook: weekly). */
  maxIntervalHours: number;
}

/**
 * Runbook: backup verification — a weekly integrity check (Sunday 03:00).
 * A stack that backs up must also restore-test: an AWS Backup restore
 * testing plan whose schedule never leaves more than a week between runs,
 * with at least one restore testing selection attached (a plan without a
 * selection tests nothing).
 */
export const backupRestoreTesting = stackPolicy<Config>({
  name: "backup-restore-testing",
  family: "backup",
  description: "Stacks with a backup plan run restore tests at least weekly (restore testing plan + selection).",
  severity: "high",
  controls: "backup",
  runbook: "backupVerification",
  remediationSteps:
    "Add an aws.backup.RestoreTestingPlan with scheduleExpression cron(0 3 ? * SUN *) and an aws.backup.RestoreTestingSelection whose restoreTestingPlanName is that plan's name.",
  config: {
    schema: { maxIntervalHours: { type: "number", minimum: 1, description: "Longest allowed gap between restore tests (hours); runbook: 168 (weekly)." } },
    defaults: { maxIntervalHours: 168 },
  },
  resourceTypes: [PLAN, RESTORE_TESTING_PLAN, RESTORE_TESTING_SELECTION],
  check: ({ resources, config, report }) => {
    const graph = new StackGraph(resources);
    const backupPlans = graph.ofType(PLAN);
    if (backupPlans.length === 0) return;
    const anchor = backupPlans[0].urn;
    const testPlans = graph.ofType(RESTORE_TESTING_PLAN);
    if (testPlans.length === 0) {
      report(`The stack backs up (plan "${label(backupPlans[0])}") but has no RestoreTestingPlan: restores are never verified.`, anchor);
      return;
    }
    for (const tp of testPlans) {
      const problems: string[] = [];
      const expr = tp.props.scheduleExpression;
      const timezone = tp.props.scheduleExpressionTimezone ?? undefined;
      try {
        const gap = maxIntervalHours(String(expr), { timezone });
        if (gap > config.maxIntervalHours) problems.push(`schedule ${expr} leaves up to ${formatHours(gap)} between tests (allowed: ${formatHours(config.maxIntervalHours)})`);
      } catch (e) {
        if (!(e instanceof ScheduleError)) throw e;
        problems.push(e.message);
      }
      if (selectionsOf(graph, tp).length === 0) problems.push("no RestoreTestingSelection is attached (restoreTestingPlanName), so it tests nothing");
      for (const p of problems) report(`Restore testing plan "${label(tp)}": ${p}.`, tp.urn);
    }
  },
});

function selectionsOf(graph: StackGraph, plan: PolicyResource): PolicyResource[] {
  const linked = graph.referencing(plan, "restoreTestingPlanName", [RESTORE_TESTING_SELECTION]);
  if (linked.length) return [...linked];
  const name = known(plan.props, "name");
  if (typeof name !== "string") return [];
  return graph.ofType(RESTORE_TESTING_SELECTION).filter((s) => known(s.props, "restoreTestingPlanName") === name);
}
