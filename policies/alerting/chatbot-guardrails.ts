import { resourcePolicy } from "../lib/define";
import { isUnknownValue } from "../lib/presence";
import { SLACK_CHANNEL } from "./model";

interface Config {
  /** Managed or customer policy names that must not be used as guardrails. */
  forbiddenPolicies: string[];
}

/**
 * Runbook: access controls. Anyone in the Slack channel can run commands
 * through AWS Chatbot within the guardrail policies; without guardrails the
 * channel role's full permissions apply, and AdministratorAccess as a
 * guardrail restricts nothing.
 */
export const chatbotGuardrails = resourcePolicy<Config>({
  name: "chatbot-guardrails",
  family: "alerting",
  description: "AWS Chatbot Slack channels set guardrail policies, never AdministratorAccess.",
  severity: "high",
  controls: "leastPrivilege",
  runbook: "alerting",
  remediationSteps: "Set guardrailPolicyArns to [arn:<partition>:iam::aws:policy/ReadOnlyAccess] (or a narrower customer policy) on the aws.chatbot.SlackChannelConfiguration.",
  config: {
    schema: { forbiddenPolicies: { type: "array", items: { type: "string", minLength: 1 }, description: "Policy names (after policy/) not allowed as guardrails." } },
    defaults: { forbiddenPolicies: ["AdministratorAccess"] },
  },
  resourceTypes: [SLACK_CHANNEL],
  check: ({ props, config, report }) => {
    const arns = props.guardrailPolicyArns;
    if (!Array.isArray(arns) || arns.length === 0) {
      report("guardrailPolicyArns is not set: channel members act with the channel role's full permissions.");
      return;
    }
    // Elements that are unknown come from interpolated ARNs; judge only the known ones.
    const raw = (arns as unknown as { __getSpecialProxyTarget?: unknown[] }).__getSpecialProxyTarget ?? [];
    for (const arn of raw) {
      if (typeof arn !== "string" || isUnknownValue(arn)) continue;
      const name = arn.split(":policy/").pop()?.split("/").pop();
      if (name && config.forbiddenPolicies.includes(name)) report(`guardrail ${arn} grants everything; use ReadOnlyAccess or a narrower policy.`);
    }
  },
});
