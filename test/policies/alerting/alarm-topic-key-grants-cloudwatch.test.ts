import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PackHarness, startPack, unknown } from "../../support/pack";
import { alertStack, KEY_POLICY, URN } from "./stack";

const POLICY = "alarm-topic-key-grants-cloudwatch";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: key policy lets cloudwatch.amazonaws.com GenerateDataKey* and Decrypt", async () => {
  const r = await pack.analyzeStack(alertStack());
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: only the account statement (no CloudWatch grant)", async () => {
  const r = await pack.analyzeStack(alertStack({ keyPolicy: { ...KEY_POLICY, Statement: [KEY_POLICY.Statement[0]] } }));
  const violations = pack.mandatory(r, POLICY);
  assert.equal(violations.length, 2);
  assert.match(violations[0].message, /Topic "critical" receives alarms, but key "alerts-key" does not allow kms:GenerateDataKey for cloudwatch.amazonaws.com, kms:Decrypt for cloudwatch.amazonaws.com/);
  assert.equal(violations[0].urn, URN.critical);
});

test("non-compliant: Decrypt only", async () => {
  const stmt = { ...KEY_POLICY.Statement[1], Action: "kms:Decrypt" };
  const r = await pack.analyzeStack(alertStack({ keyPolicy: { ...KEY_POLICY, Statement: [KEY_POLICY.Statement[0], stmt] } }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /does not allow kms:GenerateDataKey for cloudwatch.amazonaws.com\.$/);
});

test("unknown key policy in a preview defers", async () => {
  const stack = alertStack().map((f) => (f.name === "alerts-key" ? { ...f, props: { ...f.props, policy: unknown } } : f));
  const r = await pack.analyzeStack(stack);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'alarm-topic-key-grants-cloudwatch'.*during preview/);
});
