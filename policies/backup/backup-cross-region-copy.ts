import { stackPolicy } from "../lib/define";
import { StackGraph } from "../lib/graph";
import { isPresent } from "../lib/presence";
import { BackupModel, label, PLAN, regionKey, ruleLabel, VAULT } from "./model";

/**
 * Runbook: disaster recovery. Every backup rule copies its recovery points
 * to a vault in another region, and each copy has its own expiry (a copy
 * action without lifecycle keeps copies forever).
 *
 * "Another region" is decided by linkage: the copy's destinationVaultArn
 * is resolved to a Vault in the stack (URN link under `rules`, or a known
 * ARN's vault name), and that vault's region — its own v7 `region` input,
 * else its provider's `region` — must differ from the plan's. Two resources
 * on the same provider without a region are in the same region. A known
 * ARN of a vault outside the stack is judged by the region in the ARN.
 */
export const backupCrossRegionCopy = stackPolicy({
  name: "backup-cross-region-copy",
  family: "backup",
  description: "Every backup rule copies recovery points, with an explicit expiry, to a vault in another region.",
  severity: "high",
  controls: "recovery",
  runbook: "disasterRecovery",
  remediationSteps:
    "Add copyActions: [{ destinationVaultArn: drVault.arn, lifecycle: { deleteAfter: <tier days> } }] to each rule, where drVault is an aws.backup.Vault created with the DR-region provider.",
  resourceTypes: [PLAN, VAULT],
  check: ({ resources, report }) => {
    const model = new BackupModel(new StackGraph(resources));
    for (const plan of model.graph.ofType(PLAN)) {
      const planRegion = regionKey(plan);
      model.rules(plan).forEach((rule, i) => {
        const where = `Plan "${label(plan)}" ${ruleLabel(rule, i)}`;
        const copies = model.copies(plan, rule);
        if (copies.length === 0) {
          report(`${where} has no copyActions: recovery points stay in one region.`, plan.urn);
          return;
        }
        let remote = false;
        const problems: string[] = [];
        for (const c of copies) {
          const at = `copy action #${c.copyIndex + 1}`;
          if (!isPresent(c.copy, "destinationVaultArn")) {
            problems.push(`${at} has no destinationVaultArn`);
            continue;
          }
          if (c.copy.lifecycle?.deleteAfter === undefined || c.copy.lifecycle?.deleteAfter === null) {
            problems.push(`${at} has no lifecycle.deleteAfter, so copies are kept forever`);
          }
          if (c.vault) {
            const dest = regionKey(c.vault);
            if (dest.region && planRegion.region && dest.region !== planRegion.region) remote = true;
            else if (dest.key === planRegion.key) problems.push(`${at} copies to vault "${label(c.vault)}" in the same region (${dest.region ?? "the plan's provider region"})`);
            else problems.push(`${at}: the region of vault "${label(c.vault)}" or of the plan is not known; set region on the provider or resource`);
          } else if (c.arnRegion) {
            if (planRegion.region && c.arnRegion !== planRegion.region) remote = true;
            else problems.push(`${at} copies to ${c.arnRegion}, ${planRegion.region ? "the plan's own region" : "but the plan's region is not known"}`);
          } else {
            problems.push(`${at}: the destination is not a vault of this stack (link destinationVaultArn to the DR vault's arn output)`);
          }
        }
        for (const p of problems) report(`${where}: ${p}.`, plan.urn);
        if (!remote && problems.length === 0) report(`${where}: no copy goes to another region.`, plan.urn);
      });
    }
  },
});
