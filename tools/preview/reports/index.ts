/**
 * Writes the reports the preview was asked for; returns the files written.
 * Every report goes through redaction (reports/redact.ts and the scrub of
 * known secret values), so no secret or placeholder reaches a file.
 *
 * All or nothing: targets are checked before the preview runs, every
 * report is rendered in memory, written to a temporary file beside its
 * target and only then renamed into place. If any step fails, the reports
 * of this run are removed again and a UsageError names the target.
 */
import { randomBytes } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { PreviewResult } from "../run-preview";
import { UsageError } from "../stack-file";
import { buildGraph } from "./graph";
import { buildJsonReport } from "./json";
import { buildMarkdownReport } from "./markdown";
import { buildSarifReport } from "./sarif";

export interface ReportTargets {
  json?: string;
  markdown?: string;
  sarif?: string;
  graph?: string;
}

export interface RenderedReport {
  /** The option that asked for it, e.g. "--json". */
  flag: string;
  file: string;
  content: string;
}

const reason = (e: unknown) => {
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    EISDIR: "it is a directory",
    ENOTDIR: "a parent is not a directory",
    EACCES: "permission denied",
    EPERM: "operation not permitted",
    EROFS: "read-only file system",
    ENOSPC: "no space left on the device",
  };
  return (err.code && known[err.code]) ?? err.code ?? String(err.message ?? e);
};

/** Why a report cannot be written to `file`, or undefined. Missing parent directories are created when writing. */
export function reportTargetProblem(file: string): string | undefined {
  const full = path.resolve(file);
  if (fs.existsSync(full)) {
    const st = fs.statSync(full);
    if (st.isDirectory()) return "it is a directory";
    if (!st.isFile()) return "it is not a regular file";
  }
  let dir = path.dirname(full);
  while (!fs.existsSync(dir)) dir = path.dirname(dir);
  if (!fs.statSync(dir).isDirectory()) return `${dir} is not a directory`;
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    return `${dir} is not writable`;
  }
  return undefined;
}

/** Checks every target before any work is done; throws a UsageError listing each bad one. */
export function checkReportTargets(targets: ReportTargets): void {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const [key, file] of Object.entries(targets) as [keyof ReportTargets, string | undefined][]) {
    if (file === undefined) continue;
    const flag = `--${key}`;
    if (file === "") {
      problems.push(`${flag}: the file name is empty`);
      continue;
    }
    const full = path.resolve(file);
    const problem = reportTargetProblem(full);
    if (problem) problems.push(`${flag}: cannot write to ${full}: ${problem}`);
    const other = seen.get(full);
    if (other) problems.push(`${flag}: ${full} is also the ${other} target; each report needs its own file`);
    seen.set(full, flag);
  }
  if (problems.length) throw new UsageError(problems.join("\n"));
}

export async function renderReports(result: PreviewResult, targets: ReportTargets): Promise<RenderedReport[]> {
  const out: RenderedReport[] = [];
  if (targets.json) out.push({ flag: "--json", file: targets.json, content: `${JSON.stringify(buildJsonReport(result), null, 2)}\n` });
  if (targets.markdown) out.push({ flag: "--markdown", file: targets.markdown, content: buildMarkdownReport(result) });
  if (targets.sarif) out.push({ flag: "--sarif", file: targets.sarif, content: `${JSON.stringify(buildSarifReport(result), null, 2)}\n` });
  if (targets.graph) out.push({ flag: "--graph", file: targets.graph, content: await buildGraph(result, targets.graph) });
  return out;
}

/**
 * Writes every report or none: temporary files first, then renames. On a
 * failure, temporaries, reports already renamed and directories created by
 * this call are removed, and a UsageError names the target and the reason.
 */
export function writeRenderedReports(reports: RenderedReport[]): string[] {
  const createdDirs: string[] = [];
  const temps: { tmp: string; full: string; flag: string }[] = [];
  const renamed: string[] = [];
  let failing: { flag: string; full: string } | undefined;
  try {
    for (const r of reports) {
      const full = path.resolve(r.file);
      failing = { flag: r.flag, full };
      // Checked again: the files may have changed while the preview ran.
      const problem = reportTargetProblem(full);
      if (problem) throw new Error(problem);
      const created = fs.mkdirSync(path.dirname(full), { recursive: true });
      if (created) createdDirs.push(created);
      const tmp = path.join(path.dirname(full), `.${path.basename(full)}.${process.pid}-${randomBytes(4).toString("hex")}.tmp`);
      temps.push({ tmp, full, flag: r.flag });
      fs.writeFileSync(tmp, r.content, { flag: "wx" });
    }
    for (const t of temps) {
      failing = { flag: t.flag, full: t.full };
      fs.renameSync(t.tmp, t.full);
      renamed.push(t.full);
    }
    return renamed;
  } catch (e) {
    for (const t of temps) fs.rmSync(t.tmp, { force: true });
    for (const f of renamed) fs.rmSync(f, { force: true });
    for (const d of createdDirs.reverse()) fs.rmSync(d, { recursive: true, force: true });
    const where = failing ? `${failing.flag}: cannot write to ${failing.full}: ${reason(e)}` : `cannot write the reports: ${reason(e)}`;
    throw new UsageError(`${where}; no report of this run was kept`);
  }
}

export async function writeReports(result: PreviewResult, targets: ReportTargets): Promise<string[]> {
  return writeRenderedReports(await renderReports(result, targets));
}
