/** The drill report: JSON (machine-readable, same shape online and offline) and Markdown. */
import * as fs from "fs";
import * as path from "path";
import type { DrillReport } from "./orchestrator";

const mark = (ok: boolean | null) => (ok === null ? "n/a" : ok ? "met" : "MISSED");
const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");

export function renderMarkdown(r: DrillReport): string {
  const out: string[] = [];
  out.push(`# DR drill: ${r.source} -> ${r.region} (${r.mode})`, "");
  out.push(`**Result: ${r.result.toUpperCase()}**${r.error ? ` — ${cell(r.error)}` : ""}`, "");
  out.push(`| | |`, `| --- | --- |`);
  out.push(`| drill stack | \`${r.stack}\` (DR region of the drill stack: ${r.drRegion}) |`);
  out.push(`| started / finished | ${r.startedAt} / ${r.finishedAt} |`);
  out.push(`| RTO | target ${r.rto.targetHours} h; recovery ${r.rto.recoveryMinutes} min; ${mark(r.rto.met)} (${r.rto.basis}) |`);
  out.push(`| RPO | target ${r.rpo.targetHours} h; ${r.rpo.findings.map((f) => `${f.store} ${f.minutes} min (${f.basis})`).join("; ") || "not measured"}; ${mark(r.rpo.met)} |`);
  out.push(`| cleanup | ${r.kept ? "kept (--keep)" : r.cleanedUp ? "drill stack destroyed and removed" : "NOT cleaned up: destroy the drill stack by hand"} |`, "");
  out.push("## Steps", "", "| step | status | duration | detail |", "| --- | --- | --- | --- |");
  for (const s of r.steps) out.push(`| ${s.name} | ${s.status} | ${(s.durationMs / 1000).toFixed(1)} s | ${cell(s.detail)} |`);
  out.push("", "## Incident messages (runbook templates, drill timestamps)", "");
  for (const [title, text] of [["Initial alert", r.incidentMessages.initial], ...r.incidentMessages.updates.map((u, i) => [`Status update ${i + 1}`, u]), ["Resolution", r.incidentMessages.resolution]] as [string, string][]) {
    out.push(`### ${title}`, "", "```", text, "```", "");
  }
  return out.join("\n");
}

/** Both files or neither: each is written under a temporary name and renamed once both are complete. */
export function writeDrillReport(r: DrillReport, dir: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const base = path.join(dir, `dr-drill-${r.stack}`);
  const files: [string, string][] = [
    [`${base}.json`, `${JSON.stringify(r, null, 2)}\n`],
    [`${base}.md`, `${renderMarkdown(r)}\n`],
  ];
  const partial = (f: string) => `${f}.${process.pid}.partial`;
  try {
    for (const [f, text] of files) fs.writeFileSync(partial(f), text);
    for (const [f] of files) fs.renameSync(partial(f), f);
  } catch (e) {
    for (const [f] of files) fs.rmSync(partial(f), { force: true });
    throw e;
  }
  return files.map(([f]) => f);
}
