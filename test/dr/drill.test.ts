import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { ROOT } from "../support/mocks";
import { checkOutDir, drillConfigOverrides, drillStackName, DrillUsageError, readDrillPolicyConfig, resolveTarget } from "../../tools/dr-drill/drill-config";
import { UsageError } from "../../tools/preview/stack-file";
import { DrillPlan, DrillWorkspace, runDrill, Verification } from "../../tools/dr-drill/orchestrator";
import { parseDuration, rpoFromReport } from "../../tools/dr-drill/offline";
import { renderMarkdown } from "../../tools/dr-drill/report";

/** Records every call; fails the named operation once. */
class FakeWorkspace implements DrillWorkspace {
  readonly mode = "online" as const;
  calls: string[] = [];
  constructor(private readonly failOn?: string, private readonly minutesPerUp = 30, private readonly clock?: { now: Date }) {}
  private async op(name: string, detail: string) {
    this.calls.push(`${name} ${detail}`);
    if (this.failOn === name) throw new Error(`${name} exploded`);
  }
  createStack = (n: string) => this.op("createStack", n);
  setConfig = (n: string, v: Record<string, string>) => this.op("setConfig", `${n} ${Object.keys(v).join(",")}`);
  async up(n: string) {
    await this.op("up", n);
    if (this.clock) this.clock.now = new Date(this.clock.now.getTime() + this.minutesPerUp * 60000);
    return { summary: "pulumi up succeeded: create 230" };
  }
  async outputs(n: string) {
    await this.op("outputs", n);
    return { regionalEndpoint: "drill.api.duespark.com" };
  }
  destroy = (n: string) => this.op("destroy", n);
  removeStack = (n: string) => this.op("removeStack", n);
}

const plan: DrillPlan = { source: "prod", stack: "drill-eu-west-1-202601051200", region: "eu-west-1", drRegion: "us-east-1", config: { "aws:region": "eu-west-1" }, rtoHours: 4, rpoHours: 24, keep: false };
const healthy: Verification = { name: "health-endpoints", run: async ({ outputs }) => ({ ok: true, detail: `https://${String(outputs.regionalEndpoint)}/health 200` }) };
const dataAge = (minutes: number): Verification => ({ name: "restored-data-age", run: async () => ({ ok: true, detail: `${minutes} min`, rpo: [{ store: "RDS", minutes, basis: "measured", detail: "" }] }) });

/** A clock that advances one minute per reading (plus what `up` adds). */
function fakeClock() {
  const state = { now: new Date("2026-01-05T12:00:00Z") };
  return { state, clock: () => (state.now = new Date(state.now.getTime() + 60000)) };
}

test("a drill runs create, configure, deploy, outputs, checks, destroy, remove in order and passes within RTO/RPO", async () => {
  const { state, clock } = fakeClock();
  const ws = new FakeWorkspace(undefined, 90, state);
  const r = await runDrill(plan, ws, [healthy, dataAge(7)], clock);
  assert.deepEqual(ws.calls, [
    "createStack drill-eu-west-1-202601051200", "setConfig drill-eu-west-1-202601051200 aws:region", "up drill-eu-west-1-202601051200",
    "outputs drill-eu-west-1-202601051200", "destroy drill-eu-west-1-202601051200", "removeStack drill-eu-west-1-202601051200",
  ]);
  assert.deepEqual(r.steps.map((s) => `${s.name}:${s.status}`), ["create-stack:passed", "configure:passed", "deploy:passed", "read-outputs:passed", "health-endpoints:passed", "restored-data-age:passed", "destroy:passed", "remove-stack:passed"]);
  assert.equal(r.steps.find((s) => s.name === "deploy")!.durationMs, 91 * 60000);
  assert.equal(r.result, "passed");
  assert.equal(r.rto.met, true);
  // create 1 + configure 1 + deploy 91 + two checks 1 each (the clock ticks one minute per reading).
  assert.equal(r.rto.recoveryMinutes, 95);
  assert.deepEqual([r.rpo.met, r.rpo.findings[0].minutes], [true, 7]);
  assert.equal(r.cleanedUp, true);
  assert.match(r.incidentMessages.initial, /^🚨 INCIDENT P0 \[drill-eu-west-1-202601051200\]: \[DR DRILL\] prod recovered into eu-west-1/);
  assert.match(r.incidentMessages.initial, /Started: 2026-01-05T12:01:00Z/);
  assert.equal(r.incidentMessages.updates.length, 1);
  assert.match(r.incidentMessages.resolution, /^✅ RESOLVED P0/);
  assert.match(r.incidentMessages.resolution, /Duration: 1 h 48 min \(since 2026-01-05T12:01:00Z\)/);
  assert.match(r.incidentMessages.resolution, /service verified in eu-west-1 after 95 min \(RTO 4 h\); data loss 7 min \(RPO 24 h\)/);
  const md = renderMarkdown(r);
  assert.match(md, /\*\*Result: PASSED\*\*/);
  assert.match(md, /\| deploy \| passed \| 5460\.0 s \|/);
});

test("a drill over the RTO or the RPO fails even when every step passed", async () => {
  const slow = fakeClock();
  const r1 = await runDrill(plan, new FakeWorkspace(undefined, 300, slow.state), [healthy, dataAge(5)], slow.clock);
  assert.deepEqual([r1.result, r1.rto.met], ["failed", false]);
  const stale = fakeClock();
  const r2 = await runDrill(plan, new FakeWorkspace(undefined, 30, stale.state), [healthy, dataAge(25 * 60)], stale.clock);
  assert.deepEqual([r2.result, r2.rpo.met, r2.rto.met], ["failed", false, true]);
});

test("a failed deploy skips the checks, still destroys and removes the stack, and the report says why", async () => {
  const ws = new FakeWorkspace("up");
  const r = await runDrill(plan, ws, [healthy], fakeClock().clock);
  assert.deepEqual(ws.calls.map((c) => c.split(" ")[0]), ["createStack", "setConfig", "up", "destroy", "removeStack"]);
  assert.deepEqual(r.steps.map((s) => `${s.name}:${s.status}`), ["create-stack:passed", "configure:passed", "deploy:failed", "read-outputs:skipped", "health-endpoints:skipped", "destroy:passed", "remove-stack:passed"]);
  assert.equal(r.result, "failed");
  assert.equal(r.error, "deploy: up exploded");
  assert.equal(r.cleanedUp, true);
  assert.match(r.incidentMessages.resolution, /drill failed at deploy: up exploded/);
});

test("a failed check does not hide the other checks", async () => {
  const failing: Verification = { name: "health-endpoints", run: async () => ({ ok: false, detail: "/health 503" }) };
  const r = await runDrill(plan, new FakeWorkspace(), [failing, dataAge(3)], fakeClock().clock);
  assert.deepEqual(r.steps.map((s) => `${s.name}:${s.status}`).slice(4), ["health-endpoints:failed", "restored-data-age:passed", "destroy:passed", "remove-stack:passed"]);
  assert.equal(r.error, "health-endpoints: /health 503");
});

test("a failed destroy is reported, the stack is not removed, and nothing is called cleaned up", async () => {
  const ws = new FakeWorkspace("destroy");
  const r = await runDrill(plan, ws, [healthy], fakeClock().clock);
  assert.deepEqual(ws.calls.map((c) => c.split(" ")[0]), ["createStack", "setConfig", "up", "outputs", "destroy"]);
  assert.deepEqual([r.result, r.cleanedUp, r.error], ["failed", false, "destroy: destroy exploded"]);
  assert.match(renderMarkdown(r), /NOT cleaned up/);
});

test("--keep leaves the drill stack; a stack that was never created is not destroyed", async () => {
  const kept = new FakeWorkspace();
  const r = await runDrill({ ...plan, keep: true }, kept, [healthy], fakeClock().clock);
  assert.ok(!kept.calls.some((c) => c.startsWith("destroy") || c.startsWith("removeStack")));
  assert.deepEqual([r.kept, r.cleanedUp], [true, false]);
  const never = new FakeWorkspace("createStack");
  const r2 = await runDrill(plan, never, [healthy], fakeClock().clock);
  assert.deepEqual(never.calls.map((c) => c.split(" ")[0]), ["createStack"]);
  assert.equal(r2.error, "createStack: createStack exploded".replace("createStack:", "create-stack:"));
});

test("drill targets are validated: unknown stack, unknown region, the source's own region, DR region equal to the target", () => {
  const at = new Date("2026-01-05T12:00:00Z");
  assert.throws(() => resolveTarget(ROOT, "production", "eu-west-1", undefined, at), (e: Error) => e instanceof DrillUsageError && /--from: unknown stack "production"; stacks: dev, prod, prod-dr, staging/.test(e.message));
  assert.throws(() => resolveTarget(ROOT, "prod", "eu-west-9", undefined, at), /--region: "eu-west-9" is not an AWS region in config\/regions.ts/);
  assert.throws(() => resolveTarget(ROOT, "prod", "us-east-1", undefined, at), /--region: us-east-1 is the region of stack prod; a drill recovers into another region/);
  assert.throws(() => resolveTarget(ROOT, "prod", "eu-west-1", "eu-west-1", at), /--dr-region: eu-west-1 equals --region/);
  const t = resolveTarget(ROOT, "prod", "eu-west-1", undefined, at);
  assert.deepEqual([t.stack, t.region, t.drRegion], ["drill-eu-west-1-202601051200", "eu-west-1", "us-east-1"]);
  assert.equal(drillStackName("ap-southeast-2", at), "drill-ap-southeast-2-202601051200");
  const o = drillConfigOverrides(t, { primaryStack: "acme/duespark-ops/prod", snapshotIdentifier: "arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:job-1" });
  assert.equal(o["aws:region"], "eu-west-1");
  const dr = JSON.parse(o["duespark-ops:dr"]);
  assert.deepEqual([dr.role, dr.primaryStack, dr.restore.source, dr.recordName], ["recovery", "acme/duespark-ops/prod", "snapshot", "drill.api.duespark.com"]);
  assert.match(JSON.parse(o["duespark-ops:alerting"]).pagerduty.serviceName, /DR drill eu-west-1$/);
});

test("RPO figures are read from the policy pack's RPO report", () => {
  const d = { policyName: "recovery-rpo", description: "x", message: 'x\nRPO report: RDS instance "db": own region 5 min (point-in-time recovery), DR region 24 h (cross-region copy schedule of rule daily); targets 15 min / 24 h.', enforcementLevel: "advisory", urn: "u" } as any;
  assert.deepEqual(rpoFromReport([d]).map((f) => [f.store, f.minutes, f.basis]), [['RDS instance "db"', 1440, "computed"]]);
  assert.deepEqual([parseDuration("5 min"), parseDuration("2 d"), parseDuration("never (no further run)")], [5, 2880, Infinity]);
});

function cli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  return spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "tools/dr-drill/cli.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 180000, env });
}

/** PATH without any directory holding a pulumi executable, plus `extra` first. */
function pathWithoutPulumi(extra: string[] = []): string {
  const dirs = (process.env.PATH ?? "").split(path.delimiter).filter((d) => d && !fs.existsSync(path.join(d, "pulumi")));
  return [...extra, ...dirs].join(path.delimiter);
}

const drillTempDirs = (tmp: string) => fs.readdirSync(tmp).filter((f) => f.startsWith("dr-drill-"));

test("the source's policy config is checked up front: invalid JSON is a usage error naming the file", () => {
  const t = resolveTarget(ROOT, "prod", "eu-west-1", undefined, new Date("2026-01-05T12:00:00Z"));
  const adapted = readDrillPolicyConfig(t)!;
  // Settings naming the DR region name the drill stack's.
  assert.ok(Object.values(adapted).some((e) => e && typeof e === "object" && (e as { drRegion?: string }).drRegion === "us-east-1"));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-policy-"));
  try {
    const file = path.join(dir, "policy-config.prod.json");
    fs.writeFileSync(file, '{ "recovery-rpo": { "drRegion": "us-west-2", }');
    const broken = { ...t, source: { ...t.source, project: { ...t.source.project, dir, stackConfigDir: "." } } };
    assert.throws(() => readDrillPolicyConfig(broken), (e: Error) => e instanceof UsageError && e.message.startsWith(`policy config file ${file} is not valid JSON`));
    fs.writeFileSync(file, "[]");
    assert.throws(() => readDrillPolicyConfig(broken), (e: Error) => e instanceof UsageError && e.message.includes(`${file} must hold a JSON object`));
    fs.rmSync(file);
    assert.equal(readDrillPolicyConfig(broken), undefined);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("--out is checked up front: a file, or a path under a file, is refused; a new directory is fine", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "drill-out-"));
  try {
    const file = path.join(dir, "report.txt");
    fs.writeFileSync(file, "x");
    assert.throws(() => checkOutDir(file), (e: Error) => e instanceof DrillUsageError && e.message === `--out: ${file} exists and is not a directory; name a directory for the report`);
    assert.throws(() => checkOutDir(path.join(file, "a", "b")), (e: Error) => e instanceof DrillUsageError && e.message === `--out: cannot create ${path.join(file, "a", "b")}: ${file} is a file, not a directory`);
    assert.equal(checkOutDir(path.join(dir, "new", "reports")), path.join(dir, "new", "reports"));
    // Checking creates nothing.
    assert.deepEqual(fs.readdirSync(dir), ["report.txt"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("bad input exits 2 with a clear message and no stack trace", () => {
  for (const [args, message] of [
    [["--from", "nope", "--region", "eu-west-1", "--offline"], /error: --from: unknown stack "nope"/],
    [["--from", "prod", "--region", "mars-1", "--offline"], /error: --region: "mars-1" is not an AWS region/],
    [["--from", "prod", "--region", "us-east-1", "--offline"], /error: --region: us-east-1 is the region of stack prod/],
    [["--region", "eu-west-1"], /error: --from is required/],
    [["--from", "prod", "--region", "eu-west-1", "--bogus"], /error: Unknown option '--bogus'/],
    [["--from", "prod", "--from", "dev", "--region", "eu-west-1", "--offline"], /error: --from is given more than once; give it once/],
    [["--from", "prod", "--region", "eu-west-1", "--region=ap-southeast-2", "--offline"], /error: --region is given more than once/],
    [["--from", "prod", "--region", "eu-west-1", "--offline", "--out", "package.json"], /^error: --out: \/.*\/package\.json exists and is not a directory; name a directory for the report\n$/],
    [["--from", "prod", "--region", "eu-west-1", "--offline", "--out", "package.json/reports"], /^error: --out: cannot create \/.*\/package\.json\/reports: \/.*\/package\.json is a file, not a directory\n$/],
  ] as [string[], RegExp][]) {
    const r = cli(args);
    assert.equal(r.status, 2, `${args.join(" ")}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

test("npm run dr-drill -- --from prod --region eu-west-1 --offline writes a complete report and passes", (t) => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "drill-report-"));
  t.after(() => fs.rmSync(out, { recursive: true, force: true }));
  // Its own temporary directory: the adapted policy config written there must be gone afterwards.
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drill-tmp-"));
  const r = cli(["--from", "prod", "--region", "eu-west-1", "--offline", "--out", out], { ...process.env, TMPDIR: tmp });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.deepEqual(drillTempDirs(tmp), []);
  fs.rmSync(tmp, { recursive: true, force: true });
  const files = fs.readdirSync(out).sort();
  assert.equal(files.length, 2);
  assert.match(files[0], /^dr-drill-drill-eu-west-1-\d{12}\.json$/);
  const report = JSON.parse(fs.readFileSync(path.join(out, files[0]), "utf8"));
  assert.equal(report.mode, "offline");
  assert.equal(report.result, "passed");
  assert.deepEqual(report.steps.map((s: any) => `${s.name}:${s.status}`), [
    "create-stack:passed", "configure:passed", "deploy:passed", "read-outputs:passed", "policy-pack:passed", "portability:passed",
    "database-restore:passed", "health-endpoints:passed", "rpo:passed", "destroy:passed", "remove-stack:passed",
  ]);
  assert.equal(report.verification["policy-pack"].mandatory, 0);
  assert.deepEqual(report.verification.portability.violations, []);
  assert.equal(report.verification["database-restore"].source, "pitr");
  assert.match(report.verification["database-restore"].from, /^arn:aws:rds:eu-west-1:\d{12}:auto-backup:ab-/);
  assert.deepEqual(report.rpo.findings.map((f: any) => [f.store, f.minutes, f.basis]), [['RDS instance "database-postgres"', 5, "computed"]]);
  assert.deepEqual([report.rpo.met, report.rto.met, report.rto.targetHours, report.rpo.targetHours], [true, null, 4, 24]);
  assert.match(report.incidentMessages.initial, /INCIDENT P0 \[drill-eu-west-1-\d{12}\]/);
  assert.match(fs.readFileSync(path.join(out, files[1]), "utf8"), /^# DR drill: prod -> eu-west-1 \(offline\)/);
  assert.match(r.stdout, /Result: PASSED/);
});

test("a positional URL is not echoed with its password", () => {
  const r = cli(["--from", "prod", "--region", "eu-west-1", "mysql://admin:S3cr3tPassw0rd@db.example.com/db"]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /error: Unexpected argument 'mysql:\/\/admin:\*\*\*@db\.example\.com\/db'/);
  assert.ok(!r.stderr.includes("S3cr3tPassw0rd"), r.stderr);
});

test("the online drill without the Pulumi CLI exits 2 before anything runs, and says to use --offline", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drill-tmp-"));
  try {
    const r = cli(["--from", "prod", "--region", "eu-west-1"], { ...process.env, PATH: pathWithoutPulumi(), TMPDIR: tmp });
    assert.equal(r.status, 2, r.stderr);
    assert.equal(r.stderr, "error: the Pulumi CLI is not installed or not on PATH: the online drill needs it (use --offline to rehearse without it)\n");
    assert.equal(r.stdout, "");
    assert.deepEqual(drillTempDirs(tmp), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("the online drill without AWS credentials exits 2 before the Pulumi CLI touches a stack", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "drill-tmp-"));
  try {
    // A stand-in CLI that answers `pulumi version` and records anything else it is asked.
    const bin = path.join(tmp, "bin");
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, "pulumi"), `#!/bin/sh\nif [ "$1" = version ]; then echo v3.200.0; exit 0; fi\necho "$@" >> "${path.join(tmp, "calls")}"\nexit 1\n`, { mode: 0o755 });
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: pathWithoutPulumi([bin]), TMPDIR: tmp, AWS_CONFIG_FILE: path.join(tmp, "none"), AWS_SHARED_CREDENTIALS_FILE: path.join(tmp, "none"), AWS_EC2_METADATA_DISABLED: "true" };
    for (const k of Object.keys(env)) if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE|WEB_IDENTITY_TOKEN_FILE|CONTAINER_CREDENTIALS_.*)$/.test(k)) delete env[k];
    const r = cli(["--from", "prod", "--region", "eu-west-1"], env);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /^error: no AWS credentials: the online drill needs them for eu-west-1 \(.+\); set AWS_PROFILE or the AWS_\* variables, or use --offline to rehearse without them$/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.equal(fs.existsSync(path.join(tmp, "calls")), false);
    assert.deepEqual(drillTempDirs(tmp), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
