import { resourcePolicy } from "../lib/define";

/**
 * Runbook: encryption at rest. A symmetric customer-managed key must rotate
 * its key material; asymmetric and HMAC keys cannot rotate and are skipped.
 */
export const kmsKeyRotation = resourcePolicy({
  name: "kms-key-rotation",
  family: "keys",
  description: "Symmetric customer-managed KMS keys rotate their key material automatically.",
  severity: "high",
  controls: "keyManagement",
  runbook: "encryption",
  remediationSteps: "Set enableKeyRotation: true on the aws.kms.Key (rotationPeriodInDays 90..2560, default 365).",
  resourceTypes: ["aws:kms/key:Key"],
  check: ({ props, report }) => {
    const spec = props.customerMasterKeySpec ?? props.keySpec ?? "SYMMETRIC_DEFAULT";
    if (spec !== "SYMMETRIC_DEFAULT") return;
    if (props.enableKeyRotation !== true) {
      report("Key rotation is not enabled (enableKeyRotation must be true for a symmetric key).");
    }
  },
});
