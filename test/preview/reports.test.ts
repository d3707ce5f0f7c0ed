/**
 * Report files: JSON (schema version 1), the pull-request comment, SARIF
 * 2.1.0 and the graph as SVG and DOT, written by real CLI runs.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import type { Log } from "sarif";
import { explain, program, runCli, tempDir } from "./cli-harness";

const dir = tempDir("preview-reports");
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const out = (f: string) => path.join(dir, f);

const violating = runCli([
  "--stack", "test", "--program", program("violating"), "--quiet", "--no-progress",
  "--json", out("v.json"), "--markdown", out("v.md"), "--sarif", out("v.sarif"), "--graph", out("v.svg"),
]);
const eks = runCli(["--stack", "dev", "--program", program("eks-app"), "--quiet", "--no-progress", "--graph", out("eks.dot"), "--markdown", out("eks.md"), "--sarif", out("eks.sarif")]);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
const UNROTATED = "urn:pulumi:test::fixture-violating::aws:kms/key:Key::unrotated";

test("the CLI lists every report it wrote", async () => {
  const run = await violating;
  assert.equal(run.code, 1, explain(run));
  for (const f of ["v.json", "v.md", "v.sarif", "v.svg"]) assert.match(run.stdout, new RegExp(`^wrote ${escape(out(f))}$`, "m"));
});

test("JSON report: schema version 1 with the violation and the policy catalogue", async () => {
  await violating;
  const report = JSON.parse(fs.readFileSync(out("v.json"), "utf8"));
  assert.equal(report.schemaVersion, 1);
  assert.equal(report.project, "fixture-violating");
  assert.equal(report.stack, "test");
  assert.equal(report.dryRun, true);
  assert.deepEqual(report.violations.filter((v: { policy: string }) => v.policy === "kms-key-rotation"), [
    { policy: "kms-key-rotation", enforcementLevel: "mandatory", severity: "high", urn: UNROTATED, message: "Key rotation is not enabled (enableKeyRotation must be true for a symmetric key).", exempted: false },
  ]);
  assert.equal(report.summary.passed, false);
  assert.equal(report.summary.mandatory, 1);
  assert.equal(report.resources[0].inputs.enableKeyRotation, false);
  assert.ok(report.policies.some((p: { name: string; violations: number }) => p.name === "kms-key-rotation" && p.violations === 1));
});

test("Markdown comment: sticky marker, failed headline, summary and violation rows", async () => {
  await violating;
  const md = fs.readFileSync(out("v.md"), "utf8");
  const lines = md.split("\n");
  assert.equal(lines[0], "<!-- duespark-ops-preview:test -->");
  assert.match(lines[1], /^### ❌ Policy preview failed: `fixture-violating\/test` \(1 mandatory violation\)$/);
  assert.match(md, /\| Resources \| Policies \| Mandatory \| Advisory \| Exempted \| Deferred \|\n\|---:\|---:\|---:\|---:\|---:\|---:\|\n\| 1 \| \d+ \| 1 \| 0 \| 0 \| 0 \|/);
  assert.match(md, /\| 🔴 mandatory \| `kms-key-rotation` \| `aws:kms\/key:Key::unrotated` \| Key rotation is not enabled/);
  assert.match(md, /<details><summary>Resources per type \(1 resources, 1 types\)<\/summary>\n\n\| Type \| Count \|\n\|---\|---:\|\n\| `aws:kms\/key:Key` \| 1 \|/);
  assert.match(md, /\*\*Result: FAILED\*\*/);
});

test("SARIF: 2.1.0, every policy a rule, results point at the stack file and the resource URN", async () => {
  await violating;
  const sarif = JSON.parse(fs.readFileSync(out("v.sarif"), "utf8")) as Log;
  const report = JSON.parse(fs.readFileSync(out("v.json"), "utf8"));
  assert.equal(sarif.version, "2.1.0");
  assert.equal(sarif.$schema, "https://json.schemastore.org/sarif-2.1.0.json");
  assert.equal(sarif.runs.length, 1);
  const run = sarif.runs[0];
  const rules = run.tool.driver.rules ?? [];
  assert.deepEqual(rules.map((r) => r.id).sort(), report.policies.map((p: { name: string }) => p.name).sort());
  const rotation = rules.find((r) => r.id === "kms-key-rotation")!;
  assert.equal(rotation.helpUri, report.policies.find((p: { name: string }) => p.name === "kms-key-rotation").url);
  assert.match(rotation.help?.text ?? "", /enableKeyRotation: true/);
  assert.equal(rotation.properties?.["security-severity"], "8.0");
  assert.ok((rotation.properties?.tags as string[]).includes("pci-dss:3.6.1"));
  assert.equal(rotation.defaultConfiguration?.level, "error");

  const results = run.results ?? [];
  const ruleIds = new Set(rules.map((r) => r.id));
  for (const r of results) assert.ok(ruleIds.has(r.ruleId!), `result rule ${r.ruleId} is declared`);
  const finding = results.find((r) => r.ruleId === "kms-key-rotation")!;
  assert.equal(finding.level, "error");
  assert.equal(rules[finding.ruleIndex!].id, "kms-key-rotation");
  assert.equal(finding.message.text, "Key rotation is not enabled (enableKeyRotation must be true for a symmetric key).");
  const loc = finding.locations![0];
  assert.equal(loc.physicalLocation?.artifactLocation?.uri, "test/fixtures/programs/violating/stacks/Pulumi.test.yaml");
  assert.deepEqual(loc.logicalLocations, [{ fullyQualifiedName: UNROTATED, name: "unrotated", kind: "resource" }]);
});

test("SVG graph is rendered in-process and names the resource", async () => {
  await violating;
  const svg = fs.readFileSync(out("v.svg"), "utf8");
  assert.match(svg, /^(<\?xml|<svg)/);
  assert.match(svg, /<svg [^>]*width="\d+pt"/);
  assert.match(svg, />unrotated</);
  assert.match(svg, />aws:kms\/key:Key</);
});

test("DOT graph: components are clusters, parent edges solid, dependency edges dashed", async () => {
  const run = await eks;
  assert.ok(run.code === 0 || run.code === 1, explain(run));
  const dot = fs.readFileSync(out("eks.dot"), "utf8");
  const id = (label: string) => {
    const m = new RegExp(`^\\s*(r\\d+) \\[label="${escape(`${label.replace("|", "\\n")}`)}"`, "m").exec(dot);
    assert.ok(m, `node ${label} in\n${dot}`);
    return m[1];
  };
  const configFile = id("kubernetes:yaml:ConfigFile|settings");
  const configMap = id("kubernetes:core/v1:ConfigMap|apps/app-settings");
  const cluster = id("aws:eks/cluster:Cluster|cluster");
  const role = id("aws:iam/role:Role|cluster");
  assert.match(dot, new RegExp(`subgraph "cluster_${configFile}" \\{\\n\\s+label="ConfigFile settings";[^}]*${configMap} \\[`));
  assert.match(dot, new RegExp(`^  ${configFile} -> ${configMap};$`, "m"));
  assert.match(dot, new RegExp(`^  ${cluster} -> ${role} \\[style=dashed`, "m"));
  // Markdown and SARIF of a passing or advisory-only run are complete too.
  const md = fs.readFileSync(out("eks.md"), "utf8");
  assert.equal(md.split("\n")[0], "<!-- duespark-ops-preview:dev -->");
  assert.match(md, /\| `kubernetes:core\/v1:ConfigMap` \| 1 \|/);
  const sarif = JSON.parse(fs.readFileSync(out("eks.sarif"), "utf8")) as Log;
  assert.ok(Array.isArray(sarif.runs[0].results));
});
