/**
 * Bad input to the offline preview: a weakening or malformed policy config,
 * unusable report targets, a stack file that is a directory, repeated
 * options, a program whose error quotes secrets, a program without
 * node_modules and a pack that reports huge messages. Each mistake exits 2
 * with one `error:` naming what is wrong and no stack trace, writes no
 * report, and never prints a secret.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import { parseStackConfig } from "../../config/load";
import { checkReportTargets, writeRenderedReports } from "../../tools/preview/reports";
import { MAX_MESSAGE_CHARS, scrubSecrets, truncateMessage } from "../../tools/preview/run-preview";
import { readProject, readStack } from "../../tools/preview/stack-file";
import { explain, pack, program, ROOT, runCli, tempDir } from "./cli-harness";

const dir = tempDir("preview-bad-input");
after(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function policyConfig(config: unknown): string {
  const file = path.join(dir, `policy-config-${n++}.json`);
  fs.writeFileSync(file, JSON.stringify(config));
  return file;
}

const exception = (over: Record<string, string> = {}) => ({
  id: "SEC-1",
  resource: "*unrotated*",
  reason: "fixture exception for a key being retired",
  approver: "security-lead",
  expires: "2099-12-31",
  ...over,
});

function assertUsageError(run: { code: number | null; stdout: string; stderr: string }, expect: RegExp): void {
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /^error: /);
  assert.match(run.stderr, expect);
  assert.doesNotMatch(run.stderr, /^\s+at /m, "no stack trace for a user's mistake");
  assert.doesNotMatch(run.stderr, /unexpected failure|the policy pack failed/);
}

// The violating fixture has one mandatory kms-key-rotation violation (a KMS key named "unrotated").
const withConfig = (config: unknown, ...extra: string[]) =>
  runCli(["--stack", "test", "--program", program("violating"), "--policy-config", policyConfig(config), "--no-progress", ...extra]);

// --- 1. never-exemptible policies cannot be weakened -------------------------------------------

const weakening: [string, unknown, RegExp][] = [
  ['"all": "disabled"', { all: "disabled" }, /all: got "disabled"; "all" may only be "mandatory" .*never-exemptible and cannot be weakened: (?=.*access-no-ssh-ingress)(?=.*secrets-cmk-encryption)(?=.*access-mfa-for-shell)(?=.*data-safety-protect)/],
  ['"all": "advisory"', { all: "advisory" }, /all: got "advisory"; "all" may only be "mandatory"/],
  ["access-no-ssh-ingress disabled", { "access-no-ssh-ingress": "disabled" }, /access-no-ssh-ingress: got "disabled"; access-no-ssh-ingress is never-exemptible: its enforcement level cannot be weakened below mandatory/],
  ["access-no-ssh-ingress advisory", { "access-no-ssh-ingress": "advisory" }, /access-no-ssh-ingress: got "advisory"; access-no-ssh-ingress is never-exemptible/],
  ["access-no-ssh-ingress remediate", { "access-no-ssh-ingress": "remediate" }, /access-no-ssh-ingress: got "remediate"; access-no-ssh-ingress is never-exemptible/],
  [
    "secrets-cmk-encryption enforcementLevel disabled",
    { "secrets-cmk-encryption": { enforcementLevel: "disabled" } },
    /secrets-cmk-encryption\.enforcementLevel: got "disabled"; secrets-cmk-encryption is never-exemptible/,
  ],
];
for (const [name, config, expect] of weakening) {
  const run = withConfig(config);
  test(`policy config ${name}: refused with exit 2 naming the policies`, async () => assertUsageError(await run, expect));
}

const allMandatory = withConfig({ all: "mandatory" });
test('policy config "all": "mandatory" stays allowed (the violation still fails the preview)', async () => {
  const run = await allMandatory;
  assert.equal(run.code, 1, explain(run));
  assert.match(run.stdout, /\[mandatory\] kms-key-rotation/);
  assert.doesNotMatch(run.stdout, /Policies weakened by config/);
});

const weakenedJson = path.join(dir, "weakened.json");
const weakenedMd = path.join(dir, "weakened.md");
const weakened = withConfig({ "kms-key-rotation": "advisory" }, "--json", weakenedJson, "--markdown", weakenedMd);
test("an exemptible policy set to advisory passes, and every report lists it as weakened by config", async () => {
  const run = await weakened;
  assert.equal(run.code, 0, explain(run));
  assert.match(run.stdout, /Policies weakened by config \(1\):\n {2}kms-key-rotation {2}advisory \(default mandatory\)\n/);
  const report = JSON.parse(fs.readFileSync(weakenedJson, "utf8"));
  assert.deepEqual(report.weakenedPolicies, [{ policy: "kms-key-rotation", enforcementLevel: "advisory", default: "mandatory" }]);
  const md = fs.readFileSync(weakenedMd, "utf8");
  assert.match(md, /#### Policies weakened by config \(1\)\n\n\| Policy \| Level \| Default \|\n\|---\|---\|---\|\n\| `kms-key-rotation` \| advisory \| mandatory \|/);
});

// --- 2-5. exceptions and properties are validated before use ------------------------------------

const malformed: [string, unknown, RegExp][] = [
  ['an exception on "*"', { "kms-key-rotation": { exceptions: [exception({ resource: "*" })] } }, /kms-key-rotation\.exceptions\[0\] \(id "SEC-1"\)\.resource: got "\*"; a resource pattern must name something specific: at least 3 letters or digits/],
  ['an exception on "urn:pulumi:*"', { "kms-key-rotation": { exceptions: [exception({ resource: "urn:pulumi:*" })] } }, /\.resource: got "urn:pulumi:\*"; a resource pattern must name something specific/],
  ['an exception on "*::*"', { "kms-key-rotation": { exceptions: [exception({ resource: "*::*" })] } }, /\.resource: got "\*::\*"; a resource pattern must name something specific/],
  ["an expiry of 2026-13-45", { "kms-key-rotation": { exceptions: [exception({ expires: "2026-13-45" })] } }, /kms-key-rotation\.exceptions\[0\] \(id "SEC-1"\)\.expires: got "2026-13-45"; not a real calendar date \(YYYY-MM-DD\)/],
  ["an expiry of 2020-02-30", { "kms-key-rotation": { exceptions: [exception({ expires: "2020-02-30" })] } }, /\.expires: got "2020-02-30"; not a real calendar date/],
  ["prototype-named properties", { "rds-iam-auth": { constructor: 1, toString: "x" } }, /rds-iam-auth\.constructor: unknown property; allowed: [\s\S]*rds-iam-auth\.toString: unknown property/],
  ["a prototype-named policy", { constructor: "disabled" }, /constructor: no such policy in pack/],
  ["exceptions given as an object", { "rds-iam-auth": { exceptions: { id: "x" } } }, /rds-iam-auth\.exceptions: got \{"id":"x"\} \(object\); expected array/],
];
for (const [name, config, expect] of malformed) {
  const run = withConfig(config);
  test(`policy config with ${name}: exit 2 naming the policy and the rule`, async () => {
    const r = await run;
    assertUsageError(r, expect);
    assert.match(r.stderr, /^error: invalid policy config \(.*policy-config-\d+\.json\):\n {2}- /);
  });
}

// --- 6. report targets are checked before the preview runs --------------------------------------

const existingDir = fs.mkdirSync(path.join(dir, "a-directory.json"), { recursive: true })!;
const targetCases: [string, string[], RegExp][] = [
  ["--json naming a directory", ["--json", existingDir], new RegExp(`--json: cannot write to ${existingDir.replace(/[.]/g, "\\.")}: it is a directory`)],
  ["--json below a file", ["--json", "package.json/x.json"], new RegExp(`--json: cannot write to ${path.join(ROOT, "package.json", "x.json").replace(/[.]/g, "\\.")}: ${path.join(ROOT, "package.json").replace(/[.]/g, "\\.")} is not a directory`)],
  ["--markdown naming a directory next to a good --json", ["--json", path.join(dir, "good.json"), "--markdown", existingDir], /--markdown: cannot write to .*a-directory\.json: it is a directory/],
  ["--json and --sarif naming the same file", ["--json", path.join(dir, "same.out"), "--sarif", path.join(dir, "same.out")], /--sarif: .*same\.out is also the --json target/],
];
for (const [name, args, expect] of targetCases) {
  const run = runCli(["--stack", "test", "--program", program("violating"), "--no-progress", ...args]);
  test(`${name}: exit 2 before the preview runs, no report written`, async () => {
    const r = await run;
    assertUsageError(r, expect);
    assert.equal(r.stdout, "", "the preview did not run");
    assert.equal(fs.existsSync(path.join(dir, "good.json")), false);
    assert.equal(fs.existsSync(path.join(dir, "same.out")), false);
  });
}

test("a report that fails to write removes the ones written before it (all or nothing)", () => {
  const first = path.join(dir, "atomic", "first.json");
  assert.throws(
    () => writeRenderedReports([
      { flag: "--json", file: first, content: "{}\n" },
      { flag: "--markdown", file: path.join(ROOT, "package.json", "second.md"), content: "# x\n" },
    ]),
    (e: Error) => e.name === "UsageError" && /^--markdown: cannot write to .*package\.json\/second\.md: \/.*\/package\.json is not a directory; no report of this run was kept$/.test(e.message),
  );
  assert.equal(fs.existsSync(first), false);
  assert.equal(fs.existsSync(path.dirname(first)), false, "the directory created for it is gone too");
  assert.deepEqual(fs.readdirSync(ROOT).filter((f) => f.endsWith(".tmp")), []);
  // Targets are checked up front as well.
  assert.throws(() => checkReportTargets({ graph: dir }), /--graph: cannot write to .*: it is a directory/);
  assert.doesNotThrow(() => checkReportTargets({ json: path.join(dir, "new", "deeper", "r.json") }));
});

// --- 7. a stack file that is a directory -------------------------------------------------------

const dirProject = fs.mkdtempSync(path.join(dir, "dir-stack-"));
fs.copyFileSync(path.join(ROOT, program("compliant"), "Pulumi.yaml"), path.join(dirProject, "Pulumi.yaml"));
fs.mkdirSync(path.join(dirProject, "stacks", "Pulumi.x.yaml"), { recursive: true });
const dirStack = runCli(["--stack", "x", "--program", dirProject, "--no-progress"]);
test("a stack file that is a directory: exit 2 saying so, no EISDIR trace", async () => {
  assertUsageError(await dirStack, /Pulumi\.x\.yaml is a directory, not a YAML file/);
});

// --- 9. repeated options -------------------------------------------------------------------------

const repeated = runCli(["--stack", "prod", "--stack", "dev", "--quiet", "--quiet", "--no-progress"]);
test("repeated options are refused instead of the last one silently winning", async () => {
  const run = await repeated;
  assertUsageError(run, /^error: --stack given 2 times, --quiet given 2 times; give each option once/);
  assert.equal(run.stdout, "");
});

// --- 10. secrets in a program's error ----------------------------------------------------------

const secretStack = readStack(readProject(path.join(ROOT, program("secret-error"))), "test");
const secretRun = runCli(["--stack", "test", "--program", program("secret-error"), "--no-progress"]);
test("a program error quoting secrets prints [secret] instead (literal secret, secure config, secret input, shapes)", async () => {
  const run = await secretRun;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /^error: the program failed: bad key \[secret\]; token \[secret\]; password \[secret\]; url /);
  const all = run.stdout + run.stderr;
  for (const s of ["sk_live_4eC39HqLyjWDarjtT1zdp7dcFixture", "fixture-registered-pa55word-value", ...secretStack.placeholders, "SECRETERROR"]) {
    assert.equal(all.includes(s), false, `output contains ${s}`);
  }
  // The frames that locate the bug are kept.
  assert.match(run.stderr, /at .*secret-error\/index\.ts:\d+/);
});

test("scrubSecrets replaces known values and secret-shaped words, keeping the rest", () => {
  assert.equal(scrubSecrets("token abc-known-value here", ["abc-known-value"]), "token [secret] here");
  assert.equal(scrubSecrets('key="AKIAABCDEFGHIJKLMNOP" ok', []), 'key="[secret]" ok');
  assert.equal(scrubSecrets("conn postgres://app:hunter2@db:5432/x failed", []), "conn [secret] failed");
  assert.equal(scrubSecrets("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- tail", []), "[secret] tail");
  assert.equal(scrubSecrets("plain message at index.ts:12", ["zzzz"]), "plain message at index.ts:12");
});

// --- 11. a program directory without node_modules ----------------------------------------------

const bare = fs.mkdtempSync(path.join(dir, "bare-"));
fs.cpSync(path.join(ROOT, program("compliant")), bare, { recursive: true });
const bareRun = runCli(["--stack", "test", "--program", bare, "--no-progress"]);
test("a program without node_modules: the missing module first, what to do, no loader frames", async () => {
  const run = await bareRun;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, new RegExp(`^error: the program failed: the program cannot load: Cannot find (module|package) '@pulumi/[a-z]+'[^\\n]*; run npm install in ${bare.replace(/[.]/g, "\\.")}\\n?$`));
  assert.doesNotMatch(run.stderr, /^\s+at /m);
  assert.doesNotMatch(run.stderr, /process exited/);
});

// --- 12. huge policy messages ------------------------------------------------------------------

const hugeJson = path.join(dir, "huge.json");
const hugeMd = path.join(dir, "huge.md");
const hugeSarif = path.join(dir, "huge.sarif");
const hugeRun = runCli(["--stack", "test", "--program", program("huge-message"), "--policy-pack", pack("leaky"), "--no-progress", "--json", hugeJson, "--markdown", hugeMd, "--sarif", hugeSarif]);
test("a 200,000-character policy message is cut to 4,000 characters in every output", async () => {
  const run = await hugeRun;
  assert.equal(run.code, 0, explain(run));
  const full = "variable HUGE = " + "y".repeat(200_000) + " | quoted";
  const cut = `${full.slice(0, MAX_MESSAGE_CHARS)}... (truncated, ${full.length} characters)`;
  assert.ok(run.stdout.includes(`      ${cut}\n`), "terminal");
  assert.ok(run.stdout.length < 10_000, `terminal output is ${run.stdout.length} characters`);
  const report = JSON.parse(fs.readFileSync(hugeJson, "utf8"));
  assert.equal(report.violations[0].message, cut);
  const sarif = JSON.parse(fs.readFileSync(hugeSarif, "utf8"));
  assert.equal(sarif.runs[0].results[0].message.text, cut);
  const md = fs.readFileSync(hugeMd, "utf8");
  assert.ok(md.includes(`| ${cut} |`), "markdown");
  assert.ok(md.length < 12_000, `markdown is ${md.length} characters`);
});

test("truncation keeps the policy description and the exception note", () => {
  const body = "z".repeat(5000);
  const note = '\n[exempted by exception "SEC-9": legacy (approved by a, expires 2099-01-01)]';
  const out = truncateMessage(`Policy description\n${body}${note}`, "Policy description");
  assert.equal(out, `Policy description\n${"z".repeat(4000)}... (truncated, ${body.length + note.length} characters)${note}`);
  assert.equal(truncateMessage("short", "d"), "short");
});

// --- 8, 13. config messages: secure provider keys and empty values ------------------------------

const prod = readStack(readProject(ROOT), "prod");
test("a secure provider key is shown as [secret] in a config error, never its placeholder", () => {
  const values = { ...prod.config, "aws:region": "offline-secret-0123456789ab" };
  assert.throws(
    () => parseStackConfig({ values, secretKeys: new Set([...prod.secretKeys, "aws:region"]) }, "prod"),
    (e: Error) => /aws:region: got \[secret\]; /.test(e.message) && !e.message.includes("offline-secret-0123456789ab"),
  );
});

test("a null (empty) structured value is described as an empty value, not as a string", () => {
  const values = { ...prod.config, "duespark-ops:backup": "" };
  assert.throws(() => parseStackConfig({ values, secretKeys: new Set(prod.secretKeys) }, "prod"), /duespark-ops:backup: got an empty value \(null or ""\); expected object/);
  // The stack file maps YAML null to the empty value the engine passes.
  const file = path.join(dir, "null-project");
  fs.mkdirSync(path.join(file, "stacks"), { recursive: true });
  fs.writeFileSync(path.join(file, "Pulumi.yaml"), "name: nullcheck\nruntime: nodejs\nstackConfigDir: stacks\n");
  fs.writeFileSync(path.join(file, "stacks", "Pulumi.s.yaml"), "config:\n  nullcheck:backup: null\n");
  assert.equal(readStack(readProject(file), "s").config["nullcheck:backup"], "");
});
