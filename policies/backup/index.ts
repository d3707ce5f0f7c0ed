import type { PackPolicy } from "../lib/define";
import { backupColdStorageWindow } from "./backup-cold-storage-window";
import { backupCrossRegionCopy } from "./backup-cross-region-copy";
import { backupPlanTiers } from "./backup-plan-tiers";
import { backupProtectedDatabase } from "./backup-protected-database";
import { backupRestoreTesting } from "./backup-restore-testing";
import { backupSelectionNoWildcardOr } from "./backup-selection-no-wildcard-or";
import { backupVaultCmk } from "./backup-vault-cmk";
import { backupVaultLockCompliance } from "./backup-vault-lock-compliance";

/** Control family: backup (runbook: Backup Strategy, Retention Policy, Backup Verification). */
export const backupPolicies: PackPolicy[] = [
  backupVaultCmk,
  backupVaultLockCompliance,
  backupPlanTiers,
  backupColdStorageWindow,
  backupCrossRegionCopy,
  backupSelectionNoWildcardOr,
  backupRestoreTesting,
  backupProtectedDatabase,
];
