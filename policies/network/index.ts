import type { PackPolicy } from "../lib/define";

/** Control family: network. */
export const networkPolicies: PackPolicy[] = [];
