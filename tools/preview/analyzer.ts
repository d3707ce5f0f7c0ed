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
import * as path from "path";

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
  // One folder per process: concurrent previews and test files never share a half-written bundle.
  const outDir = path.join(packDir, "node_modules", ".cache", "offline-policy-pack", String(process.pid));
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
}

export class PolicyPackProcess {
  private readonly client: any;
  private exited: { code: number | null; signal: string | null } | undefined;
  private stderr = "";
  private closing = false;
  private readonly exitWaiters: ((e: Error) => void)[] = [];

  private constructor(private readonly child: ChildProcess, port: number, private readonly runDir: string | undefined) {
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
    const runDir = opts.loader === "ts-node" ? packDir : bundlePack(packDir);
    let runner: string;
    try {
      runner = path.join(path.dirname(require.resolve("@pulumi/pulumi/package.json", { paths: [packDir] })), "cmd", "run-policy-pack");
    } catch {
      throw new PolicyPackError(`the policy pack's dependencies are not installed (no @pulumi/pulumi reachable from ${packDir}); run npm install there`);
    }
    // The first argument is the engine address; this pack logs nothing to the engine, so a closed port is fine.
    const child = spawn(process.execPath, [runner, "127.0.0.1:0", "."], { cwd: runDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env } });
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
    return new PolicyPackProcess(child, port, opts.loader === "ts-node" ? undefined : runDir);
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
      this.client[method](request, (err: any, resp: T) => {
        const i = this.exitWaiters.indexOf(onDeath);
        if (i >= 0) this.exitWaiters.splice(i, 1);
        if (settled) return;
        settled = true;
        if (err) reject(new PolicyPackError(this.exited ? this.deathError().message : String(err.details ?? err.message ?? err)));
        else resolve(resp);
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

  private provider(r: AnalyzerResourceInput): any {
    if (!r.provider) return undefined;
    const p = new analyzerPb.AnalyzerProviderResource();
    p.setType(r.provider.type);
    p.setUrn(r.provider.urn);
    p.setName(r.provider.name);
    p.setProperties(toStruct(r.provider.properties));
    return p;
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
    const req = new analyzerPb.AnalyzeRequest();
    req.setType(r.type);
    req.setUrn(r.urn);
    req.setName(r.name);
    req.setProperties(toStruct(r.properties));
    req.setOptions(this.options(r));
    const provider = this.provider(r);
    if (provider) req.setProvider(provider);
    const resp = await this.call("analyze", req);
    const result = PolicyPackProcess.result(resp);
    // Resource diagnostics belong to the analysed resource even when the policy does not name it.
    for (const d of result.diagnostics) if (!d.urn) d.urn = r.urn;
    return result;
  }

  async analyzeStack(resources: AnalyzerResourceInput[]): Promise<AnalyzeResult> {
    const req = new analyzerPb.AnalyzeStackRequest();
    req.setResourcesList(
      resources.map((r) => {
        const a = new analyzerPb.AnalyzerResource();
        a.setType(r.type);
        a.setUrn(r.urn);
        a.setName(r.name);
        a.setProperties(toStruct(r.properties));
        a.setOptions(this.options(r));
        const provider = this.provider(r);
        if (provider) a.setProvider(provider);
        if (r.parent) a.setParent(r.parent);
        a.setDependenciesList(r.dependencies);
        const pd = a.getPropertydependenciesMap();
        for (const [k, urns] of Object.entries(r.propertyDependencies)) {
          const deps = new analyzerPb.AnalyzerPropertyDependencies();
          deps.setUrnsList(urns);
          pd.set(k, deps);
        }
        return a;
      }),
    );
    return PolicyPackProcess.result(await this.call("analyzeStack", req));
  }

  get alive(): boolean {
    return !this.exited;
  }

  async close(): Promise<void> {
    this.closing = true;
    this.client.close();
    if (!this.exited) {
      const done = new Promise<void>((r) => this.child.once("exit", () => r()));
      this.child.kill("SIGTERM");
      await Promise.race([done, new Promise((r) => setTimeout(r, 3000))]);
      if (!this.exited) this.child.kill("SIGKILL");
    }
    if (this.runDir) fs.rmSync(this.runDir, { recursive: true, force: true });
  }
}
