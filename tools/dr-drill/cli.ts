/**
 * npm run dr-drill -- --from <stack> --region <region> [--dr-region <region>] [--snapshot <arn>] [--keep] [--offline] [--out <dir>]
 *
 * Exit status: 0 drill passed, 1 drill failed (report written), 2 bad input or setup error.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { redactCredentials } from "../access-review/redact";
import { PolicyPackError } from "../preview/analyzer";
import { ProgramError, ROOT } from "../preview/run-preview";
import { UsageError } from "../preview/stack-file";
import { checkOutDir, drillConfigOverrides, DrillTarget, DrillUsageError, readDrillPolicyConfig, rehearsalPrimaryOutputs, resolveTarget, writeDrillPolicyConfig } from "./drill-config";
import { offlineVerifications, OfflineWorkspace } from "./offline";
import { DrillReport, runDrill } from "./orchestrator";
import { writeDrillReport } from "./report";

const USAGE = `Usage: npm run dr-drill -- --from <stack> --region <region> [options]

Recovers stack <from> into <region> as a temporary drill stack (recovery role:
database restored from the latest recovery point, secrets from the replicas),
verifies /health, /health/ready and /health/detailed, compares the recovery time
with the RTO and the restored data's age with the RPO, writes a report and
destroys the drill stack.

Options:
  --from <stack>        source stack (stacks/Pulumi.<stack>.yaml)                    [required]
  --region <region>     region to recover into (config/regions.ts)                   [required]
  --dr-region <region>  DR region of the drill stack                                 [default: the source's region]
  --snapshot <arn>      restore this recovery point instead of the latest restorable time
  --keep                keep the drill stack afterwards
  --offline             rehearse through the offline preview: no credentials, nothing created
  --out <dir>           report directory                                             [default: dr-drill-reports]
  --wait-minutes <n>    online: how long to wait for the health endpoints            [default: 30]
  -h, --help            show this help

Exit status: 0 passed, 1 failed (report written), 2 bad input or setup error.`;

function fail(message: string): never {
  process.stderr.write(`error: ${redactCredentials(message)}\n`);
  process.exit(2);
}

/** The drill's temporary directory (adapted policy config); removed on every way out. */
let tempDir: string | undefined;
function removeTempDir(): void {
  if (!tempDir) return;
  fs.rmSync(tempDir, { recursive: true, force: true });
  tempDir = undefined;
}
process.once("exit", removeTempDir);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    removeTempDir();
    process.exit(128 + os.constants.signals[signal]);
  });
}

function policyConfigFile(target: DrillTarget, config: Record<string, unknown> | undefined): string | undefined {
  if (!config) return undefined;
  tempDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "dr-drill-"));
  return writeDrillPolicyConfig(target, config, tempDir);
}

async function main(argv: string[]): Promise<number> {
  try {
    return await drill(argv);
  } finally {
    removeTempDir();
  }
}

async function drill(argv: string[]): Promise<number> {
  let values;
  try {
    const parsed = parseArgs({
      args: argv,
      options: {
        from: { type: "string" },
        region: { type: "string" },
        "dr-region": { type: "string" },
        snapshot: { type: "string" },
        keep: { type: "boolean", default: false },
        offline: { type: "boolean", default: false },
        out: { type: "string", default: "dr-drill-reports" },
        "wait-minutes": { type: "string", default: "30" },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
    const seen = new Set<string>();
    for (const t of parsed.tokens) {
      if (t.kind !== "option") continue;
      // The last of two values would win silently: a drill of the wrong stack or region.
      if (seen.has(t.name)) throw new Error(`--${t.name} is given more than once; give it once`);
      seen.add(t.name);
    }
    values = parsed.values;
  } catch (e) {
    throw new DrillUsageError(`${(e as Error).message}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!values.from) throw new DrillUsageError(`--from is required\n\n${USAGE}`);
  if (!values.region) throw new DrillUsageError(`--region is required\n\n${USAGE}`);
  const waitMinutes = Number(values["wait-minutes"]);
  if (!Number.isInteger(waitMinutes) || waitMinutes < 1) throw new DrillUsageError(`--wait-minutes: got "${values["wait-minutes"]}"; must be a whole number of minutes >= 1`);
  if (values.snapshot !== undefined && !/^(arn:aws[\w-]*:rds:[a-z0-9-]+:\d{12}:(snapshot|cluster-snapshot):|[a-zA-Z][\w:-]*$)/.test(values.snapshot)) {
    throw new DrillUsageError(`--snapshot: got "${values.snapshot}"; expected an RDS snapshot ARN or identifier`);
  }
  const outDir = checkOutDir(values.out);

  const target = resolveTarget(ROOT, values.from, values.region, values["dr-region"], new Date());
  const drillPolicy = readDrillPolicyConfig(target);
  const { backup } = target.sourceConfig;
  const plan = {
    source: target.source.stack,
    stack: target.stack,
    region: target.region,
    drRegion: target.drRegion,
    rtoHours: backup.rtoHours,
    rpoHours: backup.rpoHours,
    keep: values.keep,
    config: {} as Record<string, string>,
  };
  const log = (line: string) => process.stderr.write(`${line}\n`);
  let report: DrillReport;
  if (values.offline) {
    plan.config = drillConfigOverrides(target, { primaryOutputs: rehearsalPrimaryOutputs(target), snapshotIdentifier: values.snapshot });
    const ws = new OfflineWorkspace(target.source.stack, { policyConfigFile: policyConfigFile(target, drillPolicy) });
    log(`rehearsing the drill of ${plan.source} into ${plan.region} offline as ${plan.stack} ...`);
    report = await runDrill(plan, ws, offlineVerifications(ws, { region: target.region, drRegion: target.drRegion, chatbotRegion: target.sourceConfig.alerting.slack.chatbotRegion }));
  } else {
    // Loaded only here: the online drill needs the Pulumi CLI and AWS credentials.
    const { AutomationWorkspace, checkOnlinePrerequisites, cliErrorSummary, onlineVerifications } = await import("./online");
    await checkOnlinePrerequisites(target.region);
    const probeWs = new AutomationWorkspace({ workDir: ROOT, sourceStack: target.source.stack, region: target.region, restore: { source: "pitr" }, log });
    let fq: string;
    let sourceOutputs: Record<string, unknown>;
    try {
      [fq, sourceOutputs] = await Promise.all([probeWs.sourceFullyQualifiedName(), probeWs.sourceOutputs()]);
    } catch (e) {
      throw new DrillUsageError(`cannot read stack ${plan.source} through the Pulumi CLI (logged in to its backend, stack deployed?): ${cliErrorSummary(e)}`);
    }
    const backupsArn = typeof sourceOutputs.drAutomatedBackupsArn === "string" && sourceOutputs.drAutomatedBackupsArn.split(":")[3] === target.region ? sourceOutputs.drAutomatedBackupsArn : undefined;
    if (!values.snapshot && !backupsArn) {
      throw new DrillUsageError(
        `--region ${target.region}: stack ${plan.source} replicates its automated backups to ${String(sourceOutputs.drAutomatedBackupsArn ?? "nowhere").split(":")[3] ?? "?"}, not ${target.region}; ` +
          "copy a recovery point there (aws backup start-copy-job) and pass --snapshot <arn>, or drill into the source's DR region (docs/DISASTER-RECOVERY.md)",
      );
    }
    plan.config = drillConfigOverrides(target, { primaryStack: fq, snapshotIdentifier: values.snapshot });
    const ws = new AutomationWorkspace({
      workDir: ROOT,
      sourceStack: target.source.stack,
      region: target.region,
      restore: values.snapshot ? { source: "snapshot", snapshotIdentifier: values.snapshot } : { source: "pitr", automatedBackupsArn: backupsArn },
      policyConfigFile: policyConfigFile(target, drillPolicy),
      log,
    });
    report = await runDrill(plan, ws, onlineVerifications(ws, { waitMinutes }));
  }
  const files = writeDrillReport(report, outDir);
  for (const s of report.steps) process.stdout.write(`${s.status.padEnd(7)} ${s.name.padEnd(18)} ${(s.durationMs / 1000).toFixed(1).padStart(7)} s  ${s.detail.split("\n")[0]}\n`);
  process.stdout.write(`RTO: target ${report.rto.targetHours} h, recovery ${report.rto.recoveryMinutes} min (${report.rto.met === null ? "not measured" : report.rto.met ? "met" : "MISSED"})\n`);
  process.stdout.write(`RPO: target ${report.rpo.targetHours} h, ${report.rpo.findings.map((f) => `${f.store} ${f.minutes} min (${f.basis})`).join("; ") || "not measured"}\n`);
  process.stdout.write(`Result: ${report.result.toUpperCase()}${report.error ? ` (${report.error})` : ""}\n`);
  for (const f of files) process.stdout.write(`wrote ${f}\n`);
  return report.result === "passed" ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    if (e instanceof DrillUsageError || e instanceof UsageError) fail(e.message);
    if (e instanceof ProgramError) fail(`the program failed: ${e.message}`);
    if (e instanceof PolicyPackError) fail(`the policy pack failed: ${e.message}`);
    fail(`unexpected failure: ${(e as Error)?.stack ?? e}`);
  },
);
