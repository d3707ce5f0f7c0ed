/**
 * Alert routing as fixtures: critical topic -> PagerDuty https subscription
 * (endpoint built from a ServiceIntegration) + Slack critical channel;
 * warning topic -> Slack warning channel; both topics encrypted with a CMK
 * whose policy lets the publishing services use it; one alarm per route.
 */
import { Fixture, fixture, urnOf } from "../../support/pack";

export const T = {
  alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  topic: "aws:sns/topic:Topic",
  sub: "aws:sns/topicSubscription:TopicSubscription",
  slack: "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration",
  integration: "pagerduty:index/serviceIntegration:ServiceIntegration",
  key: "aws:kms/key:Key",
} as const;

export const URN = {
  key: urnOf(T.key, "alerts-key"),
  critical: urnOf(T.topic, "critical"),
  warning: urnOf(T.topic, "warning"),
  integration: urnOf(T.integration, "cloudwatch"),
  pdSub: urnOf(T.sub, "pagerduty"),
  criticalAlarm: urnOf(T.alarm, "api-5xx"),
  warningAlarm: urnOf(T.alarm, "api-latency"),
};

export const KEY_POLICY = {
  Version: "2012-10-17",
  Statement: [
    { Sid: "Account", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" },
    {
      Sid: "AlarmPublishersEncrypt",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com"] },
      Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
    },
  ],
};

export interface AlertOptions {
  keyPolicy?: unknown;
  /** Put the PagerDuty subscription on the warning topic as well. */
  pageWarnings?: boolean;
  /** Drop the Slack channel of a route. */
  noSlack?: "critical" | "warning";
  /** Drop the PagerDuty subscription. */
  noPagerDuty?: boolean;
  criticalAlarmTags?: Record<string, string>;
  warningAlarmTopic?: string;
}

export function alertStack(o: AlertOptions = {}): Fixture[] {
  const topic = (route: "critical" | "warning") =>
    fixture(T.topic, route, { name: `duespark-prod-${route}`, kmsMasterKeyId: "arn:aws:kms:us-east-1:123456789012:key/1111", tags: { "duespark:severity": route } }, { propertyDependencies: { kmsMasterKeyId: [URN.key] } });
  const slack = (route: "critical" | "warning", topics: string[]) =>
    fixture(T.slack, `slack-${route}`, { configurationName: `duespark-prod-${route}`, slackTeamId: "T04DUESPK1", slackChannelId: "C05CRIT0PS1", iamRoleArn: "arn:aws:iam::123456789012:role/chatbot", guardrailPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"], snsTopicArns: topics.map((_, i) => `arn:aws:sns:us-east-1:123456789012:t${i}`) }, { propertyDependencies: { snsTopicArns: topics } });
  const alarm = (name: string, route: string, topicUrn: string, tags?: Record<string, string>) =>
    fixture(T.alarm, name, { comparisonOperator: "GreaterThanThreshold", evaluationPeriods: 1, threshold: 5, alarmActions: ["arn:aws:sns:us-east-1:123456789012:x"], okActions: ["arn:aws:sns:us-east-1:123456789012:x"], tags: tags ?? { "duespark:severity": route } }, { propertyDependencies: { alarmActions: [topicUrn], okActions: [topicUrn] } });
  const out: Fixture[] = [
    fixture(T.key, "alerts-key", { enableKeyRotation: true, policy: JSON.stringify(o.keyPolicy ?? KEY_POLICY) }),
    topic("critical"),
    topic("warning"),
    fixture(T.integration, "cloudwatch", { name: "Amazon CloudWatch", service: "PSVC123", type: "aws_cloudwatch_inbound_integration" }),
    alarm("api-5xx", "critical", URN.critical, o.criticalAlarmTags),
    alarm("api-latency", "warning", o.warningAlarmTopic ?? URN.warning),
  ];
  if (!o.noPagerDuty) {
    for (const t of o.pageWarnings ? [URN.critical, URN.warning] : [URN.critical]) {
      out.push(fixture(T.sub, t === URN.critical ? "pagerduty" : "pagerduty-warning", { topic: "arn:aws:sns:us-east-1:123456789012:critical", protocol: "https", endpoint: "https://events.pagerduty.com/integration/abc/enqueue", endpointAutoConfirms: true }, { propertyDependencies: { topic: [t], endpoint: [URN.integration] } }));
    }
  }
  if (o.noSlack !== "critical") out.push(slack("critical", [URN.critical]));
  if (o.noSlack !== "warning") out.push(slack("warning", [URN.warning]));
  return out;
}
