import type { PackPolicy } from "../lib/define";
import { kmsDeletionWindow } from "./kms-deletion-window";
import { kmsKeyPolicyNoWildcard } from "./kms-key-policy-no-wildcard";
import { kmsKeyRotation } from "./kms-key-rotation";

/** Control family: encryption keys (runbook: Compliance, encryption at rest). */
export const keysPolicies: PackPolicy[] = [kmsKeyRotation, kmsDeletionWindow, kmsKeyPolicyNoWildcard];
