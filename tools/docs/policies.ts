/**
 * npm run docs:policies — writes docs/POLICIES.md, the policy catalogue,
 * from the pack itself (PACK_POLICIES: metadata, framework mapping, config
 * schemas and defaults) and the stacks' policy config files, so the
 * catalogue cannot drift from the code. test/docs/policies-doc.test.ts
 * fails when the committed file differs from what this renders.
 */
import * as fs from "fs";
import * as path from "path";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import type { Family, PackPolicy } from "../../policies/lib/define";
import { exceptionsSchema } from "../../policies/lib/exceptions";
import { CONTROLS } from "../../policies/lib/frameworks";
import { RUNBOOK } from "../../policies/lib/runbook";
import { PACK_NAME, PACK_POLICIES } from "../../policies/registry";

export const ROOT = path.resolve(__dirname, "..", "..");
export const DOC_FILE = path.join(ROOT, "docs", "POLICIES.md");
const STACK_DIR = path.join(ROOT, "stacks");

const FAMILY_TITLES: Record<Family, string> = {
  keys: "Encryption keys",
  secrets: "Secrets",
  database: "Database",
  access: "Access",
  network: "Network",
  backup: "Backup",
  alerting: "Alerting",
  audit: "Audit",
  workload: "Kubernetes workload",
  recovery: "Recovery",
};

/** The test file of a policy (one per policy, mirroring policies/<family>/<name>.ts). */
export function testFileOf(p: PackPolicy): string {
  return `test/policies/${p.meta.family}/${p.meta.name}.test.ts`;
}

export const isExemptible = (p: PackPolicy) => p.meta.exemptible !== false;
const enforcementOf = (p: PackPolicy) => (p.meta.advisory ? "advisory" : "mandatory");

/** Text for a Markdown table cell: pipes escaped, line breaks flattened. */
function cell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

function code(text: string): string {
  return `\`${text}\``;
}

function runbookLink(p: PackPolicy): string {
  const anchor = RUNBOOK[p.meta.runbook].split("#")[1];
  return `[RUNBOOK.md#${anchor}](RUNBOOK.md#${anchor})`;
}

/** "integer 7..30", "array of string", "string (jwt, database, api-key)". */
function schemaType(schema: PolicyConfigJSONSchema): string {
  const s = schema as Record<string, any>;
  let t = Array.isArray(s.type) ? s.type.join(" or ") : String(s.type ?? "any");
  if (s.type === "array" && s.items) t = `array of ${schemaType(s.items)}`;
  if (s.enum) t += ` (${s.enum.join(", ")})`;
  if (s.minimum !== undefined || s.maximum !== undefined) t += ` ${s.minimum ?? ""}..${s.maximum ?? ""}`;
  if (s.type === "object" && s.properties) t += ` {${Object.keys(s.properties).join(", ")}}`;
  return t;
}

function configTable(p: PackPolicy): string[] {
  const schema = p.meta.config?.schema ?? {};
  const defaults = (p.meta.config?.defaults ?? {}) as Record<string, unknown>;
  const rows = Object.entries(schema).map(([key, s]) => {
    const d = (s as Record<string, unknown>).description;
    return `| ${code(key)} | ${cell(schemaType(s))} | ${cell(code(JSON.stringify(defaults[key])))} | ${cell(typeof d === "string" ? d : "")} |`;
  });
  if (isExemptible(p)) rows.push(`| ${code("exceptions")} | array of exception entries | ${code("[]")} | Governed exceptions (see [Governed exceptions](#governed-exceptions)). |`);
  if (rows.length === 0) return ["Config: none (no thresholds, never exemptible)."];
  return ["Config (`--policy-pack-config`):", "", "| key | type | default | meaning |", "| --- | --- | --- | --- |", ...rows];
}

function policySection(p: PackPolicy): string[] {
  const m = p.meta;
  const controls = CONTROLS[m.controls];
  const rows: [string, string][] = [
    ["kind", p.kind === "resource" ? "resource policy (each resource)" : "stack policy (the whole stack, resources linked by URN)"],
    ["severity", m.severity],
    ["enforcement", enforcementOf(p) + (m.advisory ? ` (${m.advisory.reason})` : "")],
    ["exceptions", isExemptible(p) ? "exemptible (governed exceptions apply)" : "**never exemptible**"],
    ["resource types", p.resourceTypes.map(code).join(", ")],
    ["PCI DSS v4.0", controls.pci.join(", ")],
    ["SOC 2", controls.soc2.join(", ")],
    ["SOX", controls.sox.join("; ")],
    ["runbook", runbookLink(p)],
    ["source", `[${code(`policies/${m.family}/${m.name}.ts`)}](../policies/${m.family}/${m.name}.ts)`],
    ["tests", `[${code(testFileOf(p))}](../${testFileOf(p)})`],
  ];
  return [
    `### ${m.name}`,
    "",
    m.description,
    "",
    "| | |",
    "| --- | --- |",
    ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`),
    "",
    ...configTable(p),
    "",
    `Remediation: ${m.remediationSteps}`,
    "",
  ];
}

/** Stacks' policy config files, as committed (stacks/policy-config.<stack>.json). */
function stackPolicyConfigs(): { stack: string; file: string; raw: Record<string, unknown> }[] {
  if (!fs.existsSync(STACK_DIR)) return [];
  return fs
    .readdirSync(STACK_DIR)
    .map((f) => ({ f, stack: /^policy-config\.(.+)\.json$/.exec(f)?.[1] }))
    .filter((x): x is { f: string; stack: string } => !!x.stack)
    .sort((a, b) => a.stack.localeCompare(b.stack))
    .map(({ f, stack }) => ({ stack, file: `stacks/${f}`, raw: JSON.parse(fs.readFileSync(path.join(STACK_DIR, f), "utf8")) as Record<string, unknown> }));
}

function thresholdsSection(): string[] {
  const configs = stackPolicyConfigs();
  // One row per policy key, one column per stack.
  const keys: string[] = [];
  const values = new Map<string, Map<string, unknown>>();
  for (const { stack, raw } of configs) {
    for (const [policy, value] of Object.entries(raw)) {
      const entries = value && typeof value === "object" && !Array.isArray(value) ? Object.entries(value) : [["enforcementLevel", value] as [string, unknown]];
      for (const [key, v] of entries) {
        const id = `${policy}\u0000${key}`;
        if (!values.has(id)) {
          keys.push(id);
          values.set(id, new Map());
        }
        values.get(id)!.set(stack, v);
      }
    }
  }
  const stacks = configs.map((c) => c.stack);
  const rows = keys.map((id) => {
    const [policy, key] = id.split("\u0000");
    const byStack = values.get(id)!;
    return `| ${code(policy)} | ${code(key)} | ${stacks.map((s) => (byStack.has(s) ? cell(code(JSON.stringify(byStack.get(s)))) : "default")).join(" | ")} |`;
  });
  return [
    "## Thresholds (--policy-pack-config)",
    "",
    "Every threshold above defaults to the runbook's value (or the AWS limit). A stack changes one only",
    "through its policy config file, in the format `pulumi preview --policy-pack-config` takes: a JSON",
    "object keyed by policy name, each entry an enforcement level (`\"advisory\"`, `\"mandatory\"`,",
    "`\"disabled\"`) or an object of config keys (optionally with `enforcementLevel`); `\"all\"` sets every",
    "policy's level.",
    "",
    "```sh",
    "pulumi preview --policy-pack policies --policy-pack-config stacks/policy-config.prod.json",
    "npm run preview -- --stack prod        # reads stacks/policy-config.prod.json by default",
    "```",
    "",
    "The file is validated against each policy's config schema before anything is evaluated: an unknown",
    "policy, an unknown key (a typo) or a value outside the schema stops the offline preview with exit 2,",
    "naming the policy, the key and what is allowed. Keys left out keep the runbook default.",
    "",
    "The stacks' files set only what depends on the stack (the DR region, how MFA is enforced, the",
    "database role names) and must agree with `stacks/Pulumi.<stack>.yaml` (checked by",
    "`test/stacks/policy-config.test.ts`):",
    "",
    `| policy | key | ${stacks.map((st) => `[${st}](../stacks/policy-config.${st}.json)`).join(" | ")} |`,
    `| --- | --- | ${stacks.map(() => "---").join(" | ")} |`,
    ...rows,
    "",
  ];
}

function exceptionsSection(): string[] {
  const never = PACK_POLICIES.filter((p) => !isExemptible(p));
  const fields = (exceptionsSchema as { items: { properties: Record<string, Record<string, unknown>> } }).items.properties;
  const rules: Record<string, string> = {
    id: "short identifier, e.g. the ticket number",
    resource:
      "exact URN, or a glob (`*`, `?`) matched against the URN or the resource's logical name; at least 3 letters or digits besides wildcards, punctuation and the `urn:pulumi:` prefix (`*`, `*::*`, `urn:pulumi:*` are refused and never match)",
    reason: "why the resource is exempt (at least 10 characters)",
    approver: "who approved the exception",
    expires: "last day the exception applies, `YYYY-MM-DD`, inclusive (end of that day, UTC); it must be a real calendar day: an impossible date (`2026-13-45`) is refused and never applies",
  };
  return [
    "## Governed exceptions",
    "",
    "An exemptible policy's config may carry `exceptions`: a list of entries, each naming one resource,",
    "why it is exempt, who approved it and when the exemption ends. All fields are required and no other",
    "field is accepted:",
    "",
    "| field | type | rule |",
    "| --- | --- | --- |",
    ...Object.entries(fields).map(([k, s]) => `| ${code(k)} | ${s.type} | ${cell(rules[k] ?? "")} |`),
    "",
    "```json",
    "{",
    '  "rds-iam-auth": {',
    '    "exceptions": [',
    '      { "id": "SEC-1234", "resource": "*legacy-reporting-db*", "reason": "Vendor tool cannot use IAM tokens; replaced in Q3.",',
    '        "approver": "security-lead", "expires": "2026-09-30" }',
    "    ]",
    "  }",
    "}",
    "```",
    "",
    "While an entry is active, a violation it matches is reported as an advisory note that names the",
    "exception (`[exempted by exception \"SEC-1234\": … (approved by …, expires …)]`): it no longer blocks,",
    "and the preview's reports list every exception in force. From the day after `expires` the entry",
    "stops applying: the violation is mandatory again and its message says which exception expired and",
    "when.",
    "",
    `Never-exemptible policies have no \`exceptions\` key at all (a config that sets one is rejected), and the offline preview refuses a policy config that sets them below \`mandatory\` (by name or through \`"all"\`): ${never.map((p) => code(p.meta.name)).join(", ")}.`,
    "",
  ];
}

export function renderPoliciesDoc(): string {
  const families: Family[] = [];
  for (const p of PACK_POLICIES) if (!families.includes(p.meta.family)) families.push(p.meta.family);
  const lines: string[] = [
    "# Policy catalogue",
    "",
    "<!-- Generated by `npm run docs:policies` (tools/docs/policies.ts) from the policy pack; do not edit by hand. -->",
    "",
    `The CrossGuard pack \`${PACK_NAME}\` (\`policies/\`) holds ${PACK_POLICIES.length} policies in ${families.length} families. Each one`,
    "blocks a change that breaks a line of the runbook ([RUNBOOK.md](RUNBOOK.md)), under `pulumi preview` /",
    "`pulumi up --policy-pack policies` and under the offline preview alike. Frameworks: PCI DSS v4.0",
    "requirements, SOC 2 (2017 trust services criteria) and SOX IT general control areas, from",
    "`policies/lib/frameworks.ts`.",
    "",
    "| policy | family | severity | enforcement | exceptions |",
    "| --- | --- | --- | --- | --- |",
    ...PACK_POLICIES.map(
      (p) => `| [${p.meta.name}](#${p.meta.name}) | ${p.meta.family} | ${p.meta.severity} | ${enforcementOf(p)} | ${isExemptible(p) ? "exemptible" : "never exemptible"} |`,
    ),
    "",
  ];
  for (const family of families) {
    lines.push(`## ${FAMILY_TITLES[family]} (\`policies/${family}/\`)`, "");
    for (const p of PACK_POLICIES.filter((x) => x.meta.family === family)) lines.push(...policySection(p));
  }
  lines.push(...exceptionsSection(), ...thresholdsSection());
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

if (require.main === module) {
  fs.writeFileSync(DOC_FILE, renderPoliciesDoc());
  process.stdout.write(`wrote ${path.relative(process.cwd(), DOC_FILE)} (${PACK_POLICIES.length} policies)\n`);
}
