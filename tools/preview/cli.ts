/**
 * npm run preview -- --stack <name> [options]
 *
 * Exit status: 0 no mandatory violation, 1 mandatory violations,
 * 2 usage, config, program or policy-pack error.
 */
import * as path from "path";
import { parseArgs } from "util";
import { PolicyPackError } from "./analyzer";
import { checkReportTargets, ReportTargets, writeReports } from "./reports";
import { ProgramError, runPreview } from "./run-preview";
import { UsageError } from "./stack-file";
import { renderText, summarize } from "./text-report";

const USAGE = `Usage: npm run preview -- --stack <name> [options]

Runs the Pulumi program for a stack under the SDK's mock engine (no cloud
account, no Pulumi CLI) and evaluates the policy pack through the analyzer
protocol, as 'pulumi preview --policy-pack policies' would.

Options:
  --stack <name>          stack to preview (stacks/Pulumi.<name>.yaml)        [required]
  --program <dir>         another Pulumi TypeScript program directory          [default: this project]
  --policy-pack <dir>     another policy pack directory                        [default: policies]
  --policy-config <file>  policy pack config (--policy-pack-config format)     [default: <stackConfigDir>/policy-config.<stack>.json if present]
  --update                run in update mode (known values) instead of a dry run
  --json <file>           write the JSON report (schema: docs/PREVIEW.md)
  --markdown <file>       write a pull-request comment in Markdown
  --sarif <file>          write SARIF 2.1.0 for code scanning
  --graph <file>          write the parent/dependency graph (.svg or .dot)
  --pack-loader <kind>    bundle (default: compile once with esbuild) or ts-node (exactly as the CLI)
  --quiet                 do not print the resource tree
  --no-progress           no progress indicator
  -h, --help              show this help

Exit status: 0 no mandatory violation, 1 mandatory violations, 2 usage/config/program/pack error.`;

function fail(message: string): never {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        stack: { type: "string" },
        program: { type: "string" },
        "policy-pack": { type: "string" },
        "policy-config": { type: "string" },
        update: { type: "boolean", default: false },
        json: { type: "string" },
        markdown: { type: "string" },
        sarif: { type: "string" },
        graph: { type: "string" },
        "pack-loader": { type: "string", default: "bundle" },
        quiet: { type: "boolean", default: false },
        "no-progress": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      allowPositionals: false,
      strict: true,
      tokens: true,
    });
  } catch (e) {
    fail(`${(e as Error).message}\n\n${USAGE}`);
  }
  // parseArgs keeps the last of repeated options; a second --stack is a mistake, not an override.
  const seen = new Map<string, number>();
  for (const t of args.tokens ?? []) if (t.kind === "option") seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  const repeated = [...seen].filter(([, n]) => n > 1);
  if (repeated.length) fail(`${repeated.map(([name, n]) => `--${name} given ${n} times`).join(", ")}; give each option once\n\n${USAGE}`);
  const v = args.values;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!v.stack) fail(`--stack is required\n\n${USAGE}`);
  if (v["pack-loader"] !== "bundle" && v["pack-loader"] !== "ts-node") fail(`--pack-loader: got "${v["pack-loader"]}"; allowed: bundle, ts-node`);
  if (v.graph && !/\.(svg|dot)$/i.test(v.graph)) fail(`--graph: got "${v.graph}"; the file must end in .svg or .dot`);
  const targets: ReportTargets = { json: v.json, markdown: v.markdown, sarif: v.sarif, graph: v.graph };
  // Before the preview runs: a bad target must not cost a whole run or leave some reports written.
  checkReportTargets(targets);

  const progress = !v["no-progress"] && process.stderr.isTTY;
  let lastDraw = 0;
  const result = await runPreview({
    stack: v.stack,
    programDir: v.program ? path.resolve(v.program) : undefined,
    packDir: v["policy-pack"] ? path.resolve(v["policy-pack"]) : undefined,
    policyConfigFile: v["policy-config"] ? path.resolve(v["policy-config"]) : undefined,
    dryRun: !v.update,
    loader: v["pack-loader"] as "bundle" | "ts-node",
    onProgress: progress
      ? (p) => {
          const now = Date.now();
          if (now - lastDraw < 100 && p.phase !== "analyze-stack") return;
          lastDraw = now;
          process.stderr.write(`\r\x1b[2K${p.phase === "analyze-stack" ? "analysing the whole stack" : `registered ${p.registered}, analysed ${p.analysed}`}`);
        }
      : undefined,
  });
  if (progress) process.stderr.write("\r\x1b[2K");

  process.stdout.write(`${renderText(result, { showTree: !v.quiet })}\n`);
  const written = await writeReports(result, targets);
  for (const f of written) process.stdout.write(`wrote ${f}\n`);
  return summarize(result).mandatory > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof UsageError) fail(e.message);
    if (e instanceof ProgramError) {
      if (e.kind === "config") fail(e.message);
      fail(`the program failed: ${e.message}${e.detail ? `\n${e.detail}` : ""}`);
    }
    if (e instanceof PolicyPackError) fail(`the policy pack failed, so the preview cannot pass: ${e.message}`);
    fail(`unexpected failure: ${(e as Error)?.stack ?? e}`);
  },
);
