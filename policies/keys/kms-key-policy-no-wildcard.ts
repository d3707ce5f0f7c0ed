import { resourcePolicy } from "../lib/define";
import { conditionEntries, coversService, hasPublicPrincipal, isAllow, parseStatements, statementLabel } from "../lib/iam";
import { isSet } from "../lib/props";

/**
 * Runbook: encryption at rest. A key policy statement that allows KMS
 * actions to every principal ("*" or {AWS: "*"}) hands the key to any AWS
 * account unless a condition narrows the caller (account, organisation,
 * calling service, source). Absent policy = the AWS default key policy
 * (account root only), which is compliant.
 */
export const kmsKeyPolicyNoWildcard = resourcePolicy<{ restrictingConditionKeys: string[] }>({
  name: "kms-key-policy-no-wildcard",
  family: "keys",
  description: "KMS key policies never allow key use to every principal without a condition that restricts the caller.",
  severity: "critical",
  controls: "keyManagement",
  runbook: "encryption",
  remediationSteps:
    "Name the principals (account root, roles) in the key policy, or add a condition on the caller such as aws:PrincipalAccount, aws:PrincipalOrgID, kms:CallerAccount or kms:ViaService.",
  config: {
    schema: {
      restrictingConditionKeys: {
        type: "array",
        items: { type: "string", minLength: 1 },
        description: "Condition keys that narrow a wildcard principal to trusted callers.",
      },
    },
    defaults: {
      restrictingConditionKeys: [
        "aws:PrincipalAccount", "aws:PrincipalOrgID", "aws:PrincipalArn", "aws:SourceAccount", "aws:SourceArn",
        "aws:SourceOrgID", "aws:SourceVpce", "aws:SourceVpc", "kms:CallerAccount", "kms:ViaService",
      ],
    },
  },
  resourceTypes: ["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy"],
  check: ({ props, config, report }) => {
    const policy = props.policy;
    if (!isSet(policy)) return;
    const parsed = parseStatements(policy);
    if (!parsed.ok) {
      report(`The key policy cannot be checked: ${parsed.reason}.`);
      return;
    }
    const restricting = new Set(config.restrictingConditionKeys.map((k) => k.toLowerCase()));
    parsed.value.forEach((s, i) => {
      if (!isAllow(s) || !hasPublicPrincipal(s) || !coversService(s, "kms")) return;
      if (conditionEntries(s).some((c) => restricting.has(c.key.toLowerCase()))) return;
      report(`Key policy ${statementLabel(s, i)} allows KMS actions to every principal ("*") without a condition restricting the caller.`);
    });
  },
});
