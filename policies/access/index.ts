import type { PackPolicy } from "../lib/define";

/** Control family: access. */
export const accessPolicies: PackPolicy[] = [];
