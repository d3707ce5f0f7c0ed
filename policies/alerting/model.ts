/** Alerting resources the policies link: alarms -> topics -> subscriptions / Slack channels. */
export const METRIC_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
export const TOPIC = "aws:sns/topic:Topic";
export const TOPIC_SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription";
export const SLACK_CHANNEL = "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration";
export const PD_ESCALATION_POLICY = "pagerduty:index/escalationPolicy:EscalationPolicy";
export const PD_SERVICE_INTEGRATION = "pagerduty:index/serviceIntegration:ServiceIntegration";
export const KMS_KEY = "aws:kms/key:Key";
export const KMS_REPLICA_KEY = "aws:kms/replicaKey:ReplicaKey";

/** Tag naming an alarm's (and topic's) route; mirrors components/alerting/incidents.ts. */
export const SEVERITY_TAG = "duespark:severity";

/** The AWS-managed SNS key, as alias, alias ARN or bare alias name. */
export function isAwsManagedSnsKey(v: unknown): boolean {
  return typeof v === "string" && /(^|:|\/)?alias\/aws\/sns$/.test(v);
}
