import { resourcePolicy } from "../lib/define";
import { isSet } from "../lib/props";
import { isReadReplica, RDS } from "../lib/rds";
import { isAwsManagedKey } from "../lib/secrets";

/**
 * Runbook: encryption at rest. Database storage is encrypted with the
 * stack's customer-managed key (alias/aws/rds cannot be shared with the DR
 * account/region copy jobs and its policy cannot be restricted). A read
 * replica inherits encryption from its source; if it names a key (needed
 * cross-region) that key must be customer-managed too.
 */
export const rdsEncryptedCmk = resourcePolicy({
  name: "rds-encrypted-cmk",
  family: "database",
  description: "RDS instances and clusters encrypt storage with a customer-managed KMS key.",
  severity: "high",
  controls: "dataAtRest",
  runbook: "encryption",
  remediationSteps: "Set storageEncrypted: true and kmsKeyId to the stack's customer-managed key ARN (not alias/aws/rds). Encryption cannot be added in place: restore from an encrypted snapshot copy.",
  resourceTypes: [RDS.instance, RDS.cluster],
  check: ({ props, report }) => {
    const replica = isReadReplica(props);
    if (!replica && props.storageEncrypted !== true) report("storageEncrypted is not true: database storage would be unencrypted.");
    const key = props.kmsKeyId;
    if (!isSet(key)) {
      if (!replica) report("kmsKeyId is not set: storage would use the AWS-managed key alias/aws/rds.");
    } else if (isAwsManagedKey(String(key), "rds")) {
      report("kmsKeyId names the AWS-managed key alias/aws/rds; use a customer-managed key.");
    }
  },
});
