import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { BackupModel, label, PLAN, ruleLabel, VAULT, VAULT_LOCK } from "./model";

interface Config {
  /** Cooling-off days before a compliance-mode lock becomes immutable (AWS minimum: 3). */
  minChangeableForDays: number;
}

interface Retention {
  days: number | undefined;
  where: string;
}

/**
 * Runbook: retention policy and SOX immutability. Every vault carries a
 * Vault Lock in compliance mode (changeableForDays set; without it the lock
 * is in governance mode and privileged users can remove it). The lock's
 * retention window must admit every recovery point written to the vault —
 * rule lifecycles of plans targeting it and copy lifecycles landing in it —
 * or AWS Backup fails those jobs.
 */
export const backupVaultLockCompliance = stackPolicy<Config>({
  name: "backup-vault-lock-compliance",
  family: "backup",
  description: "Every backup vault has a compliance-mode Vault Lock whose retention window admits all rules that write to it.",
  severity: "critical",
  controls: "retention",
  runbook: "retentionPolicy",
  remediationSteps:
    "Add an aws.backup.VaultLockConfiguration with backupVaultName: vault.name, changeableForDays >= 3 (compliance mode), minRetentionDays <= the shortest rule retention and maxRetentionDays >= the longest.",
  config: {
    schema: { minChangeableForDays: { type: "integer", minimum: 3, description: "Minimum changeableForDays (AWS compliance mode: 3)." } },
    defaults: { minChangeableForDays: 3 },
  },
  resourceTypes: [VAULT, VAULT_LOCK, PLAN],
  check: ({ resources, config, report }) => {
    const model = new BackupModel(new StackGraph(resources));
    for (const vault of model.graph.ofType(VAULT)) {
      const locks = model.locksOf(vault);
      if (locks.length === 0) {
        report(`Vault "${label(vault)}" has no VaultLockConfiguration: recovery points can be deleted before their retention ends.`, vault.urn);
        continue;
      }
      const retentions = writesInto(model, vault);
      for (const lock of locks) checkLock(vault, lock, retentions, config, report);
    }
  },
});

/** Retention of every recovery point written into the vault (rule targets and copy destinations). */
function writesInto(model: BackupModel, vault: PolicyResource): Retention[] {
  const out: Retention[] = [];
  for (const plan of model.plansLinkedTo(vault)) {
    model.rules(plan).forEach((rule, i) => {
      if (model.ruleTarget(plan, rule) === vault) {
        out.push({ days: rule.lifecycle?.deleteAfter ?? undefined, where: `${ruleLabel(rule, i)} of plan "${label(plan)}"` });
      }
      for (const c of model.copies(plan, rule)) {
        if (c.vault === vault) {
          out.push({ days: c.copy.lifecycle?.deleteAfter ?? undefined, where: `copy action #${c.copyIndex + 1} of ${ruleLabel(rule, i)} of plan "${label(plan)}"` });
        }
      }
    });
  }
  return out;
}

function checkLock(vault: PolicyResource, lock: PolicyResource, retentions: Retention[], config: Config, report: (m: string, urn?: string) => void): void {
  const name = label(vault);
  const p = lock.props;
  const changeable = p.changeableForDays;
  if (changeable === undefined || changeable === null) {
    report(`Vault "${name}": the lock has no changeableForDays, so it is in governance mode (removable by privileged users); set changeableForDays >= ${config.minChangeableForDays} for compliance mode.`, lock.urn);
  } else if (typeof changeable === "number" && changeable < config.minChangeableForDays) {
    report(`Vault "${name}": changeableForDays ${changeable} is below ${config.minChangeableForDays}.`, lock.urn);
  }
  const min = p.minRetentionDays;
  const max = p.maxRetentionDays;
  if (typeof min !== "number") {
    report(`Vault "${name}": the lock sets no minRetentionDays, so recovery points may be deleted at any time.`, lock.urn);
  }
  for (const r of retentions) {
    if (r.days === undefined) {
      if (typeof max === "number") report(`Vault "${name}": ${r.where} keeps recovery points forever (no lifecycle.deleteAfter) but the lock allows at most ${max} days.`, lock.urn);
      continue;
    }
    if (typeof min === "number" && r.days < min) {
      report(`Vault "${name}": lock minRetentionDays ${min} is longer than ${r.where} (deleteAfter ${r.days} days); AWS Backup rejects those recovery points.`, lock.urn);
    }
    if (typeof max === "number" && r.days > max) {
      report(`Vault "${name}": lock maxRetentionDays ${max} is shorter than ${r.where} (deleteAfter ${r.days} days).`, lock.urn);
    }
  }
}
