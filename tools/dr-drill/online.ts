/**
 * The online drill: the Pulumi Automation API (LocalWorkspace, needs the
 * Pulumi CLI and cloud credentials) deploys a real drill stack, the health
 * endpoints are polled over HTTPS, and the restored data's age comes from
 * RDS (the latest restorable time of the recovery point when the restore
 * was requested).
 */
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { DescribeDBInstanceAutomatedBackupsCommand, DescribeDBSnapshotsCommand, ModifyDBInstanceCommand, RDSClient, waitUntilDBInstanceAvailable } from "@aws-sdk/client-rds";
import { spawnSync } from "child_process";
import * as path from "path";
import { redactCredentials } from "../access-review/redact";
import { DrillUsageError } from "./drill-config";
import type { DrillWorkspace, Verification } from "./orchestrator";

export const HEALTH_PATHS = ["/health", "/health/ready", "/health/detailed"] as const;

export interface OnlineOptions {
  workDir: string;
  sourceStack: string;
  region: string;
  /** Restore source for the data-age measurement. */
  restore: { source: "pitr"; automatedBackupsArn?: string } | { source: "snapshot"; snapshotIdentifier: string };
  log: (line: string) => void;
  /** Policy config adapted to the drill stack (drillPolicyConfig). */
  policyConfigFile?: string;
}

/** First meaningful line of a failed CLI call: the CLI's own error, not the Automation API's wrapper and stack. */
export function cliErrorSummary(e: unknown): string {
  const stderr = (e as { commandResult?: { stderr?: string } }).commandResult?.stderr;
  const text = stderr?.trim() ? stderr : e instanceof Error ? e.message : String(e);
  const line = text.split("\n").map((l) => l.trim()).find((l) => l && !/^(code|stdout|stderr|err\?):\s*$/.test(l)) ?? "no error output";
  return redactCredentials(line);
}

/**
 * What the online drill needs before it touches anything: the Pulumi CLI on
 * PATH (the Automation API runs it) and AWS credentials. Missing either is a
 * setup error (exit 2), not a failed drill.
 */
export async function checkOnlinePrerequisites(region: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const r = spawnSync("pulumi", ["version"], { env, encoding: "utf8", timeout: 60_000 });
  if ((r.error as NodeJS.ErrnoException | undefined)?.code === "ENOENT") {
    throw new DrillUsageError("the Pulumi CLI is not installed or not on PATH: the online drill needs it (use --offline to rehearse without it)");
  }
  if (r.error || r.status !== 0) {
    throw new DrillUsageError(`the Pulumi CLI does not run ("pulumi version" ${r.error ? `failed: ${r.error.message}` : `exited ${r.status}: ${redactCredentials((r.stderr || r.stdout).trim().split("\n")[0] ?? "")}`}); the online drill needs it (use --offline to rehearse without it)`);
  }
  try {
    await new RDSClient({ region }).config.credentials();
  } catch (e) {
    throw new DrillUsageError(`no AWS credentials: the online drill needs them for ${region} (${redactCredentials((e as Error).message.split("\n")[0])}); set AWS_PROFILE or the AWS_* variables, or use --offline to rehearse without them`);
  }
  return r.stdout.trim();
}

export class AutomationWorkspace implements DrillWorkspace {
  readonly mode = "online" as const;
  private stack?: Stack;
  /** Latest restorable time of the recovery point when the restore was requested. */
  recoveryPointTime?: Date;
  upStartedAt?: Date;

  constructor(private readonly o: OnlineOptions) {}

  /** Fully qualified name of the source stack (org/project/stack) for the drill's StackReference. */
  async sourceFullyQualifiedName(): Promise<string> {
    const source = await LocalWorkspace.selectStack({ stackName: this.o.sourceStack, workDir: this.o.workDir });
    const who = await source.workspace.whoAmI();
    const project = (await source.workspace.projectSettings()).name;
    const org = who.organizations?.[0] ?? who.user;
    return `${org}/${project}/${this.o.sourceStack}`;
  }

  async sourceOutputs(): Promise<Record<string, unknown>> {
    const source = await LocalWorkspace.selectStack({ stackName: this.o.sourceStack, workDir: this.o.workDir });
    const out = await source.outputs();
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.value]));
  }

  async createStack(name: string): Promise<void> {
    this.stack = await LocalWorkspace.createStack({ stackName: name, workDir: this.o.workDir });
    // The drill starts from the source's whole config, secrets included (decrypted by its secrets provider).
    const source = await LocalWorkspace.selectStack({ stackName: this.o.sourceStack, workDir: this.o.workDir });
    await this.stack.setAllConfig(await source.getAllConfig());
  }

  async setConfig(name: string, values: Record<string, string>): Promise<void> {
    const s = this.need(name);
    await s.setAllConfig(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v, secret: false }])));
  }

  async up(name: string): Promise<{ summary: string }> {
    const s = this.need(name);
    this.upStartedAt = new Date();
    this.recoveryPointTime = await this.latestRecoveryPoint();
    const res = await s.up({
      onOutput: (l) => this.o.log(l.trimEnd()),
      policyPacks: [path.join(this.o.workDir, "policies")],
      policyPackConfigs: this.o.policyConfigFile ? [this.o.policyConfigFile] : undefined,
    });
    const changes = Object.entries(res.summary.resourceChanges ?? {}).map(([k, n]) => `${k} ${n}`).join(", ");
    return { summary: `pulumi up ${res.summary.result}: ${changes}` };
  }

  async outputs(name: string): Promise<Record<string, unknown>> {
    const out = await this.need(name).outputs();
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.secret ? "[secret]" : v.value]));
  }

  async destroy(name: string): Promise<void> {
    const s = this.need(name);
    // A drill stack is a production copy: protected resources and RDS deletion protection are lifted first.
    const state = await s.exportStack();
    const resources = (state.deployment as { resources?: { protect?: boolean; type?: string; outputs?: Record<string, unknown> }[] }).resources ?? [];
    for (const r of resources) r.protect = false;
    await s.importStack(state);
    const rds = new RDSClient({ region: this.o.region });
    for (const r of resources.filter((x) => x.type === "aws:rds/instance:Instance")) {
      const id = String(r.outputs?.identifier ?? "");
      if (!id) continue;
      await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DeletionProtection: false, ApplyImmediately: true }));
      await waitUntilDBInstanceAvailable({ client: rds, maxWaitTime: 1800 }, { DBInstanceIdentifier: id });
    }
    await s.destroy({ onOutput: (l) => this.o.log(l.trimEnd()) });
  }

  async removeStack(name: string): Promise<void> {
    await this.need(name).workspace.removeStack(name);
  }

  private need(name: string): Stack {
    if (!this.stack || this.stack.name !== name) throw new Error(`stack ${name} was not created by this drill`);
    return this.stack;
  }

  private async latestRecoveryPoint(): Promise<Date | undefined> {
    const rds = new RDSClient({ region: this.o.region });
    const r = this.o.restore;
    if (r.source === "snapshot") {
      const snap = await rds.send(new DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: r.snapshotIdentifier }));
      return snap.DBSnapshots?.[0]?.SnapshotCreateTime;
    }
    if (!r.automatedBackupsArn) return undefined;
    const b = await rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceAutomatedBackupsArn: r.automatedBackupsArn }));
    return b.DBInstanceAutomatedBackups?.[0]?.RestoreWindow?.LatestTime;
  }
}

async function probe(url: string, timeoutMs: number): Promise<{ status: number; ms: number }> {
  const t0 = Date.now();
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await res.arrayBuffer();
  return { status: res.status, ms: Date.now() - t0 };
}

export function onlineVerifications(ws: AutomationWorkspace, opts: { waitMinutes: number; pollSeconds?: number }): Verification[] {
  return [
    {
      name: "health-endpoints",
      async run({ outputs }) {
        const host = String(outputs.regionalEndpoint ?? "");
        if (!host) return { ok: false, detail: "the drill stack has no regionalEndpoint output" };
        const deadline = Date.now() + opts.waitMinutes * 60000;
        const last: Record<string, string> = {};
        for (;;) {
          let healthy = 0;
          for (const p of HEALTH_PATHS) {
            try {
              const r = await probe(`https://${host}${p}`, 10000);
              last[p] = `${r.status} in ${r.ms} ms`;
              if (r.status === 200) healthy++;
            } catch (e) {
              last[p] = (e as Error).message;
            }
          }
          if (healthy === HEALTH_PATHS.length) return { ok: true, detail: `https://${host}: ${HEALTH_PATHS.map((p) => `${p} ${last[p]}`).join(", ")}`, data: last };
          if (Date.now() > deadline) return { ok: false, detail: `not healthy after ${opts.waitMinutes} min: ${HEALTH_PATHS.map((p) => `${p} ${last[p]}`).join(", ")}`, data: last };
          await new Promise((r) => setTimeout(r, (opts.pollSeconds ?? 15) * 1000));
        }
      },
    },
    {
      name: "restored-data-age",
      async run() {
        if (!ws.recoveryPointTime || !ws.upStartedAt) return { ok: false, detail: "the recovery point's time could not be read from RDS" };
        const minutes = Math.round((ws.upStartedAt.getTime() - ws.recoveryPointTime.getTime()) / 60000);
        return {
          ok: true,
          detail: `restored data as of ${ws.recoveryPointTime.toISOString()}: ${minutes} min old when the restore started`,
          rpo: [{ store: "RDS instance (drill restore)", minutes, basis: "measured", detail: `recovery point ${ws.recoveryPointTime.toISOString()}` }],
        };
      },
    },
  ];
}
