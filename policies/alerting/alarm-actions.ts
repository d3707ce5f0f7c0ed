import { resourcePolicy } from "../lib/define";
import { METRIC_ALARM } from "./model";

/**
 * Runbook: alerting configuration. An alarm without actions changes state
 * silently; without okActions nobody learns that an incident recovered,
 * and actionsEnabled: false mutes both.
 */
export const alarmActions = resourcePolicy({
  name: "alarm-actions",
  family: "alerting",
  description: "CloudWatch alarms notify on ALARM and on OK, with actions enabled.",
  severity: "high",
  controls: "monitoring",
  runbook: "alerting",
  remediationSteps: "Set alarmActions and okActions to the route's SNS topic ARN (critical or warning) and leave actionsEnabled unset or true.",
  resourceTypes: [METRIC_ALARM],
  check: ({ props, report }) => {
    if (props.actionsEnabled === false) report("actionsEnabled is false: the alarm notifies nobody.");
    if (!nonEmpty(props.alarmActions)) report("alarmActions is empty: entering ALARM notifies nobody.");
    if (!nonEmpty(props.okActions)) report("okActions is empty: recovery (OK) is never announced.");
  },
});

function nonEmpty(v: unknown): boolean {
  return Array.isArray(v) && v.length > 0;
}
