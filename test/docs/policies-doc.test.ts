/**
 * docs/POLICIES.md is generated from the pack (tools/docs/policies.ts): the
 * committed file must be exactly what the generator renders now, so the
 * catalogue never lags behind a policy, a threshold or a stack's policy
 * config. On failure: npm run docs:policies.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PACK_POLICIES } from "../../policies/registry";
import { DOC_FILE, isExemptible, renderPoliciesDoc, ROOT, testFileOf } from "../../tools/docs/policies";

const rendered = renderPoliciesDoc();

/** First differing line, to show what changed. */
function firstDifference(a: string, b: string): string {
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] !== y[i]) return `line ${i + 1}:\n  committed: ${JSON.stringify(x[i] ?? "(end of file)")}\n  generated: ${JSON.stringify(y[i] ?? "(end of file)")}`;
  }
  return "no difference";
}

test("docs/POLICIES.md is up to date with the pack", () => {
  assert.ok(fs.existsSync(DOC_FILE), "docs/POLICIES.md is missing: run npm run docs:policies");
  const committed = fs.readFileSync(DOC_FILE, "utf8");
  assert.ok(committed === rendered, `docs/POLICIES.md is out of date: run npm run docs:policies\n${firstDifference(committed, rendered)}`);
});

test("the catalogue has a section per policy with its facts", () => {
  for (const p of PACK_POLICIES) {
    const start = rendered.indexOf(`\n### ${p.meta.name}\n`);
    assert.ok(start >= 0, `no section for ${p.meta.name}`);
    const end = rendered.indexOf("\n### ", start + 1);
    const section = rendered.slice(start, end < 0 ? undefined : end);
    assert.ok(section.includes(p.meta.description), `${p.meta.name}: description`);
    assert.ok(section.includes(`| severity | ${p.meta.severity} |`), `${p.meta.name}: severity`);
    assert.ok(section.includes(`Remediation: ${p.meta.remediationSteps}`), `${p.meta.name}: remediation`);
    for (const t of p.resourceTypes) assert.ok(section.includes(`\`${t}\``), `${p.meta.name}: ${t}`);
    assert.ok(section.includes(isExemptible(p) ? "| `exceptions` |" : "**never exemptible**"), `${p.meta.name}: exemptibility`);
    for (const key of Object.keys(p.meta.config?.schema ?? {})) assert.ok(section.includes(`| \`${key}\` |`), `${p.meta.name}: config key ${key}`);
  }
});

test("concrete rows: defaults, framework ids and a never-exemptible policy", () => {
  assert.match(rendered, /\| `minDays` \| integer 7\.\.30 \| `30` \| Shortest allowed deletion window/);
  assert.match(rendered, /\| `maxDays` \| object \{jwt, database, api-key\} \| `\{"jwt":90,"database":180,"api-key":365\}` \|/);
  assert.match(rendered, /\| `tiers` \| array of integer 1\.\. \| `\[30,84,365,2555\]` \|/);
  assert.match(rendered, /### access-no-ssh-ingress[\s\S]*?\| exceptions \| \*\*never exemptible\*\* \|/);
  assert.match(rendered, /### kms-key-rotation[\s\S]*?\| PCI DSS v4\.0 \| 3\.5\.1, 3\.6\.1, 3\.7\.4 \|\n\| SOC 2 \| CC6\.1, CC6\.7 \|\n\| SOX \| ITGC-AC: cryptographic key management \|/);
  assert.match(rendered, /Never-exemptible policies have no `exceptions` key at all[^\n]*`secrets-cmk-encryption`, `access-no-ssh-ingress`, `access-mfa-for-shell`, `data-safety-protect`\./);
  // A regex default keeps its pipes escaped, so the table does not split.
  assert.match(rendered, /`"\(\^\\\|\[-_ \]\)\(db\\\|database/);
});

test("the governed exceptions and thresholds sections are there", () => {
  assert.match(rendered, /\n## Governed exceptions\n/);
  assert.match(rendered, /\| `expires` \| string \| last day the exception applies, `YYYY-MM-DD`, inclusive/);
  assert.match(rendered, /\n## Thresholds \(--policy-pack-config\)\n/);
  assert.match(rendered, /\| `secrets-replicated` \| `drRegion` \| `"us-west-2"` \| `"us-west-2"` \| `"us-east-1"` \| `"us-west-2"` \|/);
});

test("every linked test and source file exists", () => {
  const missing = PACK_POLICIES.flatMap((p) => [testFileOf(p), `policies/${p.meta.family}/${p.meta.name}.ts`]).filter((f) => !fs.existsSync(path.join(ROOT, f)));
  assert.deepEqual(missing, []);
});

test("the up-to-date check can fail: one changed character is reported with its line", () => {
  const changed = rendered.replace("| severity | high |", "| severity | low |");
  assert.notEqual(changed, rendered);
  assert.match(firstDifference(changed, rendered), /^line \d+:\n  committed: "\| severity \| low \|"/);
});
