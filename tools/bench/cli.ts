/**
 * npm run bench -- [--sizes 1000,10000,20000] [--quick] [--json FILE]
 *
 * Measures the offline preview and the policy pack as ratios against
 * baselines measured in the same run (see docs/PERFORMANCE.md):
 *   1. preview end to end vs. the bare SDK registering the same program under mocks;
 *   2. policy evaluation through the analyzer protocol vs. direct in-process evaluation;
 *   3. per (resource x applicable policy) evaluation, ours vs. AWSGuard (@pulumi/awsguard);
 *   4. peak memory of the preview's processes at the largest size.
 */
import { ChildProcess, fork, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseArgs } from "util";
import { PolicyPackProcess, EnforcementLevel, PackInfo } from "../preview/analyzer";
import { resolvePolicyConfig } from "../preview/policy-config";
import { ProgramError, ROOT, runPreview } from "../preview/run-preview";
import type { ProviderContext } from "../preview/resources";
import { readProject, readStack, StackFile } from "../preview/stack-file";
import { ConfigEntries, evaluateDirect, evaluateThroughProtocol, EvalTiming, loadSdk, Tally } from "./evaluate";
import { cpuMsOf, cpuMsSelf, cpuMsSelfAndReapedChildren, waitForChildren } from "./proc-stats";
import { syntheticStack, toCaptured, typeMix } from "./synthetic";

const BENCH_DIR = __dirname;
const SYNTH_PROGRAM = path.join(BENCH_DIR, "fixtures", "synthetic-program");
const AWSGUARD_DIR = path.join(BENCH_DIR, "awsguard-pack");
const PACK_DIR = path.join(ROOT, "policies");

const TARGETS = { endToEnd: 1.5, evalAt10k: 2.0, growthPerDoubling: 2.1 } as const;

const USAGE = `Usage: npm run bench -- [options]

Options:
  --sizes <list>        synthetic stack sizes for policy evaluation   [default: 1000,10000,20000]
  --reps <n>            repetitions per measurement (median kept)     [default: 3]
  --memory-size <n>     resources of the synthetic program for peak memory [default: largest size]
  --e2e-size <n>        resources of the synthetic program for the end-to-end method check [default: 1000]
  --skip <list>         sections to skip: e2e,eval,awsguard,memory
  --quick               fast smoke run: sizes 300,600, 1 repetition, small programs
  --json <file>         also write the results as JSON
  -h, --help            show this help`;

interface Args {
  sizes: number[];
  reps?: number;
  memorySize: number;
  e2eSize: number;
  skip: Set<string>;
  quick: boolean;
  json?: string;
}

function parse(argv: string[]): Args {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      sizes: { type: "string" },
      reps: { type: "string" },
      "memory-size": { type: "string" },
      "e2e-size": { type: "string" },
      skip: { type: "string", default: "" },
      quick: { type: "boolean", default: false },
      json: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
    strict: true,
  });
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name: string, s: string) => {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name}: got "${s}"; expected a positive integer`);
    return n;
  };
  const sizes = (v.sizes ?? (v.quick ? "300,600" : "1000,10000,20000")).split(",").map((s) => int("sizes", s.trim()));
  sizes.sort((a, b) => a - b);
  const skip = new Set(v.skip!.split(",").map((s) => s.trim()).filter(Boolean));
  for (const s of skip) if (!["e2e", "eval", "awsguard", "memory"].includes(s)) throw new Error(`--skip: got "${s}"; allowed: e2e, eval, awsguard, memory`);
  return {
    sizes,
    reps: v.reps ? int("reps", v.reps) : v.quick ? 1 : undefined,
    memorySize: v["memory-size"] ? int("memory-size", v["memory-size"]) : sizes[sizes.length - 1],
    e2eSize: v["e2e-size"] ? int("e2e-size", v["e2e-size"]) : v.quick ? 200 : 1000,
    skip,
    quick: v.quick!,
    json: v.json,
  };
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const log = (msg: string) => process.stderr.write(`[bench] ${msg}\n`);
const loadAvg = () => os.loadavg().map((x) => round(x, 1));

// ---------------------------------------------------------------------------------------------
// 1. End to end: preview vs. bare registration under mocks

interface Run {
  wallMs: number;
  cpuMs: number;
}

function bareRun(programDir: string, stackFile: StackFile): Promise<Run & { count: number; maxRssMiB: number }> {
  return new Promise((resolve, reject) => {
    const c0 = cpuMsSelfAndReapedChildren();
    const t0 = performance.now();
    const child: ChildProcess = fork(path.join(BENCH_DIR, "bare-worker.ts"), [], {
      cwd: programDir,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: { ...process.env, PULUMI_NODEJS_PROJECT: stackFile.project.name, PULUMI_NODEJS_STACK: stackFile.stack },
    });
    let out = "";
    child.stdout!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
    child.stderr!.on("data", (d: Buffer) => (out = (out + d.toString()).slice(-4000)));
    let msg: { kind: string; count: number; maxRssMiB: number; message?: string } | undefined;
    child.on("message", (m: typeof msg) => (msg = m));
    child.on("exit", () => {
      const wallMs = performance.now() - t0;
      if (!msg || msg.kind !== "done") return reject(new Error(`bare run failed: ${msg?.message ?? out.trim().split("\n").slice(-8).join("\n")}`));
      resolve({ wallMs, cpuMs: cpuMsSelfAndReapedChildren() - c0, count: msg.count, maxRssMiB: msg.maxRssMiB });
    });
    child.send({
      programDir,
      main: stackFile.project.main,
      project: stackFile.project.name,
      stack: stackFile.stack,
      config: stackFile.config,
      secretKeys: stackFile.secretKeys,
      preview: true,
    });
  });
}

async function previewRun(programDir: string, stack: string): Promise<Run & { count: number; diagnostics: number; timings: Record<string, number> }> {
  await waitForChildren();
  const c0 = cpuMsSelfAndReapedChildren();
  const t0 = performance.now();
  const r = await runPreview({ stack, programDir });
  const wallMs = performance.now() - t0;
  // The program worker exits right after its last message; count its CPU time too.
  await waitForChildren();
  return { wallMs, cpuMs: cpuMsSelfAndReapedChildren() - c0, count: r.resources.length, diagnostics: r.diagnostics.length, timings: r.timings };
}

interface EndToEnd {
  program: string;
  stack: string;
  resources: number;
  reps: number;
  bare: { wallMs: number; cpuMs: number };
  preview: { wallMs: number; cpuMs: number; timings: Record<string, number> };
  ratioWall: number;
  ratioCpu: number;
  target: number;
  pass: boolean;
}

async function endToEnd(label: string, programDir: string, stack: string, reps: number): Promise<EndToEnd> {
  const stackFile = readStack(readProject(programDir), stack);
  const bare: Run[] = [];
  const prev: Awaited<ReturnType<typeof previewRun>>[] = [];
  let count = 0;
  for (let i = 0; i < reps; i++) {
    // Alternate the order so that drift in the machine's load hits both sides alike.
    const steps = i % 2 === 0 ? ["bare", "preview"] : ["preview", "bare"];
    for (const s of steps) {
      if (s === "bare") {
        const b = await bareRun(programDir, stackFile);
        bare.push(b);
        count = b.count;
      } else prev.push(await previewRun(programDir, stack));
    }
    log(`e2e ${label} rep ${i + 1}/${reps}: bare ${Math.round(bare[bare.length - 1].wallMs)} ms, preview ${Math.round(prev[prev.length - 1].wallMs)} ms`);
  }
  const bw = median(bare.map((b) => b.wallMs));
  const bc = median(bare.map((b) => b.cpuMs));
  const pw = median(prev.map((p) => p.wallMs));
  const pc = median(prev.map((p) => p.cpuMs));
  const mid = prev.find((p) => p.wallMs === pw) ?? prev[0];
  return {
    program: label,
    stack,
    resources: count,
    reps,
    bare: { wallMs: Math.round(bw), cpuMs: Math.round(bc) },
    preview: { wallMs: Math.round(pw), cpuMs: Math.round(pc), timings: mid.timings },
    ratioWall: round(pw / bw),
    ratioCpu: round(pc / bc),
    target: TARGETS.endToEnd,
    pass: pw / bw <= TARGETS.endToEnd,
  };
}

// ---------------------------------------------------------------------------------------------
// 2./3. Policy evaluation: protocol vs. direct; ours vs. AWSGuard per evaluation

interface StartedPack {
  proc: PolicyPackProcess;
  info: PackInfo;
  entries: ConfigEntries;
}

async function startPack(packDir: string, stackFile: StackFile, env: Record<string, string> = {}): Promise<StartedPack> {
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  Object.assign(process.env, env);
  let proc: PolicyPackProcess;
  try {
    proc = await PolicyPackProcess.start({ packDir });
  } finally {
    for (const [k, v] of Object.entries(saved)) if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  const info = await proc.getInfo();
  const { entries } = resolvePolicyConfig(info, {}, "defaults");
  await proc.configure(entries);
  await proc.configureStack({ stack: stackFile.stack, project: stackFile.project.name, dryRun: true, config: stackFile.config, secretKeys: stackFile.secretKeys, tags: stackTagsOf(stackFile) });
  return { proc, info, entries };
}

function stackTagsOf(stackFile: StackFile): Record<string, string> {
  return { "pulumi:project": stackFile.project.name, "pulumi:runtime": "nodejs", environment: "prod" };
}

function ensureAwsguard(): void {
  if (fs.existsSync(path.join(AWSGUARD_DIR, "node_modules", "@pulumi", "awsguard", "package.json"))) return;
  log("installing @pulumi/awsguard into tools/bench/awsguard-pack (first use only)");
  const npm = process.platform === "win32" ? "npm.cmd" : "npm";
  const r = spawnSync(npm, ["install", "--prefix", AWSGUARD_DIR, "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"], { stdio: ["ignore", "inherit", "inherit"] });
  if (r.status !== 0) throw new Error(`npm install --prefix ${AWSGUARD_DIR} failed (exit ${r.status})`);
}

interface SizeResult {
  resources: number;
  reps: number;
  protocol: EvalSummary;
  direct: EvalSummary;
  ratioWall: number;
  ratioCpu: number;
  /** Same violations on both paths (per policy counts). */
  agree: boolean;
  disagreements?: string[];
  violations: number;
  deferred: number;
  ours: PerEval;
  awsguard?: EvalSummary & PerEval;
  perPolicyMs?: Record<string, number>;
  /** Stack policies' own check time (SDK deserialisation excluded), best of 3. */
  stackCheckMs?: Record<string, number>;
}

interface EvalSummary {
  resourceMs: number;
  stackMs: number;
  totalMs: number;
  resourceCpuMs: number;
  stackCpuMs: number;
  totalCpuMs: number;
}

interface PerEval {
  /** Sum over resources of the policies whose declared types include the resource's type. */
  applicableEvaluations: number;
  /** Analyze phase wall time per applicable evaluation, microseconds. */
  usPerEvaluation: number;
  /** Analyze phase CPU time (client + pack) per applicable evaluation, microseconds. */
  cpuUsPerEvaluation: number;
  /** Analyze phase wall time per resource (every resource is sent, applicable or not), microseconds. */
  usPerResource: number;
}

function summarize(runs: EvalTiming[]): EvalSummary {
  const m = (k: keyof EvalSummary) => Math.round(median(runs.map((r) => r[k] as number)));
  return { resourceMs: m("resourceMs"), stackMs: m("stackMs"), totalMs: m("totalMs"), resourceCpuMs: m("resourceCpuMs"), stackCpuMs: m("stackCpuMs"), totalCpuMs: m("totalCpuMs") };
}

function perEval(s: EvalSummary, evaluations: number, resources: number): PerEval {
  return {
    usPerResource: round((s.resourceMs * 1000) / resources),
    applicableEvaluations: evaluations,
    usPerEvaluation: evaluations ? round((s.resourceMs * 1000) / evaluations) : 0,
    cpuUsPerEvaluation: evaluations ? round((s.resourceCpuMs * 1000) / evaluations) : 0,
  };
}

function compare(a: Tally, b: Tally): string[] {
  const out: string[] = [];
  for (const k of new Set([...Object.keys(a.byPolicy), ...Object.keys(b.byPolicy)])) {
    if ((a.byPolicy[k] ?? 0) !== (b.byPolicy[k] ?? 0)) out.push(`${k}: protocol ${a.byPolicy[k] ?? 0}, direct ${b.byPolicy[k] ?? 0}`);
  }
  return out;
}

function countApplicable(resources: readonly { type: string }[], policies: { types: readonly string[] }[]): number {
  const perType = new Map<string, number>();
  for (const p of policies) for (const t of new Set(p.types)) perType.set(t, (perType.get(t) ?? 0) + 1);
  return resources.reduce((n, r) => n + (perType.get(r.type) ?? 0), 0);
}

interface EvalReport {
  pack: { name: string; policies: number; resourcePolicies: number; stackPolicies: number; targetedTypes: number; genericTypes: string[] };
  awsguard?: { version: string; policies: number; resourcePolicies: number; disabled: string[]; targetedTypes: string[] } | { skipped: string };
  sizes: SizeResult[];
  growth?: { from: number; to: number; sizeRatio: number; protocolTotal: number; directTotal: number; protocolStack: number; directStack: number; target: number; pass: boolean };
  at10k?: { ratioWall: number; ratioCpu: number; target: number; pass: boolean };
  perEvaluation?: { resources: number; oursUs: number; awsguardUs: number; oursCpuUs: number; awsguardCpuUs: number; pass: boolean };
  superlinearPolicies: { name: string; growth: number; msAtLargest: number }[];
  mix: Record<string, number>;
}

async function evaluation(args: Args): Promise<EvalReport> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PACK_POLICIES } = require("../../policies/registry") as typeof import("../../policies/registry");
  const stackFile = readStack(readProject(SYNTH_PROGRAM), "bench");
  const ctx: ProviderContext = { stack: stackFile.stack, project: stackFile.project.name, config: stackFile.config, secretKeys: stackFile.secretKeys };
  const stackTags = new Map(Object.entries(stackTagsOf(stackFile)));
  const packTypes = PACK_POLICIES.flatMap((p) => [...p.resourceTypes]);
  const sdk = loadSdk(PACK_DIR);

  log("starting the policy pack");
  const ours = await startPack(PACK_DIR, stackFile);
  let guard: (StartedPack & { types: Record<string, { kind: string; types: string[] }> }) | undefined;
  // An interrupted run must not leave pack processes behind.
  const stop = () => {
    void Promise.all([ours.proc.close(), guard?.proc.close()]).finally(() => process.exit(130));
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  let guardNote: EvalReport["awsguard"];
  try {
    if (!args.skip.has("awsguard")) {
      try {
        ensureAwsguard();
        const typesFile = path.join(os.tmpdir(), `bench-awsguard-types-${process.pid}.json`);
        log("starting AWSGuard");
        const started = await startPack(AWSGUARD_DIR, stackFile, { BENCH_PACK_TYPES_FILE: typesFile });
        const types = JSON.parse(fs.readFileSync(typesFile, "utf8"));
        fs.rmSync(typesFile, { force: true });
        guard = { ...started, types };
        const version = JSON.parse(fs.readFileSync(path.join(AWSGUARD_DIR, "node_modules", "@pulumi", "awsguard", "package.json"), "utf8")).version;
        const disabled = Object.entries(started.entries).filter(([, e]) => e.enforcementLevel === "disabled").map(([n]) => n);
        const enabledResource = Object.entries(types as Record<string, { kind: string; types: string[] }>).filter(([n, t]) => t.kind === "resource" && !disabled.includes(n));
        guardNote = { version, policies: started.info.policies.length, resourcePolicies: enabledResource.length, disabled, targetedTypes: [...new Set(enabledResource.flatMap(([, t]) => t.types))].sort() };
      } catch (e) {
        guardNote = { skipped: (e as Error).message };
        log(`AWSGuard skipped: ${(e as Error).message}`);
      }
    } else guardNote = { skipped: "--skip awsguard" };

    const levelOf = (name: string): EnforcementLevel => ours.entries[name]?.enforcementLevel ?? "mandatory";
    const enabled = PACK_POLICIES.filter((p) => levelOf(p.meta.name) !== "disabled");
    const ourResourcePolicies = enabled.filter((p) => p.kind === "resource").map((p) => ({ types: p.resourceTypes }));
    const guardResourcePolicies = guard
      ? Object.entries(guard.types)
          .filter(([n, t]) => t.kind === "resource" && guard!.entries[n]?.enforcementLevel !== "disabled")
          .map(([, t]) => ({ types: t.types }))
      : [];
    const policies = PACK_POLICIES.map((p) => p.policy);

    const protocol = (proc: PolicyPackProcess, captured: ReturnType<typeof toCaptured>) =>
      evaluateThroughProtocol(proc, captured, ctx, () => cpuMsSelf() + cpuMsOf(proc.pid));
    const direct = (captured: ReturnType<typeof toCaptured>, profile = false) => evaluateDirect(sdk, policies, ours.entries, captured, ctx, stackTags, { profile });

    // Warm both paths up (JIT, lazy module loads) before anything is timed.
    const warm = toCaptured(syntheticStack(500, packTypes).resources, ctx.stack, ctx.project);
    await protocol(ours.proc, warm);
    await direct(warm);
    if (guard) await protocol(guard.proc, warm);

    const sizes: SizeResult[] = [];
    let mix: Record<string, number> = {};
    let genericTypes: string[] = [];
    // Repetitions go round all sizes (1k, 10k, 20k, 1k, ...) so that drift in the machine's load and heap
    // state hits every size alike; each stack is rebuilt right before it is measured and dropped after.
    const reps = args.reps ?? 3;
    const runs = new Map<number, { p: EvalTiming[]; d: EvalTiming[]; g: EvalTiming[] }>(args.sizes.map((n) => [n, { p: [], d: [], g: [] }]));
    const stackOf = (n: number) => {
      const synth = syntheticStack(n, packTypes);
      genericTypes = synth.genericTypes;
      return toCaptured(synth.resources, ctx.stack, ctx.project);
    };
    for (let i = 0; i < reps; i++) {
      for (const n of args.sizes) {
        const captured = stackOf(n);
        const { p, d, g } = runs.get(n)!;
        const order = [["protocol", "direct", "guard"], ["direct", "guard", "protocol"], ["guard", "protocol", "direct"]][i % 3];
        for (const step of order) {
          if (step === "protocol") p.push(await protocol(ours.proc, captured));
          else if (step === "direct") d.push(await direct(captured));
          else if (guard) g.push(await protocol(guard.proc, captured));
        }
        log(`eval ${n}: rep ${i + 1}/${reps}: protocol ${Math.round(p[i].totalMs)} ms, direct ${Math.round(d[i].totalMs)} ms${guard ? `, awsguard ${Math.round(g[i].totalMs)} ms` : ""}`);
      }
    }
    for (const n of args.sizes) {
      const captured = stackOf(n);
      mix = typeMix(captured);
      const { p, d, g } = runs.get(n)!;
      const profile = await direct(captured, true);
      const ps = summarize(p);
      const ds = summarize(d);
      const disagreements = [...compare(p[0].resources, d[0].resources), ...compare(p[0].stack, d[0].stack)];
      const result: SizeResult = {
        resources: n,
        reps,
        protocol: ps,
        direct: ds,
        ratioWall: round(ps.totalMs / ds.totalMs),
        ratioCpu: round(ps.totalCpuMs / ds.totalCpuMs),
        agree: disagreements.length === 0,
        disagreements: disagreements.length ? disagreements : undefined,
        violations: p[0].resources.violations + p[0].stack.violations,
        deferred: p[0].resources.deferred + p[0].stack.deferred,
        ours: perEval(ps, countApplicable(captured, ourResourcePolicies), n),
        perPolicyMs: Object.fromEntries(Object.entries(profile.perPolicyMs ?? {}).map(([k, v]) => [k, round(v, 1)])),
        stackCheckMs: Object.fromEntries(Object.entries(profile.stackCheckMs ?? {}).map(([k, v]) => [k, round(v, 1)])),
      };
      if (guard) {
        const gs = summarize(g);
        result.awsguard = { ...gs, ...perEval(gs, countApplicable(captured, guardResourcePolicies), n) };
      }
      sizes.push(result);
    }

    const report: EvalReport = {
      pack: {
        name: ours.info.name,
        policies: PACK_POLICIES.length,
        resourcePolicies: PACK_POLICIES.filter((p) => p.kind === "resource").length,
        stackPolicies: PACK_POLICIES.filter((p) => p.kind === "stack").length,
        targetedTypes: new Set(packTypes).size,
        genericTypes,
      },
      awsguard: guardNote,
      sizes,
      superlinearPolicies: [],
      mix,
    };
    const at10k = sizes.find((s) => s.resources === 10_000);
    if (at10k) report.at10k = { ratioWall: at10k.ratioWall, ratioCpu: at10k.ratioCpu, target: TARGETS.evalAt10k, pass: at10k.ratioWall <= TARGETS.evalAt10k };
    if (sizes.length >= 2) {
      const [a, b] = sizes.slice(-2);
      const sizeRatio = b.resources / a.resources;
      const target = round((TARGETS.growthPerDoubling / 2) * sizeRatio);
      const g = (x: number, y: number) => round(y / Math.max(x, 1));
      const growth = {
        from: a.resources,
        to: b.resources,
        sizeRatio: round(sizeRatio),
        protocolTotal: g(a.protocol.totalMs, b.protocol.totalMs),
        directTotal: g(a.direct.totalMs, b.direct.totalMs),
        protocolStack: g(a.protocol.stackMs, b.protocol.stackMs),
        directStack: g(a.direct.stackMs, b.direct.stackMs),
        target,
        pass: false,
      };
      growth.pass = growth.protocolTotal <= target && growth.directTotal <= target;
      report.growth = growth;
      for (const [name, ms] of Object.entries(b.stackCheckMs ?? {})) {
        const before = a.stackCheckMs?.[name] ?? 0;
        // Ignore checks too cheap to time reliably.
        if (ms >= 20 && before > 0 && ms / before > target * 1.2) report.superlinearPolicies.push({ name, growth: round(ms / before), msAtLargest: Math.round(ms) });
      }
    }
    const largest = sizes[sizes.length - 1];
    if (largest?.awsguard) {
      report.perEvaluation = {
        resources: largest.resources,
        oursUs: largest.ours.usPerEvaluation,
        awsguardUs: largest.awsguard.usPerEvaluation,
        oursCpuUs: largest.ours.cpuUsPerEvaluation,
        awsguardCpuUs: largest.awsguard.cpuUsPerEvaluation,
        pass: largest.ours.usPerEvaluation <= largest.awsguard.usPerEvaluation,
      };
    }
    return report;
  } finally {
    process.off("SIGINT", stop);
    process.off("SIGTERM", stop);
    await ours.proc.close();
    await guard?.proc.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 4. Peak memory

interface MemoryReport {
  resources: number;
  wallMs: number;
  previewPeakMiB: number;
  workerPeakMiB?: number;
  packPeakMiB?: number;
  /** Peak of the bare registration (same program and size, no preview): what the SDK itself needs. */
  bareWorkerPeakMiB?: number;
  timings: Record<string, number>;
}

function memory(n: number, packTypes: string[]): Promise<MemoryReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(BENCH_DIR, "memory-run.ts")], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, BENCH_RESOURCES: String(n), BENCH_PACK_TYPES: JSON.stringify(packTypes) },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    child.on("exit", (code) => {
      const line = out.trim().split("\n").pop() ?? "";
      if (code !== 0 || !line.startsWith("{")) return reject(new Error(`memory run failed (exit ${code}): ${err.trim().split("\n").slice(-8).join("\n")}`));
      const r = JSON.parse(line);
      resolve({
        resources: r.resources,
        wallMs: r.wallMs,
        previewPeakMiB: Math.round(r.previewPeakMiB),
        workerPeakMiB: r.workerPeakMiB && Math.round(r.workerPeakMiB),
        packPeakMiB: r.packPeakMiB && Math.round(r.packPeakMiB),
        timings: r.timings,
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------

function table(rows: (string | number)[][]): string {
  const cells = rows.map((r) => r.map(String));
  const widths = cells[0].map((_, c) => Math.max(...cells.map((r) => (r[c] ?? "").length)));
  return cells.map((r) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]) : x.padStart(widths[c]))).join("  ")).join("\n");
}

const ok = (pass: boolean) => (pass ? "ok" : "MISSED");

function render(report: BenchReport): string {
  const out: string[] = [];
  out.push(`duespark-ops benchmark, ${report.date} (node ${report.machine.node}, ${report.machine.cpus} cpus, load ${report.machine.loadBefore.join("/")} -> ${report.machine.loadAfter.join("/")})`);
  out.push("Times are medians; ratios are what the targets apply to (absolute times depend on the machine's load).");
  for (const e of report.endToEnd) {
    if ("skipped" in e) {
      out.push(`\n1. End to end (${e.program}): not measured: ${e.skipped}`);
      continue;
    }
    out.push(`\n1. End to end, ${e.program} (${e.resources} resources, ${e.reps} reps): preview vs. bare SDK registration under mocks`);
    out.push(
      table([
        ["", "wall ms", "cpu ms"],
        ["bare registration", e.bare.wallMs, e.bare.cpuMs],
        ["offline preview", e.preview.wallMs, e.preview.cpuMs],
        ["ratio", `${e.ratioWall}x`, `${e.ratioCpu}x`],
      ]),
    );
    out.push(`target <= ${e.target}x (wall): ${ok(e.pass)}; preview phases: ${Object.entries(e.preview.timings).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  }
  const ev = report.evaluation;
  if (ev && !("skipped" in ev)) {
    out.push(`\n2. Policy evaluation: analyzer protocol (Analyze x N + AnalyzeStack) vs. direct in-process evaluation`);
    out.push(`   pack ${ev.pack.name}: ${ev.pack.policies} policies (${ev.pack.resourcePolicies} resource, ${ev.pack.stackPolicies} stack), ${ev.pack.targetedTypes} target types${ev.pack.genericTypes.length ? `; generic resources for ${ev.pack.genericTypes.length} unmodelled types` : ""}`);
    out.push(
      table([
        ["resources", "protocol ms", "(analyze+stack)", "direct ms", "(resource+stack)", "ratio wall", "ratio cpu", "violations", "deferred", "same verdicts"],
        ...ev.sizes.map((s) => [
          s.resources,
          s.protocol.totalMs,
          `${s.protocol.resourceMs}+${s.protocol.stackMs}`,
          s.direct.totalMs,
          `${s.direct.resourceMs}+${s.direct.stackMs}`,
          `${s.ratioWall}x`,
          `${s.ratioCpu}x`,
          s.violations,
          s.deferred,
          s.agree ? "yes" : "NO",
        ]),
      ]),
    );
    if (ev.at10k) out.push(`at 10,000: ${ev.at10k.ratioWall}x wall, ${ev.at10k.ratioCpu}x cpu; target <= ${ev.at10k.target}x: ${ok(ev.at10k.pass)}`);
    if (ev.growth) {
      const g = ev.growth;
      out.push(`growth ${g.from} -> ${g.to} (x${g.sizeRatio}): protocol ${g.protocolTotal}, direct ${g.directTotal} (stack phase: protocol ${g.protocolStack}, direct ${g.directStack}); target <= ${g.target}: ${ok(g.pass)}`);
    }
    const last = ev.sizes[ev.sizes.length - 1];
    const prev = ev.sizes[ev.sizes.length - 2];
    const checks = Object.entries(last.stackCheckMs ?? {}).sort((x, y) => y[1] - x[1]).slice(0, 6);
    if (checks.length) {
      out.push(`stack policies' own checks at ${last.resources} (ms, best of 3, SDK deserialisation excluded${prev ? `; growth from ${prev.resources}` : ""}):`);
      out.push(`   ${checks.map(([n, ms]) => `${n} ${ms}${prev?.stackCheckMs?.[n] ? ` (x${round(ms / Math.max(prev.stackCheckMs[n], 0.1))})` : ""}`).join(", ")}`);
    }
    out.push(`superlinear stack policies: ${ev.superlinearPolicies.length ? ev.superlinearPolicies.map((p) => `${p.name} x${p.growth} (${p.msAtLargest} ms)`).join(", ") : "none"}`);
    for (const s of ev.sizes) if (!s.agree) out.push(`verdicts differ at ${s.resources}: ${s.disagreements!.join("; ")}`);
    const slowest = Object.entries(last.perPolicyMs ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 5);
    if (slowest.length) out.push(`costliest policies at ${last.resources} in direct evaluation, SDK deserialisation included (ms): ${slowest.map(([n, ms]) => `${n} ${ms}`).join(", ")}`);

    out.push(`\n3. Per (resource x applicable policy) evaluation, Analyze phase through the protocol: ours vs. AWSGuard`);
    if (ev.awsguard && "skipped" in ev.awsguard) out.push(`AWSGuard not measured: ${ev.awsguard.skipped}`);
    else if (ev.awsguard) {
      out.push(`   AWSGuard ${ev.awsguard.version}: ${ev.awsguard.resourcePolicies} resource policies enabled (disabled: ${ev.awsguard.disabled.join(", ")}), types: ${ev.awsguard.targetedTypes.length}`);
      out.push(
        table([
          ["resources", "ours evals", "us/eval", "cpu us/eval", "us/resource", "awsguard evals", "us/eval", "cpu us/eval", "us/resource"],
          ...ev.sizes.map((s) => [
            s.resources,
            s.ours.applicableEvaluations,
            s.ours.usPerEvaluation,
            s.ours.cpuUsPerEvaluation,
            s.ours.usPerResource,
            s.awsguard?.applicableEvaluations ?? "-",
            s.awsguard?.usPerEvaluation ?? "-",
            s.awsguard?.cpuUsPerEvaluation ?? "-",
            s.awsguard?.usPerResource ?? "-",
          ]),
        ]),
      );
      if (ev.perEvaluation) out.push(`at ${ev.perEvaluation.resources}: ours ${ev.perEvaluation.oursUs} us vs. AWSGuard ${ev.perEvaluation.awsguardUs} us per evaluation; target ours <= AWSGuard: ${ok(ev.perEvaluation.pass)}`);
    }
  } else if (ev) out.push(`\n2./3. Policy evaluation: not measured: ${ev.skipped}`);
  const m = report.memory;
  if (m && !("skipped" in m)) {
    out.push(`\n4. Peak memory (max RSS) of the offline preview of the synthetic program, ${m.resources} resources (${Math.round(m.wallMs / 1000)} s)`);
    out.push(
      table([
        ["process", "peak MiB"],
        ["preview (CLI side)", m.previewPeakMiB],
        ["program worker", m.workerPeakMiB ?? "?"],
        ["(bare registration, same program)", m.bareWorkerPeakMiB ?? "?"],
        ["policy pack", m.packPeakMiB ?? "?"],
        ["sum of the preview's three", m.previewPeakMiB + (m.workerPeakMiB ?? 0) + (m.packPeakMiB ?? 0)],
      ]),
    );
  } else if (m) out.push(`\n4. Peak memory: not measured: ${m.skipped}`);
  return out.join("\n");
}

interface BenchReport {
  date: string;
  machine: { node: string; cpus: number; loadBefore: number[]; loadAfter: number[] };
  options: { sizes: number[]; reps?: number; quick: boolean };
  endToEnd: (EndToEnd | { program: string; skipped: string })[];
  evaluation?: EvalReport | { skipped: string };
  memory?: MemoryReport | { skipped: string };
  durationS: number;
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  const t0 = Date.now();
  const report: BenchReport = {
    date: new Date().toISOString(),
    machine: { node: process.version, cpus: os.cpus().length, loadBefore: loadAvg(), loadAfter: [] },
    options: { sizes: args.sizes, reps: args.reps, quick: args.quick },
    endToEnd: [],
    durationS: 0,
  };

  if (!args.skip.has("eval")) report.evaluation = await evaluation(args);
  else report.evaluation = { skipped: "--skip eval" };

  if (!args.skip.has("e2e")) {
    const reps = args.reps ?? 3;
    try {
      report.endToEnd.push(await endToEnd("prod stack (index.ts)", ROOT, "prod", reps));
    } catch (e) {
      const msg = e instanceof ProgramError ? `the program does not run yet: ${e.message.split("\n")[0]}` : String((e as Error).message).split("\n")[0];
      report.endToEnd.push({ program: "prod stack (index.ts)", skipped: msg });
      log(`e2e prod not measured: ${msg}`);
    }
    // The same method on the synthetic program, so the measurement is checked even while prod does not run.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PACK_POLICIES } = require("../../policies/registry") as typeof import("../../policies/registry");
    process.env.BENCH_RESOURCES = String(args.e2eSize);
    process.env.BENCH_PACK_TYPES = JSON.stringify(PACK_POLICIES.flatMap((p) => [...p.resourceTypes]));
    report.endToEnd.push(await endToEnd(`synthetic program (${args.e2eSize})`, SYNTH_PROGRAM, "bench", reps));
  }

  if (!args.skip.has("memory")) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { PACK_POLICIES } = require("../../policies/registry") as typeof import("../../policies/registry");
    log(`peak memory at ${args.memorySize} resources`);
    const packTypes = PACK_POLICIES.flatMap((p) => [...p.resourceTypes]);
    const m = await memory(args.memorySize, packTypes);
    process.env.BENCH_RESOURCES = String(args.memorySize);
    process.env.BENCH_PACK_TYPES = JSON.stringify(packTypes);
    m.bareWorkerPeakMiB = Math.round((await bareRun(SYNTH_PROGRAM, readStack(readProject(SYNTH_PROGRAM), "bench"))).maxRssMiB);
    report.memory = m;
  } else report.memory = { skipped: "--skip memory" };

  report.machine.loadAfter = loadAvg();
  report.durationS = Math.round((Date.now() - t0) / 1000);
  process.stdout.write(`${render(report)}\n`);
  if (args.json) {
    fs.mkdirSync(path.dirname(path.resolve(args.json)), { recursive: true });
    fs.writeFileSync(args.json, `${JSON.stringify(report, null, 2)}\n`);
    process.stdout.write(`wrote ${args.json}\n`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`bench failed: ${(e as Error)?.stack ?? e}\n`);
    process.exit(2);
  },
);
