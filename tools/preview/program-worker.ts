/**
 * Child process that runs one Pulumi program under the mock engine and
 * streams each captured registration to the parent over IPC, so policy
 * evaluation overlaps with the program run. A separate process keeps the
 * program's globals, exit calls and crashes away from the preview itself.
 */
import * as path from "path";
import { runUnderMocks, RunOptions } from "./engine";

export interface WorkerRequest {
  programDir: string;
  /** Pulumi.yaml `main` (a file or folder relative to the program directory), when the project sets one. */
  main?: string;
  project: string;
  stack: string;
  config: Record<string, string>;
  secretKeys: string[];
  preview: boolean;
}

export type WorkerMessage =
  | { kind: "resource"; resource: import("./engine").CapturedResource }
  | { kind: "done"; outputs: Record<string, unknown>; durationMs: number; count: number }
  | { kind: "error"; errorKind: "config" | "program"; message: string; stack?: string };

function send(msg: WorkerMessage): Promise<void> {
  return new Promise((resolve) => process.send!(msg, () => resolve()));
}

function describeError(e: unknown): { errorKind: "config" | "program"; message: string; stack?: string } {
  const err = e as { name?: string; message?: string; stack?: string; isConfigError?: boolean; __pulumiRunError?: boolean };
  if (err?.isConfigError || err?.name === "ConfigError") return { errorKind: "config", message: String(err.message) };
  // RunErrors are user-facing by design: message only. Anything else keeps its stack for debugging.
  const isRunError = err?.__pulumiRunError === true || err?.name === "RunError";
  // Keep the top frames only: enough to find the failing line, short enough to read.
  const frames = err?.stack?.split("\n").filter((l) => /^\s+at /.test(l)).slice(0, 6).join("\n");
  return { errorKind: "program", message: String(err?.message ?? e), stack: isRunError ? undefined : frames };
}

async function main(req: WorkerRequest): Promise<void> {
  let failure: unknown;
  const onFailure = (e: unknown) => (failure ??= e);
  process.on("uncaughtException", onFailure);
  process.on("unhandledRejection", onFailure);
  const pending: Promise<void>[] = [];
  const opts: RunOptions = {
    program: req.main ? path.resolve(req.programDir, req.main) : req.programDir,
    project: req.project,
    stack: req.stack,
    config: req.config,
    secretKeys: req.secretKeys,
    preview: req.preview,
    onResource: (resource) => pending.push(send({ kind: "resource", resource })),
  };
  try {
    const result = await runUnderMocks(opts);
    await Promise.all(pending);
    if (failure) throw failure;
    await send({ kind: "done", outputs: result.outputs, durationMs: result.durationMs, count: result.resources.length });
  } catch (e) {
    await Promise.all(pending);
    await send({ kind: "error", ...describeError(failure ?? e) });
  }
  process.disconnect?.();
  process.exit(0);
}

process.once("message", (req: WorkerRequest) => {
  void main(req);
});
