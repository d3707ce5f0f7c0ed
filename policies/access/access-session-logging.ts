import { parse as parseYaml } from "yaml";
import { resourcePolicy } from "../lib/define";
import { getCaseInsensitive, isObject, isSet, isTrue, parseJsonOrObject } from "../lib/props";

/**
 * Runbook: access controls / security monitoring. The Session Manager
 * preferences document (documentType "Session") logs every session to an
 * encrypted destination: S3 with s3EncryptionEnabled and a bucket, or
 * CloudWatch Logs with cloudWatchEncryptionEnabled and a log group; and
 * session data is encrypted with a KMS key (kmsKeyId). Content is JSON or
 * YAML (documentFormat).
 */
export const accessSessionLogging = resourcePolicy({
  name: "access-session-logging",
  family: "access",
  description: "SSM Session Manager preferences log sessions to an encrypted S3 bucket or CloudWatch log group and encrypt session data with KMS.",
  severity: "high",
  controls: "auditLogging",
  runbook: "accessControls",
  remediationSteps:
    "In the Session document inputs set s3BucketName + s3EncryptionEnabled: true and/or cloudWatchLogGroupName + cloudWatchEncryptionEnabled: true, and kmsKeyId to the session key.",
  resourceTypes: ["aws:ssm/document:Document"],
  check: ({ props, report }) => {
    if (props.documentType !== "Session") return;
    const content = props.content;
    let doc: unknown;
    if (String(props.documentFormat ?? "JSON").toUpperCase() === "YAML" && typeof content === "string") {
      try {
        doc = parseYaml(content);
      } catch (e) {
        report(`Session document content is not valid YAML (${(e as Error).message.split("\n")[0]}).`);
        return;
      }
    } else {
      const parsed = parseJsonOrObject(content);
      if (!parsed.ok) {
        report(`Session document content is ${parsed.reason}.`);
        return;
      }
      doc = parsed.value;
    }
    const inputs = getCaseInsensitive(doc, "inputs");
    if (!isObject(inputs)) {
      report("Session document has no inputs: sessions are neither logged nor encrypted.");
      return;
    }
    const s3 = isSet(inputs.s3BucketName) && isTrue(inputs.s3EncryptionEnabled);
    const cw = isSet(inputs.cloudWatchLogGroupName) && isTrue(inputs.cloudWatchEncryptionEnabled);
    if (!s3 && !cw) {
      report("Session document logs to no encrypted destination: set s3BucketName with s3EncryptionEnabled true or cloudWatchLogGroupName with cloudWatchEncryptionEnabled true.");
    }
    if (!isSet(inputs.kmsKeyId)) report("Session document has no kmsKeyId: session data is not encrypted with a customer-managed key.");
  },
});
