import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { isUnknownAt, rawValue } from "../lib/presence";
import {
  AUDIT_RETENTION_DAYS, auditBuckets, BUCKET, BUCKET_LIFECYCLE, DEFAULT_AUDIT_BUCKET_PATTERNS, DEFAULT_AUDIT_LOG_GROUP_PATTERNS, globMatch, isAuditLogGroup, LOG_GROUP, TRAIL,
} from "./scope";

interface Config {
  minRetentionDays: number;
  auditLogGroupPatterns: string[];
  auditBucketPatterns: string[];
}

/**
 * Runbook: compliance & auditing — audit logs are kept 7 years (2557
 * days). Audit/security log groups either never expire (retention 0 or
 * unset) or keep at least that long; lifecycle rules of audit buckets
 * (tagged duespark:data-class=audit, named like one, or written by a trail)
 * expire nothing earlier. A date-based expiration cannot guarantee the
 * window and is rejected.
 */
export const auditLogRetention = stackPolicy<Config>({
  name: "audit-log-retention",
  family: "audit",
  description: "Audit log groups and audit buckets keep records at least 7 years (2557 days).",
  severity: "critical",
  controls: "retention",
  runbook: "compliance",
  remediationSteps:
    "Set retentionInDays to 2557 (or 0 = never expire) on audit log groups; in audit buckets' aws.s3.BucketLifecycleConfiguration use expiration.days >= 2557 (transitions to archive classes are fine).",
  config: {
    schema: {
      minRetentionDays: { type: "integer", minimum: 1, description: "Minimum retention of audit records in days (runbook: 2557)." },
      auditLogGroupPatterns: { type: "array", items: { type: "string", minLength: 1 }, description: "Globs (* spans /) naming audit/security log groups." },
      auditBucketPatterns: { type: "array", items: { type: "string", minLength: 1 }, description: "Globs naming audit buckets (besides the data-class tag and trail buckets)." },
    },
    defaults: { minRetentionDays: AUDIT_RETENTION_DAYS, auditLogGroupPatterns: DEFAULT_AUDIT_LOG_GROUP_PATTERNS, auditBucketPatterns: DEFAULT_AUDIT_BUCKET_PATTERNS },
  },
  resourceTypes: [LOG_GROUP, BUCKET, BUCKET_LIFECYCLE, TRAIL],
  check: ({ resources, config, report }) => {
    const graph = new StackGraph(resources);
    const min = config.minRetentionDays;
    for (const lg of graph.ofType(LOG_GROUP)) {
      const name = isAuditLogGroup(lg.props, config.auditLogGroupPatterns);
      if (name === undefined) continue;
      const days = lg.props.retentionInDays;
      if (typeof days === "number" && days !== 0 && days < min) {
        report(`Audit log group ${name} keeps events ${days} days; audit records are kept at least ${min} days (or set 0 to never expire).`, lg.urn);
      }
    }
    const checked = new Set<string>();
    for (const bucket of auditBuckets(graph, config.auditBucketPatterns)) {
      const bucketName = String(rawValue(bucket.props, "bucket") ?? bucket.name);
      for (const lc of graph.referencing(bucket, "bucket", [BUCKET_LIFECYCLE])) {
        checked.add(lc.urn);
        checkLifecycle(lc, bucketName, min, report);
      }
      checkInlineRules(bucket, bucketName, min, report);
    }
    // Lifecycle configurations naming an audit bucket that is managed elsewhere.
    for (const lc of graph.ofType(BUCKET_LIFECYCLE)) {
      if (checked.has(lc.urn) || isUnknownAt(lc.props, "bucket")) continue;
      const name = rawValue(lc.props, "bucket");
      if (typeof name === "string" && config.auditBucketPatterns.some((p) => globMatch(p, name))) checkLifecycle(lc, name, min, report);
    }
  },
});

function checkLifecycle(lc: PolicyResource, bucket: string, min: number, report: (m: string, urn?: string) => void): void {
  const rules: any[] = lc.props.rules ?? [];
  rules.forEach((rule, i) => {
    if (String(rule.status ?? "Enabled").toLowerCase() === "disabled") return;
    const id = rule.id ?? `#${i + 1}`;
    const exp = rule.expiration;
    if (exp?.date) report(`Audit bucket ${bucket}: lifecycle rule ${id} expires objects on a fixed date (${exp.date}); use expiration.days >= ${min}.`, lc.urn);
    if (typeof exp?.days === "number" && exp.days < min) report(`Audit bucket ${bucket}: lifecycle rule ${id} deletes objects after ${exp.days} days; audit records are kept at least ${min} days.`, lc.urn);
    const nc = rule.noncurrentVersionExpiration?.noncurrentDays;
    if (typeof nc === "number" && nc < min) report(`Audit bucket ${bucket}: lifecycle rule ${id} deletes noncurrent versions after ${nc} days (minimum ${min}).`, lc.urn);
  });
}

/** Inline lifecycleRules of the bucket resource (older style, still accepted). */
function checkInlineRules(bucket: PolicyResource, name: string, min: number, report: (m: string, urn?: string) => void): void {
  const rules: any[] = bucket.props.lifecycleRules ?? [];
  rules.forEach((rule, i) => {
    if (rule.enabled === false) return;
    const days = rule.expiration?.days;
    if (typeof days === "number" && days < min) report(`Audit bucket ${name}: lifecycle rule ${rule.id ?? `#${i + 1}`} deletes objects after ${days} days; audit records are kept at least ${min} days.`, bucket.urn);
  });
}
