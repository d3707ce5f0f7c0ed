/**
 * Writes the reports the preview was asked for; returns the files written.
 */
import * as fs from "fs";
import * as path from "path";
import type { PreviewResult } from "../run-preview";
import { buildJsonReport } from "./json";

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
  if (targets.markdown || targets.sarif || targets.graph) {
    throw new Error("markdown, sarif and graph reports are not available in this build");
  }
  return written;
}
