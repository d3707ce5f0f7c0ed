import { resourcePolicy } from "../lib/define";
import { isAwsManagedSnsKey, TOPIC } from "./model";
import { isUnknownAt, rawValue } from "../lib/presence";

/**
 * Runbook: encryption at rest and alerting. Topics are encrypted with a
 * customer-managed key: the AWS-managed alias/aws/sns key's policy does not
 * let CloudWatch (or EventBridge, AWS Backup) use it, so alarm
 * notifications to such a topic are dropped without an error. A computed
 * key id comes from a key resource, never the literal managed alias.
 */
export const alarmTopicEncryption = resourcePolicy({
  name: "alarm-topic-encryption",
  family: "alerting",
  description: "SNS topics are encrypted with a customer-managed KMS key (not alias/aws/sns, which CloudWatch cannot publish to).",
  severity: "high",
  controls: "dataAtRest",
  runbook: "alerting",
  remediationSteps: "Set kmsMasterKeyId on the aws.sns.Topic to a customer-managed key whose policy allows cloudwatch.amazonaws.com kms:GenerateDataKey* and kms:Decrypt.",
  resourceTypes: [TOPIC],
  check: ({ props, report }) => {
    const raw = rawValue(props, "kmsMasterKeyId");
    if (raw === undefined || raw === null || raw === "") {
      report("kmsMasterKeyId is not set: the topic is not encrypted at rest with a customer-managed key.");
      return;
    }
    if (isUnknownAt(props, "kmsMasterKeyId")) return;
    if (isAwsManagedSnsKey(raw)) {
      report(`kmsMasterKeyId is the AWS-managed key (${raw}): CloudWatch alarms cannot publish to a topic encrypted with it.`);
    }
  },
});
