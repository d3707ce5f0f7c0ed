import type { PackPolicy } from "../lib/define";
import { auditBucketObjectLock } from "./audit-bucket-object-lock";
import { auditLogRetention } from "./audit-log-retention";
import { cloudtrailMultiRegion } from "./cloudtrail-multi-region";
import { logGroupEncryption } from "./log-group-encryption";

/** Control family: audit (runbook: Compliance & Auditing). */
export const auditPolicies: PackPolicy[] = [cloudtrailMultiRegion, auditLogRetention, auditBucketObjectLock, logGroupEncryption];
