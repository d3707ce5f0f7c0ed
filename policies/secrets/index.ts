import type { PackPolicy } from "../lib/define";
import { secretsCmkEncryption } from "./secrets-cmk-encryption";
import { secretsNoPlaintextEnv } from "./secrets-no-plaintext-env";
import { secretsReplicated } from "./secrets-replicated";
import { secretsRotationConfigured } from "./secrets-rotation-configured";
import { secretsRotationSchedule } from "./secrets-rotation-schedule";

/** Control family: secrets (runbook: Secret Management, Secret Rotation Schedule). */
export const secretsPolicies: PackPolicy[] = [
  secretsCmkEncryption,
  secretsRotationConfigured,
  secretsRotationSchedule,
  secretsReplicated,
  secretsNoPlaintextEnv,
];
