/**
 * One offline preview of the synthetic program in a fresh process, for the
 * peak-memory measurement: reports its own peak RSS (the preview process,
 * which keeps every registration and verdict) and the peaks of the program
 * worker and the policy pack process it starts, polled from /proc.
 *   BENCH_RESOURCES=20000 node --import tsx tools/bench/memory-run.ts
 */
import * as path from "path";
import { PeakRssWatcher } from "./proc-stats";
import { runPreview } from "../preview/run-preview";

async function main(): Promise<void> {
  const watcher = new PeakRssWatcher().start();
  const t0 = Date.now();
  const result = await runPreview({ stack: "bench", programDir: path.join(__dirname, "fixtures", "synthetic-program") });
  watcher.stop();
  const report = {
    resources: result.resources.length,
    diagnostics: result.diagnostics.length,
    wallMs: Date.now() - t0,
    timings: result.timings,
    previewPeakMiB: process.resourceUsage().maxRSS / 1024,
    workerPeakMiB: watcher.peakOf(/program-worker/),
    packPeakMiB: watcher.peakOf(/pack-runner|run-policy-pack/),
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    process.exit(2);
  },
);
