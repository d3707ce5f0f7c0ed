/**
 * Writes the reports the preview was asked for; returns the files written.
 * Every report goes through redaction (reports/redact.ts and the scrub of
 * known secret values), so no secret or placeholder reaches a file.
 */
import * as fs from "fs";
import * as path from "path";
import type { PreviewResult } from "../run-preview";
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

function write(file: string, content: string): string {
  const full = path.resolve(file);
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, content);
  return full;
}

export async function writeReports(result: PreviewResult, targets: ReportTargets): Promise<string[]> {
  const written: string[] = [];
  if (targets.json) written.push(write(targets.json, `${JSON.stringify(buildJsonReport(result), null, 2)}\n`));
  if (targets.markdown) written.push(write(targets.markdown, buildMarkdownReport(result)));
  if (targets.sarif) written.push(write(targets.sarif, `${JSON.stringify(buildSarifReport(result), null, 2)}\n`));
  if (targets.graph) written.push(write(targets.graph, await buildGraph(result, targets.graph)));
  return written;
}
