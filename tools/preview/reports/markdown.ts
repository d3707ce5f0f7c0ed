/**
 * Pull-request comment. The first line is a hidden marker naming the stack,
 * so a CI job can find and update its previous comment instead of adding a
 * new one per push ("sticky" comment).
 */
import type { PreviewResult } from "../run-preview";
import { isDeferred, isExempted, isRpoReport, shortUrn, specificMessage, summarize } from "../text-report";
import { redactText } from "../run-preview";

export const MARKDOWN_MARKER_PREFIX = "duespark-ops-preview";

/** GitHub rejects comments over 65,536 characters; long tables are cut well before that. */
const MAX_VIOLATION_ROWS = 150;

export function markdownMarker(stack: string): string {
  return `<!-- ${MARKDOWN_MARKER_PREFIX}:${stack} -->`;
}

/** One table cell: no raw pipes, newlines or HTML from messages. */
export function cell(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/\|/g, "\\|")
    .replace(/\r?\n/g, "<br>")
    .trim();
}

/** A code span inside a table cell: entities would show literally there, so only pipes, newlines and backticks change. */
const code = (text: string) => (text ? `\`${text.replace(/`/g, "'").replace(/\|/g, "\\|").replace(/\s*\r?\n\s*/g, " ")}\`` : "");

export function buildMarkdownReport(result: PreviewResult): string {
  const s = summarize(result);
  const scrub = (t: string) => redactText(t, result.secretValues);
  const passed = s.mandatory === 0;
  const out: string[] = [];
  out.push(markdownMarker(result.stack));
  out.push(
    passed
      ? `### ✅ Policy preview passed: \`${result.project}/${result.stack}\``
      : `### ❌ Policy preview failed: \`${result.project}/${result.stack}\` (${s.mandatory} mandatory violation${s.mandatory === 1 ? "" : "s"})`,
  );
  out.push("");
  out.push(
    `Offline preview (${result.dryRun ? "dry run: computed values unknown" : "update mode"}) against policy pack ` +
      `\`${result.pack.name}@${result.pack.version}\`${result.policyConfigFile ? ` with config \`${scrub(result.policyConfigFile.split(/[\\/]/).pop()!)}\`` : ""}.`,
  );
  out.push("");
  out.push("| Resources | Policies | Mandatory | Advisory | Exempted | Deferred |");
  out.push("|---:|---:|---:|---:|---:|---:|");
  out.push(`| ${s.resources} | ${s.policies} | ${s.mandatory} | ${s.advisory} | ${s.exempted} | ${s.deferred} |`);
  out.push("");

  const violations = result.diagnostics.filter((d) => !isDeferred(d) && !isRpoReport(d));
  const order: Record<string, number> = { mandatory: 0, remediate: 1, advisory: 2, disabled: 3 };
  violations.sort((a, b) => order[a.enforcementLevel] - order[b.enforcementLevel] || a.policyName.localeCompare(b.policyName) || a.urn.localeCompare(b.urn));
  out.push(`#### Violations (${violations.length})`);
  out.push("");
  if (violations.length === 0) {
    out.push("No policy violations.");
  } else {
    out.push("| Level | Policy | Resource | Message |");
    out.push("|---|---|---|---|");
    for (const d of violations.slice(0, MAX_VIOLATION_ROWS)) {
      const level = d.enforcementLevel === "mandatory" ? "🔴 mandatory" : isExempted(d) ? "⚪ advisory (exempted)" : `🟡 ${d.enforcementLevel}`;
      out.push(`| ${level} | ${code(d.policyName)} | ${code(scrub(shortUrn(d.urn)))} | ${cell(scrub(specificMessage(d)))} |`);
    }
    if (violations.length > MAX_VIOLATION_ROWS) out.push("", `…and ${violations.length - MAX_VIOLATION_ROWS} more; the JSON report lists all of them.`);
  }
  out.push("");

  const weakened = result.policyConfig.weakened ?? [];
  if (weakened.length) {
    out.push(`#### Policies weakened by config (${weakened.length})`);
    out.push("");
    out.push("| Policy | Level | Default |");
    out.push("|---|---|---|");
    for (const w of weakened) out.push(`| ${code(w.policy)} | ${w.level} | ${w.default} |`);
    out.push("");
  }

  const exceptions = result.policyConfig.exceptions;
  if (exceptions.length) {
    const today = new Date().toISOString().slice(0, 10);
    out.push(`#### Exceptions in force (${exceptions.length})`);
    out.push("");
    out.push("| Exception | Policy | Resource | Approver | Expires | Reason |");
    out.push("|---|---|---|---|---|---|");
    for (const e of exceptions) {
      const expires = e.expires < today ? `${e.expires} (**expired**)` : e.expires;
      out.push(`| ${code(scrub(e.id))} | ${code(e.policy)} | ${cell(scrub(e.resource))} | ${cell(scrub(e.approver))} | ${cell(expires)} | ${cell(scrub(e.reason))} |`);
    }
    out.push("");
  }

  const rpo = result.diagnostics.filter(isRpoReport);
  if (rpo.length) {
    out.push("#### Recovery point objective");
    out.push("");
    out.push("Computed from the declared backup schedules:");
    out.push("");
    out.push("```text");
    for (const d of rpo) out.push(scrub(specificMessage(d).replace(/^RPO report:\s*/, "")).replace(/```/g, "'''"));
    out.push("```");
    out.push("");
  }

  const deferred = result.diagnostics.filter(isDeferred);
  if (deferred.length) {
    const byPolicy = new Map<string, number>();
    for (const d of deferred) byPolicy.set(d.policyName, (byPolicy.get(d.policyName) ?? 0) + 1);
    out.push("<details><summary>Checks deferred until values are known (" + deferred.length + ")</summary>");
    out.push("");
    out.push("| Policy | Resources |");
    out.push("|---|---:|");
    for (const [p, n] of [...byPolicy].sort((a, b) => a[0].localeCompare(b[0]))) out.push(`| ${code(p)} | ${n} |`);
    out.push("");
    out.push("</details>");
    out.push("");
  }

  const counts = new Map<string, number>();
  for (const r of result.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  out.push(`<details><summary>Resources per type (${result.resources.length} resources, ${counts.size} types)</summary>`);
  out.push("");
  out.push("| Type | Count |");
  out.push("|---|---:|");
  for (const [t, n] of [...counts].sort((a, b) => a[0].localeCompare(b[0]))) out.push(`| ${code(t)} | ${n} |`);
  out.push("");
  out.push("</details>");
  out.push("");
  out.push(passed ? "**Result: PASSED** (no mandatory policy violations)" : "**Result: FAILED** (mandatory policy violations block this change)");
  return `${out.join("\n")}\n`;
}
