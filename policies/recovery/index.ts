import type { PackPolicy } from "../lib/define";

/** Control family: recovery. */
export const recoveryPolicies: PackPolicy[] = [];
