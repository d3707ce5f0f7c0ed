import { resourcePolicy } from "../lib/define";
import { PD_ESCALATION_POLICY } from "./model";

interface Config {
  maxLoops: number;
  minDelayMinutes: number;
}

/**
 * Runbook: incident classification (P0 acknowledged within 15 minutes).
 * PagerDuty accepts 0..9 loops; a rule without targets pages nobody; the
 * API's target types are user_reference and schedule_reference ("schedule"
 * or "user" are rejected or, worse, silently mean a user id).
 */
export const pagerdutyEscalation = resourcePolicy<Config>({
  name: "pagerduty-escalation",
  family: "alerting",
  description: "PagerDuty escalation policies loop 0-9 times and every rule pages at least one user or schedule reference.",
  severity: "high",
  controls: "incidentResponse",
  runbook: "incidentClassification",
  remediationSteps: "Give each rule escalationDelayInMinutes >= 1 and targets [{ type: \"schedule_reference\", id: schedule.id }] (or user_reference); keep numLoops between 0 and 9.",
  config: {
    schema: {
      maxLoops: { type: "integer", minimum: 0, maximum: 9, description: "Most escalation loops allowed (PagerDuty: 9)." },
      minDelayMinutes: { type: "integer", minimum: 1, description: "Shortest escalation delay (minutes)." },
    },
    defaults: { maxLoops: 9, minDelayMinutes: 1 },
  },
  resourceTypes: [PD_ESCALATION_POLICY],
  check: ({ props, config, report }) => {
    const loops = props.numLoops;
    if (loops !== undefined && loops !== null && (typeof loops !== "number" || !Number.isInteger(loops) || loops < 0 || loops > config.maxLoops)) {
      report(`numLoops ${JSON.stringify(loops)} is outside 0..${config.maxLoops}.`);
    }
    const rules: any[] = props.rules ?? [];
    if (rules.length === 0) report("The escalation policy has no rules: incidents page nobody.");
    rules.forEach((rule, i) => {
      const at = `rule #${i + 1}`;
      const delay = rule.escalationDelayInMinutes;
      if (typeof delay !== "number" || delay < config.minDelayMinutes) report(`${at}: escalationDelayInMinutes ${JSON.stringify(delay)} must be at least ${config.minDelayMinutes}.`);
      const targets: any[] = rule.targets ?? [];
      if (targets.length === 0) report(`${at} has no targets: the escalation step pages nobody.`);
      targets.forEach((t, j) => {
        const type = t.type ?? "user_reference";
        if (type !== "user_reference" && type !== "schedule_reference") {
          report(`${at} target #${j + 1}: type "${type}" is not a PagerDuty target type (use schedule_reference for schedules, user_reference for users).`);
        }
      });
    });
  },
});
