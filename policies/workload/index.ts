import type { PackPolicy } from "../lib/define";

/** Control family: workload. */
export const workloadPolicies: PackPolicy[] = [];
