import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "kms-key-rotation";
const KEY = "aws:kms/key:Key";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: symmetric key with rotation enabled", async () => {
  const r = await pack.analyze(fixture(KEY, "cmk", { enableKeyRotation: true, deletionWindowInDays: 30 }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: rotation disabled", async () => {
  const r = await pack.analyze(fixture(KEY, "cmk", { enableKeyRotation: false }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Key rotation is not enabled/);
  assert.equal(v.severity, "high");
});

test("non-compliant: rotation property absent on a SYMMETRIC_DEFAULT key", async () => {
  const r = await pack.analyze(fixture(KEY, "cmk", { customerMasterKeySpec: "SYMMETRIC_DEFAULT" }));
  assert.equal(pack.mandatory(r, POLICY).length, 1);
});

test("not applicable: asymmetric signing key cannot rotate", async () => {
  const r = await pack.analyze(fixture(KEY, "signing", { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("unknown rotation flag in a preview defers instead of failing", async () => {
  const r = await pack.analyze(fixture(KEY, "cmk", { enableKeyRotation: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  const [note] = pack.advisory(r, POLICY);
  assert.match(note.message, /can't run policy 'kms-key-rotation'.*during preview/);
});

test("other resource types are reported not applicable by the protocol", async () => {
  const r = await pack.analyze(fixture("aws:sns/topic:Topic", "t", {}));
  assert.ok(r.notApplicable.some((n) => n.policyName === POLICY && /aws:kms\/key:Key/.test(n.reason)));
});

test("metadata: framework mapping, remediation and runbook url are served", () => {
  const p = pack.info.policies.find((x) => x.name === POLICY)!;
  assert.equal(p.enforcementLevel, "mandatory");
  assert.equal(p.framework?.name, "PCI DSS");
  assert.match(p.framework!.reference, /3\.6\.1/);
  assert.ok(p.tags.includes("soc2:CC6.1"));
  assert.match(p.url, /RUNBOOK\.md#encryption$/);
  assert.match(p.remediationSteps, /enableKeyRotation/);
});
