import type { PackPolicy } from "../lib/define";

/** Control family: audit. */
export const auditPolicies: PackPolicy[] = [];
