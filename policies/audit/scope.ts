/**
 * Which log groups and buckets hold audit or security records. Log groups
 * are recognised by name (globs, `*` spans `/`); buckets by the data-class
 * tag, by name, or (in stack policies) by a CloudTrail trail writing to
 * them.
 */
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph } from "../lib/graph";
import { isUnknownAt, rawValue } from "../lib/presence";
import { tagsOf } from "../lib/props";

export const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
export const TRAIL = "aws:cloudtrail/trail:Trail";
export const BUCKET = "aws:s3/bucket:Bucket";
export const BUCKET_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
export const BUCKET_OBJECT_LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration";

/** Seven years including leap days; CloudWatch Logs accepts 2557 as a retention value. */
export const AUDIT_RETENTION_DAYS = 2557;

export const DEFAULT_AUDIT_LOG_GROUP_PATTERNS = [
  "/aws/cloudtrail*",
  "/duespark/audit*",
  "/aws/ssm/sessions*",
  "/duespark/security*",
  "/aws/rds/*/postgresql",
];

export const DEFAULT_AUDIT_BUCKET_PATTERNS = ["*audit*", "*cloudtrail*", "*session-logs*"];

/** Tag key/value marking audit data (components/shared/tags.ts TAG_KEYS.dataClass). */
export const DATA_CLASS_TAG = "duespark:data-class";
export const AUDIT_DATA_CLASS = "audit";

const cache = new Map<string, RegExp>();
export function globMatch(pattern: string, value: string): boolean {
  let re = cache.get(pattern);
  if (!re) {
    re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    cache.set(pattern, re);
  }
  return re.test(value);
}

/** A known string property, else undefined (unknown values are not read). */
function knownString(props: Record<string, any>, key: string): string | undefined {
  if (isUnknownAt(props, key)) return undefined;
  const v = rawValue(props, key);
  return typeof v === "string" && v ? v : undefined;
}

/**
 * The log group's name (or name prefix) when known. An unknown name is read
 * through the proxy so the check defers instead of guessing.
 */
export function logGroupName(props: Record<string, any>): string | undefined {
  if (isUnknownAt(props, "name")) return props.name;
  return knownString(props, "name") ?? knownString(props, "namePrefix");
}

export function isAuditLogGroup(props: Record<string, any>, patterns: readonly string[]): string | undefined {
  const name = logGroupName(props);
  return name !== undefined && patterns.some((p) => globMatch(p, name)) ? name : undefined;
}

/** Audit bucket by tag or by its (known) name or prefix. */
export function isAuditBucketProps(props: Record<string, any>, logicalName: string, patterns: readonly string[]): boolean {
  if (tagsOf(props)[DATA_CLASS_TAG] === AUDIT_DATA_CLASS) return true;
  const names = [knownString(props, "bucket"), knownString(props, "bucketPrefix"), logicalName].filter((n): n is string => !!n);
  return names.some((n) => patterns.some((p) => globMatch(p, n)));
}

/** Buckets a trail writes to (s3BucketName linked by URN). */
export function trailBuckets(graph: StackGraph): Map<string, PolicyResource[]> {
  const out = new Map<string, PolicyResource[]>();
  for (const trail of graph.ofType(TRAIL)) {
    for (const b of graph.referencedBy(trail, "s3BucketName", [BUCKET])) {
      const list = out.get(b.urn);
      if (list) list.push(trail);
      else out.set(b.urn, [trail]);
    }
  }
  return out;
}

/** Audit buckets of a stack: tagged or named as such, or written by a trail. */
export function auditBuckets(graph: StackGraph, patterns: readonly string[]): PolicyResource[] {
  const byTrail = trailBuckets(graph);
  return graph.ofType(BUCKET).filter((b) => byTrail.has(b.urn) || isAuditBucketProps(b.props, b.name, patterns));
}
