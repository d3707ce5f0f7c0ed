/**
 * Exit codes of the offline preview CLI: 0 pass, 1 mandatory violation,
 * 2 for anything that prevents a verdict (bad usage, a failing program, a
 * failing or dying policy pack) - never 0 when the pack could not judge.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { explain, pack, program, runCli } from "./cli-harness";

const NO_TRACE = /^\s+at /m;

// Started together (a few at a time); each test awaits its own run.
const violating = runCli(["--stack", "test", "--program", program("violating"), "--no-progress"]);
const compliant = runCli(["--stack", "test", "--program", program("compliant"), "--no-progress"]);
const throwingProgram = runCli(["--stack", "test", "--program", program("throwing"), "--no-progress"]);
const throwingPack = runCli(["--stack", "test", "--program", program("compliant"), "--policy-pack", pack("throwing"), "--no-progress"]);
const dyingPack = runCli(["--stack", "test", "--program", program("compliant"), "--policy-pack", pack("dying"), "--no-progress"]);
const noStack = runCli(["--program", program("violating")]);
const unknownOption = runCli(["--stack", "test", "--program", program("violating"), "--colour"]);
const unknownStack = runCli(["--stack", "no-such-stack", "--program", program("violating")]);
const pngGraph = runCli(["--stack", "test", "--program", program("violating"), "--graph", "out/graph.png"]);

test("a mandatory violation exits 1 and names the policy and the resource", async () => {
  const run = await violating;
  assert.equal(run.code, 1, explain(run));
  assert.match(run.stdout, /\[mandatory\] kms-key-rotation \(high\)\s+aws:kms\/key:Key::unrotated/);
  assert.match(run.stdout, /Key rotation is not enabled/);
  assert.match(run.stdout, /Result: FAILED/);
});

test("a compliant program exits 0 with no violation", async () => {
  const run = await compliant;
  assert.equal(run.code, 0, explain(run));
  assert.match(run.stdout, /aws:kms\/key:Key\s+rotated/);
  assert.match(run.stdout, /Policy verdicts \(0\):\n\s+no violations/);
  assert.match(run.stdout, /Result: PASSED/);
  assert.equal(run.stderr, "");
});

test("a program that throws exits 2 with its message and no verdict", async () => {
  const run = await throwingProgram;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /error: the program failed: fixture failure: settings table is empty/);
  // The failing line is shown so it can be found.
  assert.match(run.stderr, /throwing\/index\.ts:7/);
  assert.doesNotMatch(run.stdout, /Result: (PASSED|FAILED)/);
});

test("a policy that throws exits 2 naming the policy", async () => {
  const run = await throwingPack;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /error: the policy pack failed, so the preview cannot pass: .*'always-throws'/);
  assert.match(run.stderr, /fixture policy bug: cannot read the resource/);
  assert.doesNotMatch(run.stdout, /Result: PASSED/);
});

test("a pack process that dies mid-evaluation exits 2, never 0", async () => {
  const run = await dyingPack;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /error: the policy pack failed, so the preview cannot pass: policy pack process died \(code 0\)/);
  assert.doesNotMatch(run.stdout, /Result: PASSED/);
});

test("missing --stack exits 2 with the usage", async () => {
  const run = await noStack;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /^error: --stack is required/);
  assert.match(run.stderr, /Usage: npm run preview -- --stack <name>/);
  assert.doesNotMatch(run.stderr, NO_TRACE);
});

test("an unknown option exits 2 naming it", async () => {
  const run = await unknownOption;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /^error: Unknown option '--colour'/);
  assert.doesNotMatch(run.stderr, NO_TRACE);
});

test("an unknown stack exits 2 listing the stacks there", async () => {
  const run = await unknownStack;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /^error: unknown stack "no-such-stack": no .*Pulumi\.no-such-stack\.yaml; stacks here: test\n$/);
  assert.doesNotMatch(run.stderr, NO_TRACE);
});

test("--graph with an unsupported extension exits 2 before running anything", async () => {
  const run = await pngGraph;
  assert.equal(run.code, 2, explain(run));
  assert.equal(run.stderr, 'error: --graph: got "out/graph.png"; the file must end in .svg or .dot\n');
  assert.equal(run.stdout, "");
});
