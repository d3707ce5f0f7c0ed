/**
 * Secrets never reach any output: not the terminal, JSON, Markdown, SARIF
 * or the graph. Covers secure stack config (placeholders), a literal
 * pulumi.secret(...) resource input, and a pack that quotes property
 * values in its messages.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import { readProject, readStack } from "../../tools/preview/stack-file";
import { explain, pack, program, ROOT, runCli, tempDir } from "./cli-harness";

const dir = tempDir("preview-secrets");
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const reportArgs = (prefix: string) => ["--json", path.join(dir, `${prefix}.json`), "--markdown", path.join(dir, `${prefix}.md`), "--sarif", path.join(dir, `${prefix}.sarif`), "--graph", path.join(dir, `${prefix}.dot`)];
const files = (prefix: string) => ["json", "md", "sarif", "dot"].map((e) => path.join(dir, `${prefix}.${e}`));

const violatingStack = readStack(readProject(path.join(ROOT, program("violating"))), "test");
const webserverStack = readStack(readProject(path.join(ROOT, program("webserver"))), "dev");
const LITERAL = "fixture-literal-s3cr3t-token";

const violating = runCli(["--stack", "test", "--program", program("violating"), "--no-progress", ...reportArgs("violating")]);
// Update mode: the leaky pack sees every value and quotes them in its messages.
const leaky = runCli(["--stack", "dev", "--program", program("webserver"), "--policy-pack", pack("leaky"), "--update", "--no-progress", ...reportArgs("leaky")]);

function assertClean(text: string, where: string, forbidden: string[]): void {
  for (const s of forbidden) assert.equal(text.includes(s), false, `${where} contains ${JSON.stringify(s)}`);
}

test("secure config becomes placeholders the program can use as secrets", () => {
  assert.deepEqual(violatingStack.secretKeys, ["fixture-violating:apiToken"]);
  assert.equal(violatingStack.placeholders.length, 1);
  assert.match(violatingStack.placeholders[0], /^offline-secret-[0-9a-f]{12}$/);
  assert.equal(violatingStack.config["fixture-violating:apiToken"], violatingStack.placeholders[0]);
});

test("secure config of the violating fixture appears in no output", async () => {
  const run = await violating;
  assert.equal(run.code, 1, explain(run));
  const forbidden = [...violatingStack.placeholders, "v1:AAAAAAAAAAAAAAAA", "BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"];
  assertClean(run.stdout + run.stderr, "terminal output", forbidden);
  for (const f of files("violating")) assertClean(fs.readFileSync(f, "utf8"), f, forbidden);
  // Redacted, not dropped: the secret-derived output is still listed.
  const report = JSON.parse(fs.readFileSync(path.join(dir, "violating.json"), "utf8"));
  assert.equal(report.outputs.tokenLength, "[secret]");
});

test("secret resource inputs and secrets quoted by a policy appear in no output", async () => {
  const run = await leaky;
  assert.equal(run.code, 0, explain(run));
  const forbidden = [...webserverStack.placeholders, LITERAL, "v1:WEBSERVERAAAAAAA"];
  assertClean(run.stdout + run.stderr, "terminal output", forbidden);
  for (const f of files("leaky")) assertClean(fs.readFileSync(f, "utf8"), f, forbidden);

  // The policy did quote the variables; the secret ones are scrubbed, the plain one is kept.
  assert.match(run.stdout, /variable API_TOKEN = \[secret\] \| quoted/);
  assert.match(run.stdout, /variable DB_PASSWORD = \[secret\] \| quoted/);
  assert.match(run.stdout, /variable SERVER_IP = 172\.31\.\d+\.\d+ \| quoted/);
  const report = JSON.parse(fs.readFileSync(path.join(dir, "leaky.json"), "utf8"));
  const fn = report.resources.find((r: { type: string }) => r.type === "aws:lambda/function:Function");
  assert.deepEqual(Object.keys(fn.inputs.environment.variables).sort(), ["API_TOKEN", "DB_PASSWORD", "SERVER_IP"]);
  assert.equal(fn.inputs.environment.variables.API_TOKEN, "[secret]");
  assert.equal(fn.inputs.environment.variables.DB_PASSWORD, "[secret]");
  assert.equal(report.outputs.dbPasswordLength, "[secret]");
  const md = fs.readFileSync(path.join(dir, "leaky.md"), "utf8");
  assert.match(md, /\| 🟡 advisory \| `quotes-environment` \| `aws:lambda\/function:Function::handler` \| variable API_TOKEN = \[secret\] \\\| quoted \|/);
});
