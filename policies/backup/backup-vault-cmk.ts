import { resourcePolicy } from "../lib/define";
import { isUnknownAt, rawValue } from "../lib/presence";
import { VAULT } from "./model";

/**
 * Runbook: encryption at rest. Without kmsKeyArn a vault uses the
 * AWS-managed alias/aws/backup key, whose key policy the account cannot
 * restrict or audit and which cannot be shared for cross-account copies.
 * A computed (unknown) key ARN comes from a key resource or lookup, never
 * the literal managed alias, so it counts as a customer-managed key.
 */
export const backupVaultCmk = resourcePolicy({
  name: "backup-vault-cmk",
  family: "backup",
  description: "Backup vaults encrypt recovery points with a customer-managed KMS key, not alias/aws/backup.",
  severity: "high",
  controls: "dataAtRest",
  runbook: "backupStrategy",
  remediationSteps: "Set kmsKeyArn on the aws.backup.Vault to the ARN of a customer-managed aws.kms.Key (in the vault's region).",
  resourceTypes: [VAULT],
  check: ({ props, report }) => {
    const raw = rawValue(props, "kmsKeyArn");
    if (raw === undefined || raw === null || raw === "") {
      report("kmsKeyArn is not set: the vault falls back to the AWS-managed alias/aws/backup key.");
      return;
    }
    if (isUnknownAt(props, "kmsKeyArn")) return;
    if (typeof raw === "string" && /(^|:)alias\/aws\/backup$/.test(raw)) {
      report(`kmsKeyArn is the AWS-managed key (${raw}); use a customer-managed key.`);
    }
  },
});
