/**
 * A pack that hangs or fails outside its awaited work must fail the
 * preview (exit 2), never leave it waiting or let it pass.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { explain, pack, program, runCli } from "./cli-harness";

// Keeps the hung case short; the CLI children inherit it.
process.env.DUESPARK_POLICY_TIMEOUT_SECONDS = "5";

const hanging = runCli(["--stack", "test", "--program", program("compliant"), "--policy-pack", pack("hanging"), "--no-progress"]);
const stray = runCli(["--stack", "test", "--program", program("compliant"), "--policy-pack", pack("stray-rejection"), "--no-progress"]);

test("a policy that never answers fails the preview after the call timeout", async () => {
  const run = await hanging;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /policy pack did not answer analyze within 5 s \(hung policy\?\)/);
  assert.doesNotMatch(run.stdout, /PASSED/);
});

test("an unhandled rejection inside the pack fails the preview instead of passing it", async () => {
  const run = await stray;
  assert.equal(run.code, 2, explain(run));
  assert.match(run.stderr, /policy pack crashed \(unhandled rejection\): Error: asynchronous check failed/);
  assert.doesNotMatch(run.stdout, /PASSED/);
});
