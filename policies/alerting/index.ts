import type { PackPolicy } from "../lib/define";

/** Control family: alerting. */
export const alertingPolicies: PackPolicy[] = [];
