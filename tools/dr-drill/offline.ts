/**
 * Offline rehearsal of a drill: the drill stack is planned by the offline
 * preview (real program under mocks, real policy pack), nothing is created,
 * and the checks run on the plan: policies, region portability, the
 * database restore, the health checks, and the RPO computed from the
 * declared configuration.
 */
import type { Diagnostic } from "../preview/analyzer";
import { plainInputs } from "../preview/engine";
import { PreviewResult, runPreview } from "../preview/run-preview";
import { isDeferred, isRpoReport, shortUrn, specificMessage, summarize } from "../preview/text-report";
import { HEALTH_CHECK_PATH } from "../../components/dr/dns-failover";
import type { DrillWorkspace, RpoFinding, Verification } from "./orchestrator";
import { checkPortability } from "./portability";

export class OfflineWorkspace implements DrillWorkspace {
  readonly mode = "offline" as const;
  private readonly config = new Map<string, Record<string, string>>();
  private readonly stacks = new Set<string>();
  result?: PreviewResult;

  constructor(private readonly sourceStack: string, private readonly opts: { programDir?: string; policyConfigFile?: string } = {}) {}

  async createStack(name: string): Promise<void> {
    this.stacks.add(name);
  }

  async setConfig(name: string, values: Record<string, string>): Promise<void> {
    if (!this.stacks.has(name)) throw new Error(`stack ${name} does not exist`);
    this.config.set(name, { ...(this.config.get(name) ?? {}), ...values });
  }

  async up(name: string): Promise<{ summary: string }> {
    this.result = await runPreview({
      stack: this.sourceStack,
      programDir: this.opts.programDir,
      policyConfigFile: this.opts.policyConfigFile,
      variant: { runAs: name, config: this.config.get(name) ?? {} },
    });
    const s = summarize(this.result);
    return { summary: `planned ${s.resources} resources (offline preview, dry run); ${s.mandatory} mandatory, ${s.advisory} advisory policy findings` };
  }

  async outputs(): Promise<Record<string, unknown>> {
    return plainInputs(this.result?.outputs ?? {});
  }

  /** Nothing was created offline. */
  async destroy(): Promise<void> {}

  async removeStack(name: string): Promise<void> {
    this.stacks.delete(name);
  }
}

/** "5 min", "24 h", "30 d", "never (...)" -> minutes. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(min|h|d)\b/.exec(text.trim());
  if (!m) return Infinity;
  const n = Number(m[1]);
  return m[2] === "min" ? n : m[2] === "h" ? n * 60 : n * 1440;
}

/** Per data store: the worst-case data loss on a regional failover (the DR-region figure of the RPO report). */
export function rpoFromReport(diagnostics: Diagnostic[]): RpoFinding[] {
  const out: RpoFinding[] = [];
  for (const d of diagnostics.filter(isRpoReport)) {
    for (const line of specificMessage(d).replace(/^RPO report:\s*/, "").split("\n")) {
      const m = /^(.+?): own region (.+?) \((.+?)\), DR region (.+?) \((.+?)\);/.exec(line.trim());
      if (!m) continue;
      out.push({ store: m[1], minutes: parseDuration(m[4]), basis: "computed", detail: `own region ${m[2]} (${m[3]}); DR region ${m[4]} (${m[5]})` });
    }
  }
  return out;
}

export function offlineVerifications(ws: OfflineWorkspace, opts: { region: string; drRegion: string; chatbotRegion?: string }): Verification[] {
  const result = () => {
    if (!ws.result) throw new Error("the drill stack was not planned");
    return ws.result;
  };
  return [
    {
      name: "policy-pack",
      async run() {
        const r = result();
        const s = summarize(r);
        const findings = r.diagnostics.filter((d) => !isDeferred(d) && !isRpoReport(d)).map((d) => ({ level: d.enforcementLevel, policy: d.policyName, resource: shortUrn(d.urn), message: specificMessage(d) }));
        return { ok: s.mandatory === 0, detail: `${s.policies} policies: ${s.mandatory} mandatory, ${s.advisory} advisory, ${s.deferred} deferred until values are known`, data: { ...s, findings } };
      },
    },
    {
      name: "portability",
      async run() {
        const p = checkPortability(result().resources, opts);
        const cross = [...new Set(p.crossRegion.map((f) => `${f.region}: ${f.type} ${f.at}`))];
        return {
          ok: p.violations.length === 0,
          detail: p.violations.length
            ? `${p.violations.length} input(s) name a region other than ${opts.region}: ${p.violations.slice(0, 5).map((f) => `${f.type}::${f.name} ${f.at} -> ${f.region}`).join("; ")}`
            : `every region named is ${opts.region}, or a declared cross-region reference (${[...new Set(p.crossRegion.map((f) => f.region))].join(", ") || "none"})`,
          data: { violations: p.violations, crossRegion: cross },
        };
      },
    },
    {
      name: "database-restore",
      async run() {
        const db = result().resources.find((r) => r.type === "aws:rds/instance:Instance");
        if (!db) return { ok: false, detail: "no RDS instance in the plan" };
        const i = plainInputs(db.inputs);
        const pitr = i.restoreToPointInTime;
        if (pitr?.useLatestRestorableTime === true && pitr.sourceDbInstanceAutomatedBackupsArn) {
          return { ok: true, detail: `${db.name}: point-in-time restore to the latest restorable time of ${pitr.sourceDbInstanceAutomatedBackupsArn}`, data: { source: "pitr", from: pitr.sourceDbInstanceAutomatedBackupsArn, kmsKeyId: i.kmsKeyId } };
        }
        if (typeof i.snapshotIdentifier === "string" && i.snapshotIdentifier) {
          return { ok: true, detail: `${db.name}: restore of recovery point ${i.snapshotIdentifier}`, data: { source: "snapshot", from: i.snapshotIdentifier, kmsKeyId: i.kmsKeyId } };
        }
        return { ok: false, detail: `${db.name} would be created empty: no restoreToPointInTime or snapshotIdentifier` };
      },
    },
    {
      name: "health-endpoints",
      async run({ outputs }) {
        const r = result();
        const checks = r.resources.filter((x) => x.type === "aws:route53/healthCheck:HealthCheck").map((x) => plainInputs(x.inputs));
        const regional = String(outputs.regionalEndpoint ?? "");
        const failover = checks.find((c) => c.fqdn === regional);
        const deployment = r.resources.find((x) => x.type === "kubernetes:apps/v1:Deployment");
        const container = deployment ? plainInputs(deployment.inputs).spec?.template?.spec?.containers?.[0] : undefined;
        const probes = container ? [container.startupProbe, container.livenessProbe, container.readinessProbe].map((p: any) => p?.httpGet?.path).filter(Boolean) : [];
        const ok = failover?.resourcePath === HEALTH_CHECK_PATH && probes.includes("/health") && probes.includes("/health/ready");
        return {
          ok,
          detail: ok
            ? `planned: Route 53 failover check https://${regional}${HEALTH_CHECK_PATH}, pod probes ${probes.join(", ")}; /health/detailed is checked by the online drill`
            : `missing health checks: failover check on ${regional}${HEALTH_CHECK_PATH} ${failover ? "found" : "not found"}, probes ${probes.join(", ") || "none"}`,
          data: { failoverCheck: failover ? `https://${regional}${failover.resourcePath}` : null, probes },
        };
      },
    },
    {
      name: "rpo",
      async run() {
        const rpo = rpoFromReport(result().diagnostics);
        return {
          ok: rpo.length > 0,
          detail: rpo.length ? rpo.map((f) => `${f.store}: ${f.minutes} min worst case (${f.detail})`).join("; ") : "the policy pack reported no RPO figure (recovery-rpo)",
          rpo,
        };
      },
    },
  ];
}
