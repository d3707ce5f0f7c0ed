import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { coversAction, isAllow, isDeny, parseStatements, principalsOf, Statement } from "../lib/iam";
import { KMS_KEY, KMS_REPLICA_KEY, METRIC_ALARM, TOPIC } from "./model";

interface Config {
  /** Service principals that publish alarms to the topics. */
  publishers: string[];
  /** KMS actions the publishers need on the topic key. */
  actions: string[];
}

/**
 * Runbook: alerting configuration. CloudWatch encrypts alarm messages with
 * the topic's key; unless the key policy lets cloudwatch.amazonaws.com use
 * kms:GenerateDataKey* and kms:Decrypt, SNS rejects the publish and the
 * alarm fires into nothing. Checked for every topic an alarm notifies; the
 * key is found through the topic's kmsMasterKeyId property dependency.
 */
export const alarmTopicKeyGrantsCloudwatch = stackPolicy<Config>({
  name: "alarm-topic-key-grants-cloudwatch",
  family: "alerting",
  description: "The KMS key of every alarm topic lets cloudwatch.amazonaws.com use kms:GenerateDataKey* and kms:Decrypt.",
  severity: "high",
  controls: "monitoring",
  runbook: "alerting",
  remediationSteps:
    "Add a key policy statement: Effect Allow, Principal { Service: \"cloudwatch.amazonaws.com\" }, Action [\"kms:GenerateDataKey*\", \"kms:Decrypt\"], Resource \"*\" (optionally conditioned on aws:SourceAccount).",
  config: {
    schema: {
      publishers: { type: "array", items: { type: "string", minLength: 1 }, description: "Service principals that must be able to use the key." },
      actions: { type: "array", items: { type: "string", minLength: 1 }, description: "KMS actions the publishers need." },
    },
    defaults: { publishers: ["cloudwatch.amazonaws.com"], actions: ["kms:GenerateDataKey", "kms:Decrypt"] },
  },
  resourceTypes: [METRIC_ALARM, TOPIC, KMS_KEY, KMS_REPLICA_KEY],
  check: ({ resources, config, report }) => {
    const graph = new StackGraph(resources);
    const alarmTopics = new Map<string, PolicyResource>();
    for (const alarm of graph.ofType(METRIC_ALARM)) for (const t of graph.referencedBy(alarm, "alarmActions", [TOPIC])) alarmTopics.set(t.urn, t);
    const verdicts = new Map<string, string | undefined>();
    for (const topic of alarmTopics.values()) {
      const keys = graph.referencedBy(topic, "kmsMasterKeyId", [KMS_KEY, KMS_REPLICA_KEY]);
      if (keys.length === 0) {
        report(`Topic "${topic.name}" receives alarms but its kmsMasterKeyId is not a KMS key of this stack, so the key policy cannot be verified.`, topic.urn);
        continue;
      }
      for (const key of keys) {
        if (!verdicts.has(key.urn)) verdicts.set(key.urn, missingGrant(key, config));
        const missing = verdicts.get(key.urn);
        if (missing) report(`Topic "${topic.name}" receives alarms, but key "${key.name}" ${missing}.`, topic.urn);
      }
    }
  },
});

/** Why the key policy does not let every publisher use every action, or undefined when it does. */
function missingGrant(key: PolicyResource, config: Config): string | undefined {
  const policy = key.props.policy;
  if (policy === undefined || policy === null || policy === "") return "has no explicit key policy (the default policy does not allow CloudWatch)";
  const parsed = parseStatements(policy);
  if (!parsed.ok) return `has an unreadable key policy (${parsed.reason})`;
  const statements = parsed.value;
  const gaps: string[] = [];
  for (const service of config.publishers) {
    const names = (s: Statement) => principalsOf(s.Principal).some((p) => p.type === "Service" && p.value === service);
    for (const action of config.actions) {
      const allowed = statements.some((s) => isAllow(s) && names(s) && coversAction(s, action));
      const denied = statements.some((s) => isDeny(s) && names(s) && coversAction(s, action) && !s.Condition);
      if (!allowed || denied) gaps.push(`${action} for ${service}`);
    }
  }
  return gaps.length ? `does not allow ${gaps.join(", ")}` : undefined;
}
