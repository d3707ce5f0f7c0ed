import { resourcePolicy } from "../lib/define";
import { isPresent, isUnknownAt, rawValue } from "../lib/presence";
import { SELECTION } from "./model";

/**
 * Runbook: backup strategy. In a backup selection, `selectionTags` are
 * ORed with `resources`: a wildcard resource plus a tag selects every
 * supported resource of the account, not the tagged ones. Tag filters
 * belong in `conditions`, which AND with `resources`.
 *
 * Resource entries that are unknown in a preview are outputs (ARNs of
 * resources), never wildcard literals, so they are not wildcards.
 */
export const backupSelectionNoWildcardOr = resourcePolicy({
  name: "backup-selection-no-wildcard-or",
  family: "backup",
  description: "Backup selections never combine wildcard resources with selectionTags (an OR that selects everything).",
  severity: "high",
  controls: "backup",
  runbook: "backupStrategy",
  remediationSteps: "Move the tag filter from selectionTags to conditions.stringEquals (key aws:ResourceTag/<tag>), or list explicit resource ARNs instead of a wildcard.",
  resourceTypes: [SELECTION],
  check: ({ props, report }) => {
    if (!isPresent(props, "selectionTags")) return;
    const raw = rawValue(props, "resources");
    if (raw === undefined || raw === null) return;
    const resources: unknown[] = isUnknownAt(props, "resources") ? props.resources : (raw as unknown[]);
    const wildcards = resources.filter((r) => typeof r === "string" && !isUnknownValueString(r) && r.includes("*"));
    if (wildcards.length) {
      report(`resources ${JSON.stringify(wildcards)} combined with selectionTags selects every resource matching either (OR); use conditions for tag filters.`);
    }
  },
});

function isUnknownValueString(v: string): boolean {
  return isUnknownAt({ v }, "v");
}
