/**
 * JSON report (schema documented in docs/PREVIEW.md, version 1).
 */
import type { PreviewResult } from "../run-preview";
import { isDeferred, isExempted, isRpoReport, specificMessage, summarize } from "../text-report";
import { redactValue } from "./redact";

export const JSON_REPORT_SCHEMA_VERSION = 1;

export function buildJsonReport(result: PreviewResult) {
  const s = summarize(result);
  const r = (v: unknown) => redactValue(v, result.secretValues);
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    project: result.project,
    stack: result.stack,
    dryRun: result.dryRun,
    policyPack: { name: result.pack.name, version: result.pack.version, configFile: result.policyConfigFile ?? null },
    resources: result.resources.map((res) => ({
      urn: res.urn,
      type: res.type,
      name: res.name,
      custom: res.custom,
      parent: res.parent ?? null,
      provider: res.provider ?? null,
      dependencies: res.dependencies,
      propertyDependencies: res.propertyDependencies,
      options: {
        protect: res.protect,
        retainOnDelete: res.retainOnDelete,
        deleteBeforeReplace: res.deleteBeforeReplace,
        ignoreChanges: res.ignoreChanges,
        additionalSecretOutputs: res.additionalSecretOutputs,
      },
      inputs: r(res.inputs),
    })),
    outputs: r(result.outputs),
    policies: result.pack.policies.map((p) => ({
      name: p.name,
      description: p.description,
      enforcementLevel: result.policyConfig.entries[p.name]?.enforcementLevel ?? p.enforcementLevel,
      severity: p.severity,
      framework: p.framework ?? null,
      tags: p.tags,
      url: p.url,
      remediationSteps: p.remediationSteps,
      violations: result.diagnostics.filter((d) => d.policyName === p.name && !isDeferred(d) && !isRpoReport(d)).length,
    })),
    violations: result.diagnostics
      .filter((d) => !isDeferred(d) && !isRpoReport(d))
      .map((d) => ({
        policy: d.policyName,
        enforcementLevel: d.enforcementLevel,
        severity: d.severity,
        urn: d.urn || null,
        message: specificMessage(d),
        exempted: isExempted(d),
      })),
    deferred: result.diagnostics.filter(isDeferred).map((d) => ({ policy: d.policyName, urn: d.urn || null, message: d.message })),
    rpo: result.diagnostics.filter(isRpoReport).map((d) => ({ urn: d.urn || null, report: specificMessage(d).replace(/^RPO report:\s*/, "") })),
    exceptions: result.policyConfig.exceptions,
    weakenedPolicies: (result.policyConfig.weakened ?? []).map((w) => ({ policy: w.policy, enforcementLevel: w.level, default: w.default })),
    summary: { ...s, passed: s.mandatory === 0, timings: result.timings },
  };
}
