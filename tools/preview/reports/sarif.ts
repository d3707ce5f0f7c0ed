/**
 * SARIF 2.1.0 for code scanning. Rules are the pack's policies; results are
 * violations. A resource has no known source line (the program may build it
 * in a loop or a component), so each result points at the stack file that
 * was previewed and names the resource's URN as its logical location.
 */
import { createHash } from "crypto";
import * as path from "path";
import { pathToFileURL } from "url";
import { SarifBuilder, SarifResultBuilder, SarifRuleBuilder, SarifRunBuilder } from "node-sarif-builder";
import type { Log, Result } from "sarif";
import type { Severity } from "../analyzer";
import type { PreviewResult } from "../run-preview";
import { redactText } from "../run-preview";
import { isDeferred, isExempted, isRpoReport, specificMessage } from "../text-report";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

/** GitHub's scale: >= 9.0 critical, 7.0-8.9 high, 4.0-6.9 medium, 0.1-3.9 low. */
const SECURITY_SEVERITY: Record<Severity, string | undefined> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  unspecified: undefined,
};

function levelOf(enforcement: string): Result.level {
  if (enforcement === "mandatory") return "error";
  if (enforcement === "advisory") return "warning";
  if (enforcement === "disabled") return "none";
  return "note";
}

/** The stack file as code scanning expects it: relative to the working directory (the repository root in CI). */
function artifactUri(file: string): string {
  const rel = path.relative(process.cwd(), file);
  if (rel && !rel.startsWith("..") && !path.isAbsolute(rel)) return rel.split(path.sep).join("/");
  return pathToFileURL(file).href;
}

export function buildSarifReport(result: PreviewResult): Log {
  const scrub = (t: string) => redactText(t, result.secretValues);
  const builder = new SarifBuilder({ $schema: SARIF_SCHEMA, version: "2.1.0" });
  const run = new SarifRunBuilder().initSimple({ toolDriverName: result.pack.name, toolDriverVersion: result.pack.version });
  run.run.tool.driver.semanticVersion = /^\d+\.\d+\.\d+/.test(result.pack.version) ? result.pack.version : undefined;
  run.run.automationDetails = { id: `offline-preview/${result.project}/${result.stack}/` };
  run.run.properties = { project: result.project, stack: result.stack, dryRun: result.dryRun };

  for (const p of result.pack.policies) {
    const level = result.policyConfig.entries[p.name]?.enforcementLevel ?? p.enforcementLevel;
    const rule = new SarifRuleBuilder().initSimple({
      ruleId: p.name,
      shortDescriptionText: p.description || p.name,
      fullDescriptionText: [p.description, p.framework?.specification].filter(Boolean).join(" "),
      helpUri: p.url || undefined,
    });
    if (p.displayName) rule.rule.name = p.displayName;
    if (p.remediationSteps) rule.rule.help = { text: p.remediationSteps, markdown: `**Remediation:** ${p.remediationSteps}${p.url ? `\n\n[Runbook](${p.url})` : ""}` };
    rule.rule.defaultConfiguration = { level: levelOf(level), enabled: level !== "disabled" };
    const severity = SECURITY_SEVERITY[p.severity];
    const frameworkTags = p.framework ? [p.framework.name, ...p.framework.reference.split(/,\s*/).filter(Boolean).map((r) => `${p.framework!.name} ${r}`)] : [];
    rule.rule.properties = {
      tags: [...new Set(["security", ...p.tags, ...frameworkTags])],
      ...(severity ? { "security-severity": severity } : {}),
      "problem.severity": level === "mandatory" ? "error" : "warning",
      enforcementLevel: level,
      severity: p.severity,
    };
    run.addRule(rule);
  }

  const uri = artifactUri(result.stackFile);
  for (const d of result.diagnostics.filter((x) => !isDeferred(x) && !isRpoReport(x))) {
    const res = new SarifResultBuilder().initSimple({
      level: levelOf(d.enforcementLevel),
      messageText: scrub(specificMessage(d)),
      ruleId: d.policyName,
      fileUri: uri,
      startLine: 1,
    });
    const urn = d.urn || `urn:pulumi:${result.stack}::${result.project}::pulumi:pulumi:Stack::${result.project}-${result.stack}`;
    const parts = urn.split("::");
    res.result.locations![0].logicalLocations = [{ fullyQualifiedName: urn, name: parts[3] ?? urn, kind: "resource" }];
    res.result.partialFingerprints = { "policyResource/v1": createHash("sha256").update(`${d.policyName}\n${urn}`).digest("hex").slice(0, 32) };
    res.result.properties = { enforcementLevel: d.enforcementLevel, severity: d.severity, resourceType: parts[2]?.split("$").pop() ?? "" };
    if (isExempted(d)) {
      const justification = /\[exempted by exception "([^"]+)"/.exec(d.message)?.[1];
      res.result.suppressions = [{ kind: "external", status: "accepted", justification: `governed exception ${justification ?? ""}`.trim() }];
    }
    run.addResult(res);
  }
  builder.addRun(run);
  return builder.buildSarifOutput();
}
