/**
 * Baseline of the end-to-end measurement: a fresh process that runs the
 * same program under the same mocks and config as the preview's program
 * worker, with nothing listening to its registrations (no IPC per
 * resource, no policy pack). Started the way the preview starts its worker.
 */
import * as path from "path";
import { runUnderMocks } from "../preview/engine";
import type { WorkerRequest } from "../preview/program-worker";

process.once("message", (req: WorkerRequest) => {
  runUnderMocks({
    program: req.main ? path.resolve(req.programDir, req.main) : req.programDir,
    project: req.project,
    stack: req.stack,
    config: req.config,
    secretKeys: req.secretKeys,
    preview: req.preview,
  }).then(
    (r) => process.send!({ kind: "done", count: r.resources.length, durationMs: r.durationMs, maxRssMiB: process.resourceUsage().maxRSS / 1024 }, () => process.exit(0)),
    (e) => process.send!({ kind: "error", message: String((e as Error)?.message ?? e) }, () => process.exit(0)),
  );
});
