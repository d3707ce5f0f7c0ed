import type { PackPolicy } from "../lib/define";

/** Control family: backup. */
export const backupPolicies: PackPolicy[] = [];
