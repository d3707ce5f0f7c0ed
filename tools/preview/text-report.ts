/**
 * The readable preview printed to the terminal: the resource tree grouped
 * by component, counts per type, the policy verdicts, policies the config
 * weakened, exceptions in force and the RPO report. Secret values never reach it (messages are scrubbed
 * upstream; inputs are not printed).
 */
import type { Diagnostic } from "./analyzer";
import type { CapturedResource } from "./engine";
import type { PreviewResult } from "./run-preview";

export interface Summary {
  resources: number;
  policies: number;
  mandatory: number;
  advisory: number;
  deferred: number;
  exempted: number;
  notApplicable: number;
}

/** A diagnostic the SDK emits when a policy had to wait for an unknown value. */
export const isDeferred = (d: Diagnostic) => d.enforcementLevel === "advisory" && /^can't run policy '.+' during preview/.test(d.message);
export const isExempted = (d: Diagnostic) => d.enforcementLevel === "advisory" && /\[exempted by exception "/.test(d.message);
export const isRpoReport = (d: Diagnostic) => /(^|\n)RPO report:/.test(d.message);

export function summarize(result: PreviewResult): Summary {
  const ds = result.diagnostics;
  return {
    resources: result.resources.length,
    policies: result.pack.policies.length,
    mandatory: ds.filter((d) => d.enforcementLevel === "mandatory").length,
    advisory: ds.filter((d) => d.enforcementLevel === "advisory" && !isDeferred(d) && !isRpoReport(d)).length,
    deferred: ds.filter(isDeferred).length,
    exempted: ds.filter(isExempted).length,
    notApplicable: result.verdicts.reduce((n, v) => n + (v?.notApplicable.length ?? 0), 0),
  };
}

/** Strips the policy description the SDK prepends, keeping the specific message. */
export function specificMessage(d: Diagnostic): string {
  const prefix = `${d.description}\n`;
  return d.message.startsWith(prefix) ? d.message.slice(prefix.length) : d.message;
}

function tree(resources: CapturedResource[]): string[] {
  const children = new Map<string | undefined, CapturedResource[]>();
  const urns = new Set(resources.map((r) => r.urn));
  for (const r of resources) {
    const parent = r.parent && urns.has(r.parent) ? r.parent : undefined;
    const list = children.get(parent) ?? [];
    list.push(r);
    children.set(parent, list);
  }
  const lines: string[] = [];
  const walk = (parent: string | undefined, indent: string) => {
    const list = children.get(parent) ?? [];
    list.forEach((r, i) => {
      const last = i === list.length - 1;
      const flags = [r.protect ? "protected" : "", r.custom ? "" : "component"].filter(Boolean).join(", ");
      lines.push(`${indent}${last ? "└─ " : "├─ "}${r.type}  ${r.name}${flags ? `  (${flags})` : ""}`);
      walk(r.urn, indent + (last ? "   " : "│  "));
    });
  };
  walk(undefined, "");
  return lines;
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd());
}

/** type::name of a URN (the qualified type's last part), or "(stack)" for stack-level diagnostics. */
export const shortUrn = (urn: string) => {
  const parts = urn.split("::");
  return parts.length >= 4 ? `${parts[2].split("$").pop()}::${parts[3]}` : urn || "(stack)";
};

export function renderText(result: PreviewResult, opts: { showTree: boolean }): string {
  const s = summarize(result);
  const out: string[] = [];
  out.push(`Offline preview of ${result.project}/${result.stack} (${result.dryRun ? "dry run: computed values unknown" : "update mode"})`);
  out.push(`Policy pack ${result.pack.name}@${result.pack.version}: ${result.pack.policies.length} policies${result.policyConfigFile ? `, config ${result.policyConfigFile}` : ""}`);
  out.push("");
  if (opts.showTree) {
    out.push(`Resources (${s.resources}):`);
    out.push(...tree(result.resources).map((l) => `  ${l}`));
    out.push("");
  }
  const counts = new Map<string, number>();
  for (const r of result.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  out.push("Resources per type:");
  out.push(...table([["TYPE", "COUNT"], ...[...counts].sort((a, b) => a[0].localeCompare(b[0])).map(([t, n]) => [t, String(n)])]).map((l) => `  ${l}`));
  out.push("");

  const violations = result.diagnostics.filter((d) => !isDeferred(d) && !isRpoReport(d));
  out.push(`Policy verdicts (${violations.length}):`);
  if (violations.length === 0) out.push("  no violations");
  const order = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 } as const;
  for (const d of [...violations].sort((a, b) => order[a.enforcementLevel] - order[b.enforcementLevel] || a.policyName.localeCompare(b.policyName))) {
    out.push(`  [${d.enforcementLevel}] ${d.policyName} (${d.severity})  ${shortUrn(d.urn)}`);
    for (const line of specificMessage(d).split("\n")) out.push(`      ${line}`);
  }
  out.push("");

  const deferred = result.diagnostics.filter(isDeferred);
  if (deferred.length) {
    const byPolicy = new Map<string, number>();
    for (const d of deferred) byPolicy.set(d.policyName, (byPolicy.get(d.policyName) ?? 0) + 1);
    out.push(`Deferred until values are known (${deferred.length}): ${[...byPolicy].map(([p, n]) => `${p} x${n}`).join(", ")}`);
    out.push("");
  }
  const weakened = result.policyConfig.weakened ?? [];
  if (weakened.length) {
    out.push(`Policies weakened by config (${weakened.length}):`);
    for (const w of weakened) out.push(`  ${w.policy}  ${w.level} (default ${w.default})`);
    out.push("");
  }
  if (result.policyConfig.exceptions.length) {
    out.push("Exceptions in force:");
    const today = new Date().toISOString().slice(0, 10);
    for (const e of result.policyConfig.exceptions) {
      out.push(`  ${e.id}  ${e.policy}  ${e.resource}  approved by ${e.approver}, expires ${e.expires}${e.expires < today ? " (EXPIRED)" : ""}`);
    }
    out.push("");
  }
  const rpo = result.diagnostics.filter(isRpoReport);
  if (rpo.length) {
    out.push("Recovery point objective (computed from declared schedules):");
    for (const d of rpo) for (const line of specificMessage(d).replace(/^RPO report:\s*/, "").split("\n")) out.push(`  ${line}`);
    out.push("");
  }
  out.push(
    `Summary: ${s.resources} resources, ${s.policies} policies; ${s.mandatory} mandatory, ${s.advisory} advisory (${s.exempted} exempted), ${s.deferred} deferred; ` +
      `${(result.timings.totalMs / 1000).toFixed(1)} s`,
  );
  out.push(s.mandatory > 0 ? "Result: FAILED (mandatory policy violations)" : "Result: PASSED (no mandatory policy violations)");
  return out.join("\n");
}
