import { resourcePolicy } from "../lib/define";
import { coveredActions, findConditions, isAllow, isDeny, parseStatements, statementLabel } from "../lib/iam";
import { isSet } from "../lib/props";

const SHELL_ACTIONS = ["ssm:StartSession", "ssm:SendCommand", "ec2-instance-connect:SendSSHPublicKey"];
const MFA_KEY = "aws:MultiFactorAuthPresent";

/**
 * Runbook: access controls (MFA-only shell). An Allow that covers a shell
 * action (directly or via wildcards such as ssm:*, ssm:Start*, * or a
 * NotAction) must carry Bool {"aws:MultiFactorAuthPresent": "true"}.
 * Common mistakes that fail open are flagged too:
 * - BoolIfExists "true" in an Allow: long-term access keys have no MFA key
 *   at all, so IfExists lets them in;
 * - a Deny using Bool "false": it does not match when the key is absent
 *   (access keys), so it must be BoolIfExists "false";
 * - Null tests on the MFA key: they check presence, not that MFA was used.
 * `mfaEnforcedAtIdentityProvider` (stack config access.mfaEnforcement =
 * identity-provider): federated sessions never carry the key, MFA is
 * enforced at sign-in, so Allows need no MFA condition; the fail-open
 * checks still apply. Never exemptible otherwise.
 */
export const accessMfaForShell = resourcePolicy<{ mfaEnforcedAtIdentityProvider: boolean }>({
  name: "access-mfa-for-shell",
  family: "access",
  description: "IAM policies grant shell access (SSM sessions, commands, EC2 Instance Connect) only with MFA, without fail-open conditions.",
  severity: "critical",
  controls: "mfa",
  runbook: "accessControls",
  remediationSteps:
    'Add "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "true"}} to every Allow granting ssm:StartSession, ssm:SendCommand or ec2-instance-connect:SendSSHPublicKey; write MFA Denies as BoolIfExists "false"; do not test the key with Null.',
  exemptible: false,
  config: {
    schema: {
      mfaEnforcedAtIdentityProvider: { type: "boolean", default: false, description: "True when engineers sign in through an identity provider that enforces MFA (IAM Identity Center / SAML)." },
    },
    defaults: { mfaEnforcedAtIdentityProvider: false },
  },
  resourceTypes: ["aws:iam/policy:Policy", "aws:iam/rolePolicy:RolePolicy", "aws:iam/groupPolicy:GroupPolicy", "aws:iam/userPolicy:UserPolicy"],
  check: ({ props, config, report }) => {
    const doc = props.policy;
    if (!isSet(doc)) return;
    const parsed = parseStatements(doc);
    if (!parsed.ok) {
      report(`The policy document cannot be checked: ${parsed.reason}.`);
      return;
    }
    parsed.value.forEach((s, i) => {
      const label = statementLabel(s, i);
      const actions = coveredActions(s, SHELL_ACTIONS);
      if (!actions.length) return;
      for (const c of findConditions(s, MFA_KEY, "Null")) {
        report(`${label} tests ${MFA_KEY} with ${c.operator}: that checks whether the key exists, not that MFA was used.`);
      }
      if (isDeny(s)) {
        const failOpen = findConditions(s, MFA_KEY, "Bool").filter((c) => !c.ifExists && c.values.some((v) => v.toLowerCase() === "false"));
        if (failOpen.length) report(`${label} denies ${actions.join(", ")} on Bool ${MFA_KEY} "false", which does not match requests without the key (access keys); use BoolIfExists.`);
        return;
      }
      if (!isAllow(s)) return;
      const bools = findConditions(s, MFA_KEY, "Bool");
      const ifExists = bools.filter((c) => c.ifExists && c.values.some((v) => v.toLowerCase() === "true"));
      if (ifExists.length) {
        report(`${label} allows ${actions.join(", ")} with BoolIfExists ${MFA_KEY} "true", which also lets in requests without MFA information (long-term access keys).`);
        return;
      }
      if (config.mfaEnforcedAtIdentityProvider) return;
      const strict = bools.some((c) => !c.ifExists && !c.set && c.values.length > 0 && c.values.every((v) => v.toLowerCase() === "true"));
      if (!strict) report(`${label} allows ${actions.join(", ")} without the condition Bool ${MFA_KEY} "true".`);
    });
  },
});
