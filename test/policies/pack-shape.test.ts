/**
 * The pack as a whole: every type token a policy targets is a real provider
 * resource in the installed packages (a typo would make a policy silently
 * apply to nothing), no policy targets a component (duespark:*), every
 * policy carries full metadata, and names are unique.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PACK_POLICIES } from "../../policies/registry";

const ROOT = path.resolve(__dirname, "..", "..", "node_modules", "@pulumi");
const PACKAGES = ["aws", "kubernetes", "postgresql", "pagerduty"];

/** The module file a token's class lives in: aws:backup/vault:Vault -> aws/backup/vault.js, k8s groups by first label. */
function moduleFile(token: string): string | undefined {
  const m = /^([a-z0-9]+):([^:]+):([A-Za-z0-9]+)$/.exec(token);
  if (!m) return undefined;
  const [, pkg, mod, type] = m;
  if (pkg === "kubernetes") {
    const [group, version] = mod.split("/");
    const dir = group === "core" ? "core" : group.split(".")[0];
    return path.join(ROOT, pkg, dir, version, `${type[0].toLowerCase()}${type.slice(1)}.js`);
  }
  const [area, file] = mod.split("/");
  return area === "index" ? path.join(ROOT, pkg, `${file}.js`) : path.join(ROOT, pkg, area, `${file}.js`);
}

function declares(file: string, token: string): boolean {
  if (!fs.existsSync(file)) return false;
  const src = fs.readFileSync(file, "utf8");
  return src.includes(`__pulumiType = '${token}'`) || src.includes(`__pulumiType = "${token}"`);
}

test("every targeted type token exists in the installed provider packages", () => {
  const problems: string[] = [];
  for (const p of PACK_POLICIES) {
    for (const token of p.resourceTypes) {
      const pkg = token.split(":")[0];
      if (!PACKAGES.includes(pkg)) {
        problems.push(`${p.meta.name}: ${token} is not a type of ${PACKAGES.join("/")}`);
        continue;
      }
      const file = moduleFile(token);
      if (!file || !declares(file, token)) problems.push(`${p.meta.name}: ${token} is not declared in ${file ?? "(unparseable token)"}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("the token check can fail: a misspelt token is caught", () => {
  assert.equal(declares(moduleFile("aws:backup/vault:Vault")!, "aws:backup/vault:Vault"), true);
  assert.equal(declares(moduleFile("aws:backup/vaultLock:VaultLock")!, "aws:backup/vaultLock:VaultLock"), false);
  assert.equal(declares(moduleFile("kubernetes:networking.k8s.io/v1:Ingress")!, "kubernetes:networking.k8s.io/v1:Ingress"), true);
});

test("no policy targets a component type", () => {
  const components = PACK_POLICIES.flatMap((p) => p.resourceTypes.filter((t) => t.startsWith("duespark:")).map((t) => `${p.meta.name}: ${t}`));
  assert.deepEqual(components, []);
});

test("every policy has description, severity, framework mapping, remediation and runbook url", () => {
  const problems: string[] = [];
  for (const p of PACK_POLICIES) {
    const pol = p.policy as unknown as Record<string, any>;
    const name = p.meta.name;
    if (!pol.description || pol.description.length < 20) problems.push(`${name}: description`);
    if (!["low", "medium", "high", "critical"].includes(pol.severity)) problems.push(`${name}: severity ${pol.severity}`);
    if (pol.framework?.name !== "PCI DSS" || !pol.framework?.reference) problems.push(`${name}: framework`);
    if (!pol.remediationSteps || pol.remediationSteps.length < 20) problems.push(`${name}: remediationSteps`);
    if (!/^https:\/\/.+RUNBOOK\.md#[a-z-]+$/.test(pol.url ?? "")) problems.push(`${name}: url ${pol.url}`);
    if (p.resourceTypes.length === 0) problems.push(`${name}: no resource types`);
  }
  assert.deepEqual(problems, []);
});

test("policy names are unique and kebab-case", () => {
  const names = PACK_POLICIES.map((p) => p.meta.name);
  assert.deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
  assert.deepEqual(names.filter((n) => !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(n)), []);
});

test("families of this pack are registered", () => {
  const names = new Set(PACK_POLICIES.map((p) => p.meta.name));
  for (const n of ["backup-vault-lock-compliance", "alarm-routing", "audit-bucket-object-lock", "k8s-probes", "recovery-rpo", "data-safety-protect"]) assert.ok(names.has(n), n);
});
