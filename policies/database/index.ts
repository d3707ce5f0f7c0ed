import type { PackPolicy } from "../lib/define";

/** Control family: database. */
export const databasePolicies: PackPolicy[] = [];
