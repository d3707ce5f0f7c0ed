import type { PackPolicy } from "../lib/define";
import { alarmActions } from "./alarm-actions";
import { alarmRouting } from "./alarm-routing";
import { alarmTopicEncryption } from "./alarm-topic-encryption";
import { alarmTopicKeyGrantsCloudwatch } from "./alarm-topic-key-grants-cloudwatch";
import { chatbotGuardrails } from "./chatbot-guardrails";
import { pagerdutyEscalation } from "./pagerduty-escalation";

/** Control family: alerting (runbook: Alerting Configuration, Incident Classification). */
export const alertingPolicies: PackPolicy[] = [
  alarmActions,
  alarmRouting,
  alarmTopicEncryption,
  alarmTopicKeyGrantsCloudwatch,
  pagerdutyEscalation,
  chatbotGuardrails,
];
