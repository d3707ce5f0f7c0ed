import { resourcePolicy } from "../lib/define";
import { asArray, isSet } from "../lib/props";
import { isAwsManagedKey, SECRET_TYPE } from "../lib/secrets";

/**
 * Runbook: secret management. Secrets and their DR replicas are encrypted
 * with a customer-managed key. The AWS-managed key (alias/aws/secretsmanager,
 * used when kmsKeyId is absent) has a key policy nobody can restrict, so
 * any principal of the account allowed GetSecretValue can decrypt.
 * Never exemptible: there is no safe reason to store a credential under a
 * key whose use cannot be limited or audited per key. An unknown kmsKeyId
 * (a key created in the same preview) defers the check.
 */
export const secretsCmkEncryption = resourcePolicy({
  name: "secrets-cmk-encryption",
  family: "secrets",
  description: "Secrets Manager secrets and their replicas are encrypted with a customer-managed KMS key.",
  severity: "high",
  controls: "secretEncryption",
  runbook: "secretManagement",
  remediationSteps: "Set kmsKeyId on the aws.secretsmanager.Secret (and on every replica) to the stack's customer-managed key, never alias/aws/secretsmanager.",
  exemptible: false,
  resourceTypes: [SECRET_TYPE],
  check: ({ props, report }) => {
    const key = props.kmsKeyId;
    if (!isSet(key)) report("kmsKeyId is not set: the secret would be encrypted with the AWS-managed key alias/aws/secretsmanager.");
    else if (isAwsManagedKey(String(key), "secretsmanager")) report("kmsKeyId names the AWS-managed key alias/aws/secretsmanager; use a customer-managed key.");
    asArray<Record<string, any>>(props.replicas).forEach((replica, i) => {
      const rk = replica.kmsKeyId;
      const where = `replica ${isSet(replica.region) ? String(replica.region) : `#${i + 1}`}`;
      if (!isSet(rk)) report(`${where} has no kmsKeyId: it would use the AWS-managed key in that region.`);
      else if (isAwsManagedKey(String(rk), "secretsmanager")) report(`${where} uses the AWS-managed key alias/aws/secretsmanager; use a customer-managed key.`);
    });
  },
});
