/**
 * Runs the offline preview CLI as a child process, exactly as CI does
 * (`node --import tsx tools/preview/cli.ts ...` from the repository root),
 * a few at a time: each run starts a program worker and a pack process.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

import { limiter } from "../support/limit";

export const ROOT = path.resolve(__dirname, "..", "..");
export const FIXTURES = path.join(ROOT, "test", "fixtures");
export const program = (name: string) => path.join("test", "fixtures", "programs", name);
export const pack = (name: string) => path.join("test", "fixtures", "packs", name);

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const slot = limiter();

export function runCli(args: string[]): Promise<CliRun> {
  return slot(
    () =>
      new Promise<CliRun>((resolve, reject) => {
        const child = spawn(process.execPath, ["--import", "tsx", "tools/preview/cli.ts", ...args], {
          cwd: ROOT,
          stdio: ["ignore", "pipe", "pipe"],
          env: { ...process.env, NO_COLOR: "1" },
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
      }),
  );
}

/** A fresh directory for report files. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `${prefix}-`));
}

/** Makes a failure message show what the CLI printed. */
export function explain(run: CliRun): string {
  return `exit ${run.code}\n--- stdout ---\n${run.stdout.slice(-3000)}\n--- stderr ---\n${run.stderr.slice(-3000)}`;
}
