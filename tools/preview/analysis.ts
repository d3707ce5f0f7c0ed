/**
 * The preview's analysis pipeline: each registration is analysed as soon
 * as it arrives (Analyze, at most `concurrency` calls in flight), and the
 * whole stack once at the end (AnalyzeStack). Shared by run-preview.ts and
 * the benchmark (tools/bench), so the benchmark measures this very code.
 */
import type { AnalyzerResourceInput, AnalyzeResult, PolicyPackProcess } from "./analyzer";
import type { CapturedResource } from "./engine";
import { ProviderContext, toAnalyzerInput } from "./resources";
import type { ResourceVerdict } from "./run-preview";

export interface AnalysisOptions {
  /** Max Analyze calls in flight (default 32). */
  concurrency?: number;
  /** Called after each Analyze completes. */
  onAnalysed?: (analysed: number) => void;
}

export class ResourceAnalysis {
  readonly resources: CapturedResource[] = [];
  private readonly providers = new Map<string, CapturedResource>();
  private readonly defaults = new Map<string, NonNullable<AnalyzerResourceInput["provider"]>>();
  private readonly verdicts: ResourceVerdict[] = [];
  private readonly analyses: Promise<void>[] = [];
  private readonly queue: (() => void)[] = [];
  private readonly limit: number;
  private inFlight = 0;
  private firstAnalyzeAt = 0;
  analysed = 0;

  constructor(
    private readonly proc: Promise<PolicyPackProcess>,
    private readonly ctx: ProviderContext,
    private readonly opts: AnalysisOptions = {},
  ) {
    this.limit = Math.max(1, opts.concurrency ?? 32);
    // Failures surface through settle(); a pack that never starts must not be an unhandled rejection.
    proc.catch(() => undefined);
  }

  /** Records a registration and starts its analysis. */
  add(r: CapturedResource): void {
    const index = this.resources.push(r) - 1;
    if (r.type.startsWith("pulumi:providers:")) this.providers.set(`${r.urn}::${r.id}`, r);
    const p = this.analyseOne(r, index);
    p.catch(() => undefined);
    this.analyses.push(p);
  }

  private async analyseOne(r: CapturedResource, index: number): Promise<void> {
    const proc = await this.proc;
    if (this.inFlight >= this.limit) await new Promise<void>((res) => this.queue.push(res));
    this.inFlight++;
    this.firstAnalyzeAt ||= Date.now();
    try {
      const result = await proc.analyze(toAnalyzerInput(r, this.providers, this.defaults, this.ctx));
      this.verdicts[index] = { resource: r, diagnostics: result.diagnostics, notApplicable: result.notApplicable };
    } finally {
      this.inFlight--;
      this.analysed++;
      this.queue.shift()?.();
      this.opts.onAnalysed?.(this.analysed);
    }
  }

  /** Waits for every Analyze; rejects with the first failure. */
  async settle(): Promise<{ verdicts: ResourceVerdict[]; analyzeMs: number }> {
    await Promise.all(this.analyses);
    return { verdicts: this.verdicts, analyzeMs: this.firstAnalyzeAt ? Date.now() - this.firstAnalyzeAt : 0 };
  }

  /** Every registration as AnalyzeStack carries it, in registration order. */
  stackInputs(): AnalyzerResourceInput[] {
    return this.resources.map((r) => toAnalyzerInput(r, this.providers, this.defaults, this.ctx));
  }

  analyzeStack(proc: PolicyPackProcess): Promise<AnalyzeResult> {
    return proc.analyzeStack(this.stackInputs());
  }
}
