import { resourcePolicy } from "../lib/define";
import { formatHours, maxIntervalHours } from "../lib/schedule";
import { PLAN } from "./model";

interface Config {
  /** Retention tiers (days) the rules of every plan must cover. */
  tiers: number[];
  /** Longest gap between recovery points each tier allows (hours), in the order of `tiers`. */
  cadenceHours: number[];
}

/**
 * Runbook: retention policy — daily 30 d, weekly 12 weeks (84 d), monthly
 * 12 months (365 d), annual 7 years (2555 d). A tier is covered by a rule
 * whose lifecycle deletes recovery points after exactly that many days and
 * whose schedule runs at least as often as the tier's name says: a "weekly"
 * rule that runs once a year keeps 84 days of nothing.
 */
export const backupPlanTiers = resourcePolicy<Config>({
  name: "backup-plan-tiers",
  family: "backup",
  description: "Backup plans keep the runbook's retention tiers: 30, 84, 365 and 2555 days.",
  severity: "high",
  controls: "retention",
  runbook: "retentionPolicy",
  remediationSteps: "Add one rule per tier to the aws.backup.Plan with lifecycle.deleteAfter 30 (daily), 84 (weekly), 365 (monthly) and 2555 (annual).",
  config: {
    schema: {
      tiers: { type: "array", items: { type: "integer", minimum: 1 }, description: "Retention tiers in days that the plan's rules must cover." },
      cadenceHours: { type: "array", items: { type: "integer", minimum: 1 }, description: "Longest gap between runs per tier, in hours (same order as tiers): daily 24, weekly 168, monthly 744, annual 8784." },
    },
    defaults: { tiers: [30, 84, 365, 2555], cadenceHours: [24, 168, 744, 8784] },
  },
  resourceTypes: [PLAN],
  check: ({ props, config, report }) => {
    const rules: any[] = props.rules ?? [];
    const missing = config.tiers.filter((tier) => rules.filter((r) => r.lifecycle?.deleteAfter === tier).length === 0);
    if (missing.length) {
      const found = rules.map((r) => r.lifecycle?.deleteAfter).filter((d) => typeof d === "number");
      report(`No rule keeps recovery points for ${missing.join(", ")} days (required tiers: ${config.tiers.join(", ")}; rules keep: ${found.length ? found.join(", ") : "none"}).`);
    }
    config.tiers.forEach((tier, i) => {
      const cadence = config.cadenceHours[i];
      const covering = rules.filter((r) => r.lifecycle?.deleteAfter === tier);
      if (cadence === undefined || covering.length === 0) return;
      const gaps = covering.map((r) => (typeof r.schedule === "string" ? maxIntervalHours(r.schedule, { timezone: r.scheduleExpressionTimezone }) : Infinity));
      const best = Math.min(...gaps);
      if (best > cadence) {
        report(`The ${tier}-day tier runs too rarely: its rule${covering.length > 1 ? "s run" : " runs"} at best every ${Number.isFinite(best) ? formatHours(best) : "never (no schedule)"}; the tier needs a recovery point at least every ${formatHours(cadence)}.`);
      }
    });
  },
});
