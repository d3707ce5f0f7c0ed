import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { isUnknownAt, rawValue } from "../lib/presence";
import { tagsOf } from "../lib/props";
import { METRIC_ALARM, PD_SERVICE_INTEGRATION, SEVERITY_TAG, SLACK_CHANNEL, TOPIC, TOPIC_SUBSCRIPTION } from "./model";

interface Config {
  /** Alarms without a severity tag fail when true (routing cannot be verified). */
  requireSeverityTag: boolean;
  /** Hosts of PagerDuty's event endpoints. */
  pagerDutyHosts: string[];
}

interface Reach {
  pagerDuty: boolean;
  slack: boolean;
}

/**
 * Runbook: incident classification. P0/P1 alarms (tag duespark:severity =
 * critical) page PagerDuty and post to Slack; P2/P3 (warning) go to Slack
 * only and never page. Followed through URNs: alarm -alarmActions-> topic
 * <-topic- subscription (PagerDuty when its endpoint is built from a
 * PagerDuty ServiceIntegration, or is an https URL on events.pagerduty.com)
 * and topic <-snsTopicArns- Chatbot Slack channel.
 */
export const alarmRouting = stackPolicy<Config>({
  name: "alarm-routing",
  family: "alerting",
  description: "Critical alarms reach PagerDuty and Slack; warning alarms reach Slack and never page.",
  severity: "high",
  controls: "incidentResponse",
  runbook: "incidentClassification",
  remediationSteps:
    "Point critical alarms' alarmActions at the critical topic (PagerDuty https subscription + Chatbot Slack channel) and warning alarms at the warning topic (Chatbot only); tag each alarm duespark:severity=critical|warning.",
  config: {
    schema: {
      requireSeverityTag: { type: "boolean", description: "Alarms must carry duespark:severity (critical or warning)." },
      pagerDutyHosts: { type: "array", items: { type: "string", minLength: 1 }, description: "Host names of PagerDuty event endpoints." },
    },
    defaults: { requireSeverityTag: true, pagerDutyHosts: ["events.pagerduty.com", "events.eu.pagerduty.com"] },
  },
  resourceTypes: [METRIC_ALARM, TOPIC, TOPIC_SUBSCRIPTION, SLACK_CHANNEL, PD_SERVICE_INTEGRATION],
  check: ({ resources, config, report }) => {
    const graph = new StackGraph(resources);
    const reachCache = new Map<string, Reach>();
    const reachOf = (topic: PolicyResource): Reach => {
      let r = reachCache.get(topic.urn);
      if (!r) reachCache.set(topic.urn, (r = topicReach(graph, topic, config)));
      return r;
    };
    for (const alarm of graph.ofType(METRIC_ALARM)) {
      const severity = tagsOf(alarm.props)[SEVERITY_TAG];
      const name = alarm.name;
      if (severity !== "critical" && severity !== "warning") {
        if (config.requireSeverityTag) report(`Alarm "${name}" has no ${SEVERITY_TAG} tag of critical or warning (got ${JSON.stringify(severity ?? null)}): its route cannot be verified.`, alarm.urn);
        continue;
      }
      const topics = graph.referencedBy(alarm, "alarmActions", [TOPIC]);
      if (topics.length === 0) {
        report(`Alarm "${name}" (${severity}) notifies no SNS topic of this stack (alarmActions).`, alarm.urn);
        continue;
      }
      const reach = topics.map(reachOf).reduce((a, b) => ({ pagerDuty: a.pagerDuty || b.pagerDuty, slack: a.slack || b.slack }));
      if (severity === "critical") {
        if (!reach.pagerDuty) report(`Critical alarm "${name}" does not reach PagerDuty: none of its topics has a PagerDuty https subscription.`, alarm.urn);
        if (!reach.slack) report(`Critical alarm "${name}" does not reach Slack: none of its topics is in a Chatbot Slack channel's snsTopicArns.`, alarm.urn);
      } else {
        if (!reach.slack) report(`Warning alarm "${name}" does not reach Slack: none of its topics is in a Chatbot Slack channel's snsTopicArns.`, alarm.urn);
        if (reach.pagerDuty) report(`Warning alarm "${name}" pages PagerDuty: warning (P2/P3) alarms go to Slack only.`, alarm.urn);
      }
    }
  },
});

function topicReach(graph: StackGraph, topic: PolicyResource, config: Config): Reach {
  const subs = graph.referencing(topic, "topic", [TOPIC_SUBSCRIPTION]);
  const pagerDuty = subs.some((s) => isPagerDuty(graph, s, config));
  const slack = graph.referencing(topic, "snsTopicArns", [SLACK_CHANNEL]).length > 0;
  return { pagerDuty, slack };
}

function isPagerDuty(graph: StackGraph, sub: PolicyResource, config: Config): boolean {
  const protocol = rawValue(sub.props, "protocol");
  if (typeof protocol !== "string" || protocol.toLowerCase() !== "https") return false;
  if (graph.referencedBy(sub, "endpoint", [PD_SERVICE_INTEGRATION]).length > 0) return true;
  // The endpoint embeds the integration key (a secret); only its host is looked at.
  if (isUnknownAt(sub.props, "endpoint")) return false;
  const endpoint = rawValue(sub.props, "endpoint");
  if (typeof endpoint !== "string") return false;
  try {
    return config.pagerDutyHosts.includes(new URL(endpoint).hostname.toLowerCase());
  } catch {
    return false;
  }
}
