import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { isPresent } from "../lib/presence";
import { BackupModel, label, PLAN, RDS_INSTANCE, SELECTION, VAULT, VAULT_LOCK } from "./model";

/**
 * Runbook: backup strategy. Every primary database is selected by an AWS
 * Backup selection (explicit ARN link, or the tag the selection's
 * condition / selection tag names, counting provider default tags), and
 * the chain behind it is complete: selection -> plan (planId) -> a rule's
 * target vault -> that vault's lock. Read replicas (replicateSourceDb) are
 * restored from their source and are not selected themselves.
 */
export const backupProtectedDatabase = stackPolicy({
  name: "backup-protected-database",
  family: "backup",
  description: "Every RDS instance is selected by an AWS Backup selection whose plan writes to a locked vault.",
  severity: "critical",
  controls: "backup",
  runbook: "backupStrategy",
  remediationSteps:
    "Tag the instance with the backup tag (duespark:backup-plan=runbook) that the aws.backup.Selection conditions select, and make sure the selection's planId is the plan whose rules target the locked vault.",
  resourceTypes: [RDS_INSTANCE, SELECTION, PLAN, VAULT, VAULT_LOCK],
  check: ({ resources, report }) => {
    const model = new BackupModel(new StackGraph(resources));
    for (const db of model.graph.ofType(RDS_INSTANCE)) {
      if (isPresent(db.props, "replicateSourceDb")) continue;
      const name = label(db);
      const selections = model.selectionsCovering(db);
      if (selections.length === 0) {
        report(`RDS instance "${name}" is not selected by any backup selection (no matching resource ARN, condition tag or selection tag).`, db.urn);
        continue;
      }
      const gaps = selections.map((s) => chainGap(model, s));
      if (gaps.every((g) => g !== undefined)) {
        report(`RDS instance "${name}": the backup chain is incomplete: ${[...new Set(gaps)].join("; ")}.`, db.urn);
      }
    }
  },
});

/** What is missing between a selection and a locked vault, or undefined when the chain is complete. */
function chainGap(model: BackupModel, selection: PolicyResource): string | undefined {
  const plan = model.planOfSelection(selection);
  if (!plan) return `selection "${label(selection)}" is not linked to a backup plan in this stack (planId)`;
  const rules = model.rules(plan);
  if (rules.length === 0) return `plan "${label(plan)}" has no rules`;
  const vaults = [...new Set(rules.map((r) => model.ruleTarget(plan, r)).filter((v): v is PolicyResource => v !== undefined))];
  if (vaults.length === 0) return `the rules of plan "${label(plan)}" target no vault of this stack`;
  const unlocked = vaults.filter((v) => model.locksOf(v).length === 0);
  if (unlocked.length === vaults.length) return `vault "${label(unlocked[0])}" of plan "${label(plan)}" has no vault lock`;
  return undefined;
}
