/**
 * Runs a CrossGuard policy pack as its own process and talks to it over
 * the analyzer gRPC protocol, as the Pulumi CLI does: the SDK's
 * run-policy-pack entry is started with an engine address and the pack
 * directory, prints its port on stdout, and is then driven with
 * GetAnalyzerInfo, Configure, ConfigureStack, Analyze and AnalyzeStack.
 *
 * Loader "bundle" (default) compiles the pack's TypeScript ahead of time
 * with esbuild and runs the same entry on the JavaScript, which avoids
 * ts-node type-checking the pack on every start. Loader "ts-node" runs the
 * TypeScript sources exactly as the CLI would.
 */
import { ChildProcess, spawn } from "child_process";
import * as esbuild from "esbuild";
import * as fs from "fs";
import * as http2 from "http2";
import * as path from "path";
import { encodeStruct, ProtoWriter } from "./wire";

export type EnforcementLevel = "advisory" | "mandatory" | "disabled" | "remediate";
export type Severity = "unspecified" | "low" | "medium" | "high" | "critical";

export interface PolicyInfo {
  name: string;
  displayName: string;
  description: string;
  enforcementLevel: EnforcementLevel;
  severity: Severity;
  framework?: { name: string; version: string; reference: string; specification: string };
  tags: string[];
  remediationSteps: string;
  url: string;
  configSchema?: { properties: Record<string, any>; required: string[] };
}

export interface PackInfo {
  name: string;
  version: string;
  description: string;
  supportsConfig: boolean;
  policies: PolicyInfo[];
  initialConfig: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>;
}

export interface Diagnostic {
  policyName: string;
  policyPackName: string;
  policyPackVersion: string;
  description: string;
  message: string;
  enforcementLevel: EnforcementLevel;
  urn: string;
  severity: Severity;
}

export interface AnalyzeResult {
  diagnostics: Diagnostic[];
  notApplicable: { policyName: string; reason: string }[];
}

export interface AnalyzerResourceInput {
  urn: string;
  type: string;
  name: string;
  /** Wire-form properties (secret markers, unknown sentinels). */
  properties: Record<string, unknown>;
  options: {
    protect: boolean;
    ignoreChanges: string[];
    deleteBeforeReplace: boolean;
    additionalSecretOutputs: string[];
    aliases: string[];
    parent?: string;
  };
  provider?: { type: string; urn: string; name: string; properties: Record<string, unknown> };
  parent?: string;
  dependencies: string[];
  propertyDependencies: Record<string, string[]>;
}

export interface PolicyConfigEntry {
  enforcementLevel?: EnforcementLevel;
  [key: string]: unknown;
}

export class PolicyPackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PolicyPackError";
  }
}

const LEVELS: EnforcementLevel[] = ["advisory", "mandatory", "disabled", "remediate"];
const SEVERITIES: Severity[] = ["unspecified", "low", "medium", "high", "critical"];

// The generated protocol stubs ship with the SDK.
/* eslint-disable @typescript-eslint/no-require-imports */
const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const analyzerPb = require(path.join(sdkRoot, "proto", "analyzer_pb"));
const analyzerGrpc = require(path.join(sdkRoot, "proto", "analyzer_grpc_pb"));
const grpc = require(require.resolve("@grpc/grpc-js", { paths: [sdkRoot] }));
const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkRoot] }));
const emptyPb = require(require.resolve("google-protobuf/google/protobuf/empty_pb", { paths: [sdkRoot] }));
/* eslint-enable @typescript-eslint/no-require-imports */

function toStruct(obj: Record<string, unknown>): any {
  return structPb.Struct.fromJavaScript(obj as never);
}

/**
 * Analyze and AnalyzeStack: one call per resource, the preview's hot path.
 * Their requests are encoded here (tools/preview/wire.ts: the same bytes as
 * the generated messages, without a message object per property value) and
 * sent as plain gRPC unary calls over one HTTP/2 session, without
 * grpc-js's per-call client machinery, which cost more CPU than the
 * encoding. The other calls go through the generated grpc-js client.
 */
class UnaryChannel {
  private session: http2.ClientHttp2Session | undefined;

  constructor(private readonly authority: string) {}

  private connect(): http2.ClientHttp2Session {
    if (!this.session || this.session.closed || this.session.destroyed) {
      // maxSessionMemory (MB): AnalyzeStack of a large stack is one big message.
      this.session = http2.connect(this.authority, { maxSessionMemory: 1024 });
      // Failures surface on the calls (as UNAVAILABLE), like grpc-js reports them.
      this.session.on("error", () => undefined);
    }
    return this.session;
  }

  /** Calls back with `{ code, details }` on failure, the shape of a grpc-js error. */
  call(rpcPath: string, body: Buffer, decode: (b: Uint8Array) => unknown, cb: (err: { code: number; details: string } | null, resp?: unknown) => void): void {
    let done = false;
    const finish = (err: { code: number; details: string } | null, resp?: unknown) => {
      if (done) return;
      done = true;
      cb(err, resp);
    };
    let req: http2.ClientHttp2Stream;
    try {
      req = this.connect().request({ ":method": "POST", ":path": rpcPath, "content-type": "application/grpc", te: "trailers" });
    } catch (e) {
      return finish({ code: grpc.status.UNAVAILABLE, details: String((e as Error).message) });
    }
    const chunks: Buffer[] = [];
    let status: number | undefined;
    let message = "";
    const readStatus = (h: http2.IncomingHttpHeaders) => {
      if (h["grpc-status"] === undefined) return;
      status = Number(h["grpc-status"]);
      message = decodeURIComponent(String(h["grpc-message"] ?? ""));
    };
    req.on("response", readStatus);
    req.on("trailers", readStatus);
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", (e: Error) => finish({ code: grpc.status.UNAVAILABLE, details: e.message }));
    req.on("close", () => {
      if (status === undefined) return finish({ code: grpc.status.UNAVAILABLE, details: `connection to the policy pack closed (HTTP/2 code ${req.rstCode})` });
      if (status !== grpc.status.OK) return finish({ code: status, details: message });
      const buf = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
      // gRPC framing: compressed flag (never set here: no compression is negotiated), 4-byte length, message.
      if (buf.length < 5 || buf[0] !== 0) return finish({ code: grpc.status.INTERNAL, details: "malformed response from the policy pack" });
      try {
        finish(null, decode(new Uint8Array(buf.buffer, buf.byteOffset + 5, buf.readUInt32BE(1))));
      } catch (e) {
        finish({ code: grpc.status.INTERNAL, details: String((e as Error).message) });
      }
    });
    const prefix = Buffer.alloc(5);
    prefix.writeUInt32BE(body.length, 1);
    req.write(prefix);
    req.end(body);
  }

  close(): void {
    this.session?.close();
  }
}

const UNARY: Record<string, { path: string; decode: (b: Uint8Array) => unknown }> = {
  analyze: { path: "/pulumirpc.Analyzer/Analyze", decode: (b) => analyzerPb.AnalyzeResponse.deserializeBinary(b) },
  analyzeStack: { path: "/pulumirpc.Analyzer/AnalyzeStack", decode: (b) => analyzerPb.AnalyzeResponse.deserializeBinary(b) },
};

let bundleCount = 0;

/** Compiles a TypeScript pack into one JavaScript file next to its dependencies, once per content hash. */
function bundlePack(packDir: string): string {
  const pkgFile = path.join(packDir, "package.json");
  if (!fs.existsSync(pkgFile)) throw new PolicyPackError(`${packDir} is not a policy pack: package.json is missing`);
  if (!fs.existsSync(path.join(packDir, "PulumiPolicy.yaml"))) throw new PolicyPackError(`${packDir} is not a policy pack: PulumiPolicy.yaml is missing`);
  const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8"));
  const entryCandidates = [pkg.main, "index.ts", "index.js"].filter(Boolean).map((m: string) => path.join(packDir, m));
  const entry = entryCandidates.find((f) => fs.existsSync(f));
  if (!entry) throw new PolicyPackError(`${packDir}: no entry file (package.json main, index.ts or index.js)`);
  // Inside node_modules so that the bundle resolves the pack's own dependencies, hoisted or not.
  // One folder per pack process, not per calling process: close() removes it, and concurrent
  // previews in one process (and test files) must never share or delete each other's bundle.
  const outDir = path.join(packDir, "node_modules", ".cache", "offline-policy-pack", `${process.pid}-${++bundleCount}`);
  fs.mkdirSync(outDir, { recursive: true });
  let result: esbuild.BuildResult;
  try {
    result = esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      target: "node20",
      format: "cjs",
      sourcemap: "inline",
      packages: "external",
      outfile: path.join(outDir, "index.js"),
      logLevel: "silent",
    });
  } catch (e) {
    const errors = (e as { errors?: esbuild.Message[] }).errors ?? [];
    const first = errors[0];
    throw new PolicyPackError(
      `policy pack ${packDir} does not compile: ${first ? `${first.location?.file}:${first.location?.line}: ${first.text}` : (e as Error).message}`,
    );
  }
  void result;
  fs.writeFileSync(path.join(outDir, "package.json"), JSON.stringify({ ...pkg, main: "index.js" }, null, 2));
  fs.copyFileSync(path.join(packDir, "PulumiPolicy.yaml"), path.join(outDir, "PulumiPolicy.yaml"));
  return outDir;
}

export interface StartOptions {
  packDir: string;
  loader?: "bundle" | "ts-node";
  /** Seconds to wait for the pack to print its port. */
  startTimeoutSeconds?: number;
  /**
   * Seconds one call may take before the pack is considered hung, killed and
   * the preview failed (default 300, or DUESPARK_POLICY_TIMEOUT_SECONDS).
   */
  callTimeoutSeconds?: number;
}

/** Loaded with -r into the pack process: any uncaught error ends it (fail closed; see the file). */
const FAIL_CLOSED = path.join(__dirname, "pack-fail-closed.cjs");

function defaultCallTimeoutSeconds(): number {
  const fromEnv = Number(process.env.DUESPARK_POLICY_TIMEOUT_SECONDS);
  return Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : 300;
}

export class PolicyPackProcess {
  private readonly client: any;
  private readonly unary: UnaryChannel;
  private exited: { code: number | null; signal: string | null } | undefined;
  private stderr = "";
  private closing = false;
  private readonly exitWaiters: ((e: Error) => void)[] = [];

  private constructor(
    private readonly child: ChildProcess,
    port: number,
    private readonly runDir: string | undefined,
    private readonly callTimeoutMs: number,
  ) {
    this.unary = new UnaryChannel(`http://127.0.0.1:${port}`);
    this.client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), {
      "grpc.max_receive_message_length": 400 * 1024 * 1024,
      "grpc.max_send_message_length": 400 * 1024 * 1024,
    });
    child.stderr?.on("data", (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-8000);
    });
    child.on("exit", (code, signal) => {
      this.exited = { code, signal };
      if (!this.closing) for (const w of this.exitWaiters.splice(0)) w(this.deathError());
    });
  }

  static async start(opts: StartOptions): Promise<PolicyPackProcess> {
    const packDir = path.resolve(opts.packDir);
    if (!fs.existsSync(packDir) || !fs.statSync(packDir).isDirectory()) throw new PolicyPackError(`policy pack directory ${packDir} does not exist`);
    let runner: string;
    try {
      runner = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] })), "cmd", "run-policy-pack");
    } catch {
      throw new PolicyPackError(`the policy pack's dependencies are not installed (no @pulumi/pulumi reachable from ${packDir}); run npm install there`);
    }
    const runDir = opts.loader === "ts-node" ? packDir : bundlePack(packDir);
    try {
      return await PolicyPackProcess.spawnPack(opts, packDir, runDir, runner);
    } catch (e) {
      // A pack that never served leaves no bundle behind.
      if (runDir !== packDir) fs.rmSync(runDir, { recursive: true, force: true });
      throw e;
    }
  }

  private static async spawnPack(opts: StartOptions, packDir: string, runDir: string, runner: string): Promise<PolicyPackProcess> {
    // The first argument is the engine address; this pack logs nothing to the engine, so a closed port is fine.
    // The bundle is JavaScript: a lighter runner than the SDK's (see pack-runner.js); ts-node keeps the CLI's.
    if (opts.loader !== "ts-node") runner = path.join(__dirname, "pack-runner.js");
    const child = spawn(process.execPath, ["-r", FAIL_CLOSED, runner, "127.0.0.1:0", "."], { cwd: runDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } });
    const port = await new Promise<number>((resolve, reject) => {
      let out = "";
      let err = "";
      const timer = setTimeout(() => {
        child.kill("SIGKILL");
        reject(new PolicyPackError(`policy pack ${packDir} did not start within ${opts.startTimeoutSeconds ?? 120} s\n${err.slice(-2000)}`));
      }, (opts.startTimeoutSeconds ?? 120) * 1000);
      child.stdout!.on("data", (d: Buffer) => {
        out += d.toString();
        const m = /^(\d+)\s*$/m.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(Number(m[1]));
        }
      });
      child.stderr!.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new PolicyPackError(`policy pack ${packDir} exited with code ${code} before serving:\n${err.trim().split("\n").slice(-15).join("\n")}`));
      });
    });
    child.stdout!.removeAllListeners("data");
    child.removeAllListeners("exit");
    return new PolicyPackProcess(child, port, opts.loader === "ts-node" ? undefined : runDir, (opts.callTimeoutSeconds ?? defaultCallTimeoutSeconds()) * 1000);
  }

  private deathError(): PolicyPackError {
    const how = this.exited?.signal ? `signal ${this.exited.signal}` : `code ${this.exited?.code}`;
    return new PolicyPackError(`policy pack process died (${how})${this.stderr ? `:\n${this.stderr.trim().split("\n").slice(-15).join("\n")}` : ""}`);
  }

  private call<T>(method: string, request: unknown): Promise<T> {
    if (this.exited) return Promise.reject(this.deathError());
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const onDeath = (e: Error) => {
        if (!settled) {
          settled = true;
          reject(e);
        }
      };
      this.exitWaiters.push(onDeath);
      // A pack that never answers would hang the preview forever: fail it instead.
      const timer = setTimeout(() => {
        if (settled) return;
        settled = true;
        const i = this.exitWaiters.indexOf(onDeath);
        if (i >= 0) this.exitWaiters.splice(i, 1);
        this.child.kill("SIGKILL");
        reject(new PolicyPackError(`policy pack did not answer ${method} within ${this.callTimeoutMs / 1000} s (hung policy?); the pack was stopped`));
      }, this.callTimeoutMs);
      timer.unref();
      const hot = UNARY[method];
      const send = (cb: (err: any, resp: T) => void) =>
        hot ? this.unary.call(hot.path, request as Buffer, hot.decode, cb as (err: unknown, resp?: unknown) => void) : this.client[method](request, cb);
      send(async (err: any, resp: T) => {
        clearTimeout(timer);
        if (settled) return;
        // A dropped connection usually means the process is dying; its exit explains the failure better.
        if (err && !this.exited && err.code === grpc.status.UNAVAILABLE) await this.waitForExit(2000);
        const i = this.exitWaiters.indexOf(onDeath);
        if (i >= 0) this.exitWaiters.splice(i, 1);
        if (settled) return;
        settled = true;
        if (err) reject(new PolicyPackError(this.exited ? this.deathError().message : String(err.details ?? err.message ?? err)));
        else resolve(resp);
      });
    });
  }

  private waitForExit(ms: number): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.child.once("exit", () => {
        clearTimeout(timer);
        // The exit handler registered first has recorded the status by now.
        resolve();
      });
    });
  }

  async getInfo(): Promise<PackInfo> {
    const info: any = await this.call("getAnalyzerInfo", new emptyPb.Empty());
    const policies: PolicyInfo[] = info.getPoliciesList().map((p: any) => {
      const fw = p.getFramework();
      const schema = p.getConfigschema();
      return {
        name: p.getName(),
        displayName: p.getDisplayname(),
        description: p.getDescription(),
        enforcementLevel: LEVELS[p.getEnforcementlevel()] ?? "advisory",
        severity: SEVERITIES[p.getSeverity()] ?? "unspecified",
        framework: fw ? { name: fw.getName(), version: fw.getVersion(), reference: fw.getReference(), specification: fw.getSpecification() } : undefined,
        tags: p.getTagsList(),
        remediationSteps: p.getRemediationSteps(),
        url: p.getUrl(),
        configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
      };
    });
    const initialConfig: PackInfo["initialConfig"] = {};
    info.getInitialconfigMap().forEach((v: any, k: string) => {
      initialConfig[k] = { enforcementLevel: LEVELS[v.getEnforcementlevel()] ?? "advisory", properties: v.getProperties()?.toJavaScript() ?? {} };
    });
    return { name: info.getName(), version: info.getVersion(), description: info.getDescription(), supportsConfig: info.getSupportsconfig(), policies, initialConfig };
  }

  /** Sends the policy config. `config` must already be validated (see policy-config.ts). */
  async configure(config: Record<string, { enforcementLevel: EnforcementLevel; properties: Record<string, unknown> }>): Promise<void> {
    const req = new analyzerPb.ConfigureAnalyzerRequest();
    const map = req.getPolicyconfigMap();
    for (const [name, entry] of Object.entries(config)) {
      const pc = new analyzerPb.PolicyConfig();
      pc.setEnforcementlevel(LEVELS.indexOf(entry.enforcementLevel));
      pc.setProperties(toStruct(entry.properties));
      map.set(name, pc);
    }
    await this.call("configure", req);
  }

  async configureStack(args: { stack: string; project: string; organization?: string; dryRun: boolean; config: Record<string, string>; secretKeys: string[]; tags: Record<string, string> }): Promise<void> {
    const req = new analyzerPb.AnalyzerStackConfigureRequest();
    req.setStack(args.stack);
    req.setProject(args.project);
    req.setOrganization(args.organization ?? "organization");
    req.setDryRun(args.dryRun);
    req.setConfigSecretKeysList(args.secretKeys);
    const cfg = req.getConfigMap();
    for (const [k, v] of Object.entries(args.config)) cfg.set(k, args.secretKeys.includes(k) ? "[secret]" : v);
    const tags = req.getTagsMap();
    for (const [k, v] of Object.entries(args.tags)) tags.set(k, v);
    try {
      await this.call("configureStack", req);
    } catch (e) {
      // Packs built with an older SDK do not implement it; the CLI carries on as well.
      if (!/UNIMPLEMENTED|unimplemented/i.test(String((e as Error).message))) throw e;
    }
  }

  private options(r: AnalyzerResourceInput): any {
    const o = new analyzerPb.AnalyzerResourceOptions();
    o.setProtect(r.options.protect);
    o.setIgnorechangesList(r.options.ignoreChanges);
    o.setDeletebeforereplace(r.options.deleteBeforeReplace);
    o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace);
    o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
    o.setAliasesList(r.options.aliases);
    if (r.options.parent) o.setParent(r.options.parent);
    return o;
  }

  /** Encoded properties, once per properties object: AnalyzeStack re-sends what Analyze sent. */
  private readonly encoded = new WeakMap<object, Buffer>();

  private struct(obj: Record<string, unknown>): Buffer {
    let b = this.encoded.get(obj);
    if (!b) this.encoded.set(obj, (b = encodeStruct(obj)));
    return b;
  }

  /** AnalyzerProviderResource: type 1, properties 2, urn 3, name 4. */
  private provider(w: ProtoWriter, field: number, r: AnalyzerResourceInput): void {
    if (!r.provider) return;
    const m = w.begin(field);
    if (r.provider.type) w.string(1, r.provider.type);
    w.bytes(2, this.struct(r.provider.properties));
    if (r.provider.urn) w.string(3, r.provider.urn);
    if (r.provider.name) w.string(4, r.provider.name);
    w.end(m);
  }

  /** Fields 1-6, common to AnalyzeRequest and AnalyzerResource. */
  private resourceFields(w: ProtoWriter, r: AnalyzerResourceInput): void {
    if (r.type) w.string(1, r.type);
    w.bytes(2, this.struct(r.properties));
    if (r.urn) w.string(3, r.urn);
    if (r.name) w.string(4, r.name);
    w.bytes(5, this.options(r).serializeBinary());
    this.provider(w, 6, r);
  }

  private static result(resp: any): AnalyzeResult {
    return {
      diagnostics: resp.getDiagnosticsList().map((d: any) => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()] ?? "advisory",
        urn: d.getUrn(),
        severity: SEVERITIES[d.getSeverity()] ?? "unspecified",
      })),
      notApplicable: resp.getNotApplicableList().map((n: any) => ({ policyName: n.getPolicyName(), reason: n.getReason() })),
    };
  }

  async analyze(r: AnalyzerResourceInput): Promise<AnalyzeResult> {
    const w = new ProtoWriter(512);
    this.resourceFields(w, r);
    const resp = await this.call("analyze", w.finish());
    const result = PolicyPackProcess.result(resp);
    // Resource diagnostics belong to the analysed resource even when the policy does not name it.
    for (const d of result.diagnostics) if (!d.urn) d.urn = r.urn;
    return result;
  }

  /** AnalyzeStackRequest: repeated AnalyzerResource resources = 1 (fields 1-6, parent 7, dependencies 8, propertyDependencies 9). */
  async analyzeStack(resources: AnalyzerResourceInput[]): Promise<AnalyzeResult> {
    const w = new ProtoWriter(64 * 1024);
    for (const r of resources) {
      const m = w.begin(1);
      this.resourceFields(w, r);
      if (r.parent) w.string(7, r.parent);
      for (const d of r.dependencies) w.string(8, d);
      // A protobuf map: entries in sorted key order, as the generated code writes them.
      for (const k of Object.keys(r.propertyDependencies).sort()) {
        const entry = w.begin(9);
        w.string(1, k);
        const deps = w.begin(2);
        for (const u of r.propertyDependencies[k]) w.string(1, u);
        w.end(deps);
        w.end(entry);
      }
      w.end(m);
    }
    return PolicyPackProcess.result(await this.call("analyzeStack", w.finish()));
  }

  get alive(): boolean {
    return !this.exited;
  }

  /** Process id of the pack (for resource accounting). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.client.close();
    this.unary.close();
    if (!this.exited) {
      const done = new Promise<void>((r) => this.child.once("exit", () => r()));
      this.child.kill("SIGTERM");
      await Promise.race([done, new Promise((r) => setTimeout(r, 3000))]);
      if (!this.exited) this.child.kill("SIGKILL");
    }
    if (this.runDir) fs.rmSync(this.runDir, { recursive: true, force: true });
  }
}
