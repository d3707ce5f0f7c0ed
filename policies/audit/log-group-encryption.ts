import { resourcePolicy } from "../lib/define";
import { isPresent } from "../lib/presence";
import { DEFAULT_AUDIT_LOG_GROUP_PATTERNS, isAuditLogGroup, LOG_GROUP } from "./scope";

interface Config {
  auditLogGroupPatterns: string[];
}

/**
 * Runbook: encryption at rest. Audit and security log groups (CloudTrail,
 * SSM session transcripts, database logs) hold personal data and commands;
 * they are encrypted with a customer-managed key whose use is logged.
 */
export const logGroupEncryption = resourcePolicy<Config>({
  name: "log-group-encryption",
  family: "audit",
  description: "Audit and security CloudWatch log groups are encrypted with a customer-managed KMS key.",
  severity: "high",
  controls: "dataAtRest",
  runbook: "encryption",
  remediationSteps: "Set kmsKeyId on the aws.cloudwatch.LogGroup to a CMK whose policy allows logs.<region>.amazonaws.com to use it.",
  config: {
    schema: { auditLogGroupPatterns: { type: "array", items: { type: "string", minLength: 1 }, description: "Globs (* spans /) naming audit/security log groups." } },
    defaults: { auditLogGroupPatterns: DEFAULT_AUDIT_LOG_GROUP_PATTERNS },
  },
  resourceTypes: [LOG_GROUP],
  check: ({ props, config, report }) => {
    const name = isAuditLogGroup(props, config.auditLogGroupPatterns);
    if (name !== undefined && !isPresent(props, "kmsKeyId")) report(`Audit log group ${name} has no kmsKeyId.`);
  },
});
