import { resourcePolicy } from "../lib/define";
import { toInt } from "../lib/props";

/**
 * Runbook: encryption at rest. A scheduled key deletion must leave time to
 * notice and cancel it: deletionWindowInDays at least `minDays` (runbook 30,
 * the AWS maximum). Absent means the AWS default of 30 days.
 */
export const kmsDeletionWindow = resourcePolicy<{ minDays: number }>({
  name: "kms-deletion-window",
  family: "keys",
  description: "KMS keys keep the longest deletion waiting period, so a scheduled deletion can be cancelled.",
  severity: "medium",
  controls: "keyManagement",
  runbook: "encryption",
  remediationSteps: "Set deletionWindowInDays on the aws.kms.Key to at least the configured minimum (runbook: 30) or leave it unset (AWS default 30).",
  config: {
    schema: { minDays: { type: "integer", minimum: 7, maximum: 30, default: 30, description: "Shortest allowed deletion window in days (AWS allows 7..30)." } },
    defaults: { minDays: 30 },
  },
  resourceTypes: ["aws:kms/key:Key"],
  check: ({ props, config, report }) => {
    const raw = props.deletionWindowInDays;
    const days = raw === undefined || raw === null ? 30 : toInt(raw);
    if (days === undefined || days < config.minDays) {
      report(`deletionWindowInDays is ${String(raw)}; the runbook requires at least ${config.minDays} days.`);
    }
  },
});
