import type { PackPolicy } from "../lib/define";

/** Control family: secrets. */
export const secretsPolicies: PackPolicy[] = [];
