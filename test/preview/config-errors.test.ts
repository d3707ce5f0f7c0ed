/**
 * Malformed stack configs of the real project: each is a copy of the prod
 * stack file with one mistake. They live in a scratch project folder whose
 * program files are links to this repository's (so the real program and
 * its config validation run) and whose stacks/ holds only these temporary
 * files, so the real stacks/ folder is never touched. Each must exit 2
 * naming the offending key, without a stack trace, before any resource is
 * registered or any report is written.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import { Document, parseDocument } from "yaml";
import { explain, ROOT, runCli, tempDir } from "./cli-harness";

const PROD = fs.readFileSync(path.join(ROOT, "stacks", "Pulumi.prod.yaml"), "utf8");
const reports = tempDir("preview-config");
// Inside the repository so that the linked program resolves this repository's node_modules.
fs.mkdirSync(path.join(ROOT, "node_modules", ".cache"), { recursive: true });
const project = fs.mkdtempSync(path.join(ROOT, "node_modules", ".cache", "config-errors-"));
for (const entry of ["index.ts", "config", "components", "lambdas", "package.json", "tsconfig.json"]) {
  fs.symlinkSync(path.join(ROOT, entry), path.join(project, entry));
}
fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(project, "Pulumi.yaml"));
fs.mkdirSync(path.join(project, "stacks"));

after(() => {
  fs.rmSync(project, { recursive: true, force: true });
  fs.rmSync(reports, { recursive: true, force: true });
});

function prodWith(edit: (doc: Document) => void): string {
  const doc = parseDocument(PROD);
  edit(doc);
  return doc.toString();
}

function writeStack(text: string): string {
  const stack = `tmp-preview-${randomBytes(4).toString("hex")}`;
  fs.writeFileSync(path.join(project, "stacks", `Pulumi.${stack}.yaml`), text);
  return stack;
}

interface Case {
  name: string;
  text: string;
  /** What stderr must say: the offending key and why. */
  expect: RegExp;
}

const set = (keyPath: (string | number)[], value: unknown) => prodWith((d) => d.setIn(["config", ...keyPath], value));

const cases: Case[] = [
  {
    name: "a retention period given as a string",
    text: set(["duespark-ops:backup", "retentionDays", "daily"], "30"),
    expect: /duespark-ops:backup\.retentionDays\.daily: got "30" \(string\)/,
  },
  { name: "a region that does not exist", text: set(["aws:region"], "us-east-3"), expect: /aws:region: got "us-east-3" \(string\); is not an AWS region/ },
  { name: "a DR region equal to the primary region", text: set(["duespark-ops:drRegion"], "us-east-1"), expect: /duespark-ops:drRegion: got "us-east-1" \(string\); must differ from aws:region \(us-east-1\)/ },
  {
    name: "four database admins",
    text: set(["duespark-ops:database", "admins"], ["alice_nguyen", "marco_rossi", "priya_shah", "dan_otieno"]),
    expect: /duespark-ops:database\.admins: got .*\(array\); .*at most 3/,
  },
  { name: "a JWT rotation of 0 days", text: set(["duespark-ops:secrets", "rotationDays", "jwt"], 0), expect: /duespark-ops:secrets\.rotationDays\.jwt: got 0 \(number\)/ },
  { name: "an unknown project key", text: set(["duespark-ops:nonsense"], "yes"), expect: /duespark-ops:nonsense: unknown key; allowed keys: duespark-ops:environment/ },
  {
    name: "a vault lock changeable for 1 day",
    text: set(["duespark-ops:backup", "vaultLock", "changeableForDays"], 1),
    expect: /duespark-ops:backup\.vaultLock\.changeableForDays: got 1 \(number\)/,
  },
  { name: "a privileged container port", text: set(["duespark-ops:workload", "containerPort"], 80), expect: /duespark-ops:workload\.containerPort: got 80 \(number\)/ },
  {
    name: "12 PagerDuty escalation loops",
    text: set(["duespark-ops:alerting", "pagerduty", "escalationLoops"], 12),
    expect: /duespark-ops:alerting\.pagerduty\.escalationLoops: got 12 \(number\)/,
  },
  { name: "a 3-day KMS deletion window", text: set(["duespark-ops:keys", "deletionWindowDays"], 3), expect: /duespark-ops:keys\.deletionWindowDays: got 3 \(number\)/ },
  { name: "a /33 VPC CIDR", text: set(["duespark-ops:network", "vpcCidr"], "10.0.0.0/33"), expect: /duespark-ops:network\.vpcCidr: got "10\.0\.0\.0\/33" \(string\)/ },
  {
    name: "malformed YAML",
    text: PROD.replace("  duespark-ops:drRegion: us-west-2", "  duespark-ops:drRegion: [us-west-2"),
    expect: /Pulumi\.tmp-preview-[0-9a-f]{8}\.yaml is not valid YAML: /,
  },
];

const runs = cases.map((c, i) => {
  const stack = writeStack(c.text);
  const json = path.join(reports, `${i}.json`);
  return { stack, json, run: runCli(["--program", project, "--stack", stack, "--json", json, "--markdown", path.join(reports, `${i}.md`), "--no-progress"]) };
});

cases.forEach((c, i) => {
  test(`${c.name}: exit 2 naming the key, nothing registered or written`, async () => {
    const { stack, json, run: pending } = runs[i];
    const run = await pending;
    assert.equal(run.code, 2, explain(run));
    assert.match(run.stderr, c.expect);
    if (c.name !== "malformed YAML") assert.match(run.stderr, new RegExp(`^error: invalid configuration for stack "${stack}":\n  - `));
    assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace for a config mistake");
    // No resource tree, no verdict, no report: the program never declared anything.
    assert.equal(run.stdout, "");
    assert.equal(fs.existsSync(json), false);
    // Secret values of the stack never appear in the message.
    assert.doesNotMatch(run.stderr, /offline-secret-|v1:Fk7sQm2Xl0aZp9Qe/);
  });
});
