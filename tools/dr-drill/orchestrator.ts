/**
 * A DR drill, step by step, against any workspace: the Pulumi Automation
 * API (online: real resources in the drill region) or the offline preview
 * (rehearsal: the same plan, no credentials). Every step is timed; a failed
 * step stops the forward steps, and whatever was created is destroyed
 * unless `keep`. The report is always produced.
 */
import { IncidentMessageData, renderIncidentMessage } from "../../components/alerting/incidents";

/** What a drill needs from a Pulumi workspace (implemented by the Automation API adapter, the offline rehearsal and test fakes). */
export interface DrillWorkspace {
  readonly mode: "online" | "offline";
  createStack(name: string): Promise<void>;
  setConfig(name: string, values: Record<string, string>): Promise<void>;
  /** Deploys (online) or plans (offline); returns a one-line summary. */
  up(name: string): Promise<{ summary: string }>;
  outputs(name: string): Promise<Record<string, unknown>>;
  destroy(name: string): Promise<void>;
  removeStack(name: string): Promise<void>;
}

export interface RpoFinding {
  /** Data store, e.g. `RDS instance "database-postgres"`. */
  store: string;
  minutes: number;
  /** measured: age of the restored data; computed: worst case from the declared configuration. */
  basis: "measured" | "computed";
  detail: string;
}

export interface VerificationResult {
  ok: boolean;
  detail: string;
  rpo?: RpoFinding[];
  data?: unknown;
}

/** A check after deployment (health endpoints, restored data age, policies, portability). */
export interface Verification {
  name: string;
  run(ctx: { stack: string; outputs: Record<string, unknown> }): Promise<VerificationResult>;
}

export type StepStatus = "passed" | "failed" | "skipped";

export interface DrillStep {
  name: string;
  status: StepStatus;
  startedAt: string;
  durationMs: number;
  detail: string;
}

export interface DrillReport {
  mode: "online" | "offline";
  source: string;
  stack: string;
  region: string;
  drRegion: string;
  startedAt: string;
  finishedAt: string;
  steps: DrillStep[];
  rto: { targetHours: number; recoveryMinutes: number; met: boolean | null; basis: string };
  rpo: { targetHours: number; findings: RpoFinding[]; met: boolean | null };
  kept: boolean;
  cleanedUp: boolean;
  incidentMessages: { initial: string; updates: string[]; resolution: string };
  result: "passed" | "failed";
  error?: string;
  verification: Record<string, unknown>;
}

export interface DrillPlan {
  source: string;
  stack: string;
  region: string;
  drRegion: string;
  config: Record<string, string>;
  rtoHours: number;
  rpoHours: number;
  keep: boolean;
}

/** Steps that make up the recovery time (what a real disaster would wait for). */
export const RECOVERY_STEPS = ["create-stack", "configure", "deploy"] as const;

export async function runDrill(plan: DrillPlan, ws: DrillWorkspace, verifications: Verification[], clock: () => Date = () => new Date()): Promise<DrillReport> {
  const started = clock();
  const steps: DrillStep[] = [];
  const verification: Record<string, unknown> = {};
  const rpo: RpoFinding[] = [];
  const updates: string[] = [];
  let failure: string | undefined;
  let created = false;
  let cleanedUp = false;
  let outputs: Record<string, unknown> = {};

  const incident: Omit<IncidentMessageData, "at" | "status"> = {
    priority: "P0",
    incidentId: plan.stack,
    title: `[DR DRILL] ${plan.source} recovered into ${plan.region}`,
    impact: `drill only: ${plan.source} keeps serving; drill stack ${plan.stack} in ${plan.region}`,
  };
  const initial = renderIncidentMessage("initial", {
    ...incident,
    at: started,
    status: "recovery started (drill)",
    details: `deploy ${plan.stack} from code, restore the database from the latest recovery point, verify /health (RTO ${plan.rtoHours} h, RPO ${plan.rpoHours} h)`,
  });

  let deployed = false;
  // Verifications all run once the stack is deployed, so one failed check does not hide the others.
  const step = async (name: string, fn: () => Promise<string>, afterDeploy = false): Promise<boolean> => {
    const t0 = clock();
    if (failure && !(afterDeploy && deployed)) {
      steps.push({ name, status: "skipped", startedAt: t0.toISOString(), durationMs: 0, detail: "an earlier step failed" });
      return false;
    }
    try {
      const detail = await fn();
      steps.push({ name, status: "passed", startedAt: t0.toISOString(), durationMs: clock().getTime() - t0.getTime(), detail });
      return true;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      failure ??= `${name}: ${message}`;
      steps.push({ name, status: "failed", startedAt: t0.toISOString(), durationMs: clock().getTime() - t0.getTime(), detail: message });
      return false;
    }
  };
  const update = (status: string, details: string) => updates.push(renderIncidentMessage("update", { ...incident, at: clock(), status, details }));

  await step("create-stack", async () => {
    await ws.createStack(plan.stack);
    created = true;
    return `stack ${plan.stack} created`;
  });
  await step("configure", async () => {
    await ws.setConfig(plan.stack, plan.config);
    return `${Object.keys(plan.config).length} config values over ${plan.source}'s: ${Object.keys(plan.config).join(", ")}`;
  });
  deployed = await step("deploy", async () => (await ws.up(plan.stack)).summary);
  if (deployed) update("infrastructure deployed, database restored; verifying services", "checking health endpoints and the restored data");
  await step("read-outputs", async () => {
    outputs = await ws.outputs(plan.stack);
    return `${Object.keys(outputs).length} stack outputs`;
  }, true);
  for (const v of verifications) {
    await step(v.name, async () => {
      const r = await v.run({ stack: plan.stack, outputs });
      verification[v.name] = r.data ?? r.detail;
      if (r.rpo) rpo.push(...r.rpo);
      if (!r.ok) throw new Error(r.detail);
      return r.detail;
    }, true);
  }

  if (created && !plan.keep) {
    // Cleanup runs even after a failure; its own failures are reported, never hidden.
    const saved = failure;
    failure = undefined;
    const destroyed = await step("destroy", async () => {
      await ws.destroy(plan.stack);
      return ws.mode === "offline" ? "nothing to destroy: the rehearsal created no resources" : `resources of ${plan.stack} destroyed`;
    });
    if (destroyed) await step("remove-stack", async () => {
      await ws.removeStack(plan.stack);
      return `stack ${plan.stack} removed`;
    });
    cleanedUp = destroyed && !failure;
    failure = saved ?? failure;
  }

  const finished = clock();
  const recoveryMs = steps.filter((s) => (RECOVERY_STEPS as readonly string[]).includes(s.name) || verifications.some((v) => v.name === s.name)).reduce((n, s) => n + s.durationMs, 0);
  const recoveryMinutes = Math.round((recoveryMs / 60000) * 10) / 10;
  const online = ws.mode === "online";
  const rpoMet = rpo.length === 0 ? null : rpo.every((f) => f.minutes <= plan.rpoHours * 60);
  const ok = !failure && rpoMet !== false && (!online || recoveryMinutes <= plan.rtoHours * 60);
  const resolution = renderIncidentMessage("resolution", {
    ...incident,
    at: finished,
    startedAt: started,
    status: ok ? "recovered (drill)" : "drill failed",
    details: ok
      ? `service verified in ${plan.region} after ${recoveryMinutes} min (RTO ${plan.rtoHours} h); data loss ${rpo.length ? `${Math.max(...rpo.map((f) => f.minutes))} min` : "not measured"} (RPO ${plan.rpoHours} h)`
      : `drill failed at ${failure ?? "the RTO/RPO comparison"}`,
    followUp: cleanedUp ? `drill stack ${plan.stack} destroyed; review the drill report` : `drill stack ${plan.stack} still exists${plan.keep ? " (--keep)" : ""}: destroy it after review`,
  });

  return {
    mode: ws.mode,
    source: plan.source,
    stack: plan.stack,
    region: plan.region,
    drRegion: plan.drRegion,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    steps,
    rto: {
      targetHours: plan.rtoHours,
      recoveryMinutes,
      met: online && !failure ? recoveryMinutes <= plan.rtoHours * 60 : null,
      basis: online ? "measured: stack creation, deployment with database restore, and service verification" : "not measured offline: planning time only; run the online drill to measure",
    },
    rpo: { targetHours: plan.rpoHours, findings: rpo, met: rpoMet },
    kept: created && plan.keep,
    cleanedUp,
    incidentMessages: { initial, updates, resolution },
    result: ok ? "passed" : "failed",
    error: failure,
    verification,
  };
}
