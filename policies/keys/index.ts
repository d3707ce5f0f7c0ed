import type { PackPolicy } from "../lib/define";
import { kmsKeyRotation } from "./kms-key-rotation";

/** Control family: encryption keys (runbook: Compliance, encryption at rest). */
export const keysPolicies: PackPolicy[] = [kmsKeyRotation];
