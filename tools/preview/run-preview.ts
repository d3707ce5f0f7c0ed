/**
 * The offline preview: run a program for a stack under the mock engine (in
 * a worker process) while the policy pack starts (in its own process), then
 * analyse each resource as soon as it is registered, and the whole stack
 * once the program has finished. Same protocol and same inputs as
 * `pulumi preview --policy-pack`.
 */
import { fork } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { pathToFileURL } from "url";
import { secretShape } from "../../policies/lib/secret-material";
import { ResourceAnalysis } from "./analysis";
import { AnalyzeResult, Diagnostic, PackInfo, PolicyPackError, PolicyPackProcess } from "./analyzer";
import type { CapturedResource } from "./engine";
import { RawPolicyConfig, readPolicyConfigFile, resolvePolicyConfig, ResolvedPolicyConfig } from "./policy-config";
import type { WorkerMessage, WorkerRequest } from "./program-worker";
import { readProject, readStack, StackFile, UsageError } from "./stack-file";

export const ROOT = path.resolve(__dirname, "..", "..");

export interface PreviewOptions {
  programDir?: string;
  stack: string;
  packDir?: string;
  /** --policy-pack-config file; default <stackConfigDir>/policy-config.<stack>.json when it exists. */
  policyConfigFile?: string;
  /** Dry run (unknown computed values) unless false. */
  dryRun?: boolean;
  loader?: "bundle" | "ts-node";
  /** Max Analyze calls in flight. */
  concurrency?: number;
  onProgress?: (p: { registered: number; analysed: number; phase: string }) => void;
  /**
   * Plan a variant of `stack` without writing a stack file: the program runs
   * as stack `runAs` with these engine-config values laid over the file's
   * (namespaced keys, structured values as JSON text). The policy config
   * stays the source stack's. Used by DR drill rehearsals.
   */
  variant?: { runAs: string; config: Record<string, string> };
}

export interface ResourceVerdict {
  resource: CapturedResource;
  diagnostics: Diagnostic[];
  notApplicable: AnalyzeResult["notApplicable"];
}

export interface PreviewResult {
  project: string;
  stack: string;
  stackFile: string;
  programDir: string;
  dryRun: boolean;
  resources: CapturedResource[];
  outputs: Record<string, unknown>;
  pack: PackInfo;
  policyConfig: ResolvedPolicyConfig;
  policyConfigFile?: string;
  /** Per-resource analysis results, in registration order. */
  verdicts: ResourceVerdict[];
  /** AnalyzeStack diagnostics. */
  stackDiagnostics: Diagnostic[];
  /** Every diagnostic (resource and stack), for reports. */
  diagnostics: Diagnostic[];
  /** Strings that must never appear in any output (secret values, placeholders). */
  secretValues: string[];
  timings: { programMs: number; packStartMs: number; analyzeMs: number; analyzeStackMs: number; totalMs: number };
}

/** The program failed (throws, bad config, crash): exit 2. */
export class ProgramError extends Error {
  constructor(message: string, readonly kind: "config" | "program", readonly detail?: string) {
    super(message);
    this.name = "ProgramError";
  }
}

function runWorker(
  req: WorkerRequest,
  onResource: (r: CapturedResource) => void,
): Promise<{ outputs: Record<string, unknown>; durationMs: number }> {
  return new Promise((resolve, reject) => {
    const worker = fork(path.join(__dirname, "program-worker.ts"), [], {
      cwd: req.programDir,
      // Resolved here: a program directory need not have tsx (or any node_modules) of its own.
      execArgv: ["--import", pathToFileURL(require.resolve("tsx")).href],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: { ...process.env, PULUMI_NODEJS_PROJECT: req.project, PULUMI_NODEJS_STACK: req.stack },
    });
    let stderr = "";
    let settled = false;
    worker.stderr!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    // Program console output is not part of the preview's report; keep it for failures only.
    worker.stdout!.on("data", (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8000)));
    worker.on("message", (msg: WorkerMessage) => {
      if (msg.kind === "resource") onResource(msg.resource);
      else if (msg.kind === "done") {
        settled = true;
        resolve({ outputs: msg.outputs, durationMs: msg.durationMs });
      } else if (msg.kind === "error") {
        settled = true;
        reject(missingModule(`${msg.message}\n${msg.stack ?? ""}`, req.programDir) ?? new ProgramError(msg.message, msg.errorKind, msg.stack));
      }
    });
    worker.on("exit", (code, signal) => {
      if (!settled) {
        const missing = missingModule(stderr, req.programDir);
        if (missing) return reject(missing);
        const tail = stderr.trim().split("\n").slice(-12).join("\n");
        reject(new ProgramError(`the program process exited (${signal ?? `code ${code}`}) before finishing${tail ? `:\n${tail}` : ""}`, "program"));
      }
    });
    worker.send(req);
  });
}

/** A program that cannot load a module: the one line that says which, and what to do, without loader frames. */
function missingModule(text: string, programDir: string): ProgramError | undefined {
  if (!/Cannot find (module|package)|ERR_MODULE_NOT_FOUND|MODULE_NOT_FOUND/.test(text)) return undefined;
  const line = /(Cannot find (?:module|package) [^\n]*)/.exec(text)?.[1]?.trim();
  if (!line) return undefined;
  return new ProgramError(`the program cannot load: ${line}; run npm install in ${programDir}`, "program");
}

/** Delimiters between words of a message, kept when a word is replaced. */
const WORD_SPLIT = /([\s"'`,;()<>[\]{}=]+)/;
const PEM_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g;

/**
 * Replaces known secret values and anything shaped like secret material
 * (policies/lib/secret-material.ts) with [secret]: a program's error may
 * quote a value it got from pulumi.secret() or secure config.
 */
export function scrubSecrets(text: string, secretValues: readonly string[]): string {
  const known = redactText(text, secretValues).replace(PEM_BLOCK, "[secret]");
  return known
    .split(WORD_SPLIT)
    .map((word, i) => (i % 2 === 0 && word && secretShape(word) ? "[secret]" : word))
    .join("");
}

/** Collects plaintext values of secret wire objects (to scrub them from every message). */
function collectSecrets(value: unknown, out: Set<string>): void {
  if (Array.isArray(value)) return value.forEach((v) => collectSecrets(v, out));
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj["4dabf18193072939515e22adb298388d"] === "1b47061264138c4ac30d75fd1eb44270") {
      addPlain(obj.value, out);
      return;
    }
    for (const v of Object.values(obj)) collectSecrets(v, out);
  }
}

function addPlain(v: unknown, out: Set<string>): void {
  if (typeof v === "string") {
    if (v.length >= 4) out.add(v);
  } else if (Array.isArray(v)) v.forEach((x) => addPlain(x, out));
  else if (v && typeof v === "object") Object.values(v).forEach((x) => addPlain(x, out));
  else if (typeof v === "number" && String(v).length >= 4) out.add(String(v));
}

/** Every value that must not appear in an output: placeholders, secure config and secret inputs seen so far. */
function knownSecrets(stackFile: StackFile, resources: readonly CapturedResource[], outputs: Record<string, unknown>): string[] {
  const secrets = new Set<string>(stackFile.placeholders);
  for (const r of resources) collectSecrets(r.inputs, secrets);
  collectSecrets(outputs, secrets);
  for (const key of stackFile.secretKeys) addPlain(stackFile.config[key], secrets);
  return [...secrets].sort((a, b) => b.length - a.length);
}

/** Longest policy message kept in any output; a pack can report megabytes. */
export const MAX_MESSAGE_CHARS = 4000;
/** The exception note define.ts appends: kept when a message is cut, so the finding stays marked as exempted. */
const EXCEPTION_NOTE = /\n\[(?:exempted by exception|exception) "[^\n]*\]$/;

/** Cuts a diagnostic's specific message (the part after the policy description) to MAX_MESSAGE_CHARS. */
export function truncateMessage(message: string, description = ""): string {
  const prefix = description && message.startsWith(`${description}\n`) ? `${description}\n` : "";
  const body = message.slice(prefix.length);
  if (body.length <= MAX_MESSAGE_CHARS) return message;
  const note = EXCEPTION_NOTE.exec(body.slice(-2000))?.[0] ?? "";
  return `${prefix}${body.slice(0, MAX_MESSAGE_CHARS)}... (truncated, ${body.length} characters)${note}`;
}

export function loadStackFor(opts: PreviewOptions): StackFile {
  const programDir = path.resolve(opts.programDir ?? ROOT);
  const file = readStack(readProject(programDir), opts.stack);
  if (!opts.variant) return file;
  if (!/^[\w.-]+$/.test(opts.variant.runAs)) throw new UsageError(`variant stack name "${opts.variant.runAs}" is not a stack name (letters, digits, -, _, .)`);
  return { ...file, stack: opts.variant.runAs, config: { ...file.config, ...opts.variant.config } };
}

/**
 * This project validates its whole stack config before declaring anything;
 * running that check here as well fails a bad stack file in milliseconds,
 * before the pack starts or a single program module loads (a module that
 * does not load would otherwise hide the config mistake).
 */
function precheckProjectConfig(stackFile: StackFile): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseStackConfig } = require("../../config/load") as typeof import("../../config/load");
  try {
    parseStackConfig({ values: stackFile.config, secretKeys: new Set(stackFile.secretKeys) }, stackFile.stack);
  } catch (e) {
    const err = e as { isConfigError?: boolean; message?: string };
    if (err?.isConfigError) throw new ProgramError(String(err.message), "config");
    throw e;
  }
}

export async function runPreview(opts: PreviewOptions): Promise<PreviewResult> {
  const t0 = Date.now();
  const programDir = path.resolve(opts.programDir ?? ROOT);
  const packDir = path.resolve(opts.packDir ?? path.join(ROOT, "policies"));
  const stackFile = loadStackFor(opts);
  const stackName = stackFile.stack;
  const project = stackFile.project.name;
  const dryRun = opts.dryRun !== false;
  if (programDir === ROOT) precheckProjectConfig(stackFile);

  let policyConfigFile = opts.policyConfigFile;
  if (!policyConfigFile) {
    const candidate = path.join(programDir, stackFile.project.stackConfigDir, `policy-config.${opts.stack}.json`);
    if (fs.existsSync(candidate)) policyConfigFile = candidate;
  }
  const rawPolicyConfig: RawPolicyConfig = policyConfigFile ? readPolicyConfigFile(policyConfigFile) : {};

  // Start the pack while the program runs; configure it before the first Analyze.
  const packStart = Date.now();
  let packStartMs = 0;
  const packReady = (async () => {
    const proc = await PolicyPackProcess.start({ packDir, loader: opts.loader });
    try {
      const info = await proc.getInfo();
      const policyConfig = resolvePolicyConfig(info, rawPolicyConfig, policyConfigFile ?? "defaults");
      await proc.configure(policyConfig.entries);
      await proc.configureStack({
        stack: stackName,
        project,
        dryRun,
        config: stackFile.config,
        secretKeys: stackFile.secretKeys,
        tags: { "pulumi:project": project, "pulumi:runtime": "nodejs", environment: environmentOf(stackFile) },
      });
      packStartMs = Date.now() - packStart;
      return { proc, info, policyConfig };
    } catch (e) {
      await proc.close();
      throw e;
    }
  })();
  // Avoid an unhandled rejection while the program still runs; the error is rethrown below.
  packReady.catch(() => undefined);

  const ctx = { stack: stackName, project, config: stackFile.config, secretKeys: stackFile.secretKeys };
  const analysis = new ResourceAnalysis(
    packReady.then(({ proc }) => proc),
    ctx,
    { concurrency: opts.concurrency, onAnalysed: (analysed) => opts.onProgress?.({ registered: resources.length, analysed, phase: "analyze" }) },
  );
  const resources = analysis.resources;

  let programMs = 0;
  let outputs: Record<string, unknown> = {};
  try {
    const run = await runWorker(
      { programDir, main: stackFile.project.main, project, stack: stackName, config: stackFile.config, secretKeys: stackFile.secretKeys, preview: dryRun },
      (r) => {
        analysis.add(r);
        opts.onProgress?.({ registered: resources.length, analysed: analysis.analysed, phase: "program" });
      },
    );
    programMs = run.durationMs;
    outputs = run.outputs;
  } catch (e) {
    await packReady.then(({ proc }) => proc.close(), () => undefined);
    if (e instanceof ProgramError) {
      const secrets = knownSecrets(stackFile, resources, {});
      throw new ProgramError(scrubSecrets(e.message, secrets), e.kind, e.detail === undefined ? undefined : scrubSecrets(e.detail, secrets));
    }
    throw e;
  }

  let pack: Awaited<typeof packReady>;
  try {
    pack = await packReady;
  } catch (e) {
    throw e instanceof PolicyPackError || e instanceof UsageError ? e : new PolicyPackError(String((e as Error).message ?? e));
  }
  try {
    const { verdicts, analyzeMs } = await analysis.settle();
    opts.onProgress?.({ registered: resources.length, analysed: analysis.analysed, phase: "analyze-stack" });
    const s0 = Date.now();
    const stackResult = await analysis.analyzeStack(pack.proc);
    const analyzeStackMs = Date.now() - s0;

    const secretValues = knownSecrets(stackFile, resources, outputs);
    const scrub = (d: Diagnostic): Diagnostic => ({ ...d, message: truncateMessage(redactText(d.message, secretValues), d.description) });

    const finalVerdicts = verdicts.map((v) => ({ ...v, diagnostics: v.diagnostics.map(scrub) }));
    const stackDiagnostics = stackResult.diagnostics.map(scrub);
    return {
      project,
      stack: stackName,
      stackFile: stackFile.file,
      programDir,
      dryRun,
      resources,
      outputs,
      pack: pack.info,
      policyConfig: pack.policyConfig,
      policyConfigFile,
      verdicts: finalVerdicts,
      stackDiagnostics,
      diagnostics: [...finalVerdicts.flatMap((v) => v.diagnostics), ...stackDiagnostics],
      secretValues,
      timings: { programMs, packStartMs, analyzeMs, analyzeStackMs, totalMs: Date.now() - t0 },
    };
  } finally {
    await pack.proc.close();
  }
}

function environmentOf(stack: StackFile): string {
  return stack.config[`${stack.project.name}:environment`] ?? stack.stack;
}

/** Replaces every occurrence of a secret value with [secret]. */
export function redactText(text: string, secretValues: readonly string[]): string {
  let out = text;
  for (const s of secretValues) if (out.includes(s)) out = out.split(s).join("[secret]");
  return out;
}
