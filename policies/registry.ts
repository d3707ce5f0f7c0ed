/**
 * Every policy of the pack, by control family. Imported by index.ts (the
 * pack entry) and by tests/benchmarks that need the list without serving it.
 */
import { accessPolicies } from "./access";
import { alertingPolicies } from "./alerting";
import { auditPolicies } from "./audit";
import { backupPolicies } from "./backup";
import { databasePolicies } from "./database";
import { keysPolicies } from "./keys";
import type { PackPolicy } from "./lib/define";
import { networkPolicies } from "./network";
import { recoveryPolicies } from "./recovery";
import { secretsPolicies } from "./secrets";
import { workloadPolicies } from "./workload";

export const PACK_NAME = "duespark-runbook";

export const PACK_POLICIES: PackPolicy[] = [
  ...keysPolicies,
  ...secretsPolicies,
  ...databasePolicies,
  ...accessPolicies,
  ...networkPolicies,
  ...backupPolicies,
  ...alertingPolicies,
  ...auditPolicies,
  ...workloadPolicies,
  ...recoveryPolicies,
];
