import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { AUDIT_RETENTION_DAYS, BUCKET, BUCKET_OBJECT_LOCK, TRAIL, trailBuckets } from "./scope";

interface Config {
  minRetentionDays: number;
}

/**
 * Runbook: compliance & auditing (SOX: audit evidence cannot be altered).
 * Object Lock default retention is COMPLIANCE mode (nobody, not even root,
 * shortens it; GOVERNANCE can be bypassed) for at least 7 years. Every
 * bucket a CloudTrail trail writes to has Object Lock enabled at creation
 * (objectLockEnabled) and a lock configuration linked to it.
 */
export const auditBucketObjectLock = stackPolicy<Config>({
  name: "audit-bucket-object-lock",
  family: "audit",
  description: "Object Lock on audit buckets is COMPLIANCE mode for >= 7 years, and every CloudTrail bucket has it.",
  severity: "critical",
  controls: "auditLogging",
  runbook: "compliance",
  remediationSteps:
    "Create the trail bucket with objectLockEnabled: true and add an aws.s3.BucketObjectLockConfiguration (bucket: bucket.bucket) with rule.defaultRetention { mode: \"COMPLIANCE\", days: 2557 }.",
  config: {
    schema: { minRetentionDays: { type: "integer", minimum: 1, description: "Minimum default retention in days (runbook: 2557; 7 years also accepted)." } },
    defaults: { minRetentionDays: AUDIT_RETENTION_DAYS },
  },
  resourceTypes: [BUCKET_OBJECT_LOCK, BUCKET, TRAIL],
  check: ({ resources, config, report }) => {
    const graph = new StackGraph(resources);
    for (const lock of graph.ofType(BUCKET_OBJECT_LOCK)) checkLock(lock, config.minRetentionDays, report);
    for (const [urn, trails] of trailBuckets(graph)) {
      const bucket = graph.byUrn(urn)!;
      const trailNames = trails.map((t) => `"${t.name}"`).join(", ");
      if (bucket.props.objectLockEnabled !== true) {
        report(`Bucket "${bucket.name}" receives CloudTrail logs (trail ${trailNames}) but objectLockEnabled is not true (it can only be set when the bucket is created).`, bucket.urn);
      }
      if (graph.referencing(bucket, "bucket", [BUCKET_OBJECT_LOCK]).length === 0) {
        report(`Bucket "${bucket.name}" receives CloudTrail logs (trail ${trailNames}) but no BucketObjectLockConfiguration is linked to it.`, bucket.urn);
      }
    }
  },
});

function checkLock(lock: PolicyResource, minDays: number, report: (m: string, urn?: string) => void): void {
  const retention = lock.props.rule?.defaultRetention;
  if (!retention) {
    report(`Object lock configuration "${lock.name}" has no default retention: objects are not locked unless each upload asks for it.`, lock.urn);
    return;
  }
  if (retention.mode !== "COMPLIANCE") {
    report(`Object lock configuration "${lock.name}" uses mode ${JSON.stringify(retention.mode ?? null)}; audit records need COMPLIANCE (GOVERNANCE can be bypassed).`, lock.urn);
  }
  const days = typeof retention.days === "number" ? retention.days : undefined;
  const years = typeof retention.years === "number" ? retention.years : undefined;
  const ok = (days !== undefined && days >= minDays) || (years !== undefined && years * 365.25 >= minDays - 0.5);
  if (!ok) {
    const got = days !== undefined ? `${days} days` : years !== undefined ? `${years} years` : "no period";
    report(`Object lock configuration "${lock.name}" retains objects for ${got}; audit records need at least ${minDays} days (7 years).`, lock.urn);
  }
}
