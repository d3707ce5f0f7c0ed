import type { PackPolicy } from "../lib/define";
import { dataSafetyProtect } from "./data-safety-protect";
import { recoveryRpo } from "./recovery-rpo";

/** Control family: recovery (runbook: Disaster Recovery, RTO/RPO). */
export const recoveryPolicies: PackPolicy[] = [dataSafetyProtect, recoveryRpo];
