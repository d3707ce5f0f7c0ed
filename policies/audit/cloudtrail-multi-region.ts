import { resourcePolicy } from "../lib/define";
import { isPresent } from "../lib/presence";
import { TRAIL } from "./scope";

/**
 * Runbook: compliance & auditing (PCI DSS 10.2, SOX ITGC). One trail sees
 * every region (an attacker works where nobody looks) and the global
 * services (IAM, STS, CloudFront), with digest files proving the log was
 * not altered, encrypted with a customer-managed key.
 */
export const cloudtrailMultiRegion = resourcePolicy({
  name: "cloudtrail-multi-region",
  family: "audit",
  description: "CloudTrail trails are multi-region, include global service events, validate log files and use a KMS key.",
  severity: "critical",
  controls: "auditLogging",
  runbook: "compliance",
  remediationSteps: "Set isMultiRegionTrail: true, includeGlobalServiceEvents: true, enableLogFileValidation: true and kmsKeyId: <CMK arn> on the aws.cloudtrail.Trail.",
  resourceTypes: [TRAIL],
  check: ({ props, report }) => {
    if (props.isMultiRegionTrail !== true) report("isMultiRegionTrail is not true: activity in other regions is not recorded.");
    if (props.includeGlobalServiceEvents === false) report("includeGlobalServiceEvents is false: IAM and STS activity is not recorded.");
    if (props.enableLogFileValidation !== true) report("enableLogFileValidation is not true: tampering with delivered log files cannot be detected.");
    if (!isPresent(props, "kmsKeyId")) report("kmsKeyId is not set: log files are encrypted only with S3-managed keys.");
  },
});
