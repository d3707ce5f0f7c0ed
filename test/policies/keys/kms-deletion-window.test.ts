import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "kms-deletion-window";
const KEY = "aws:kms/key:Key";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: 30-day window, and absent (AWS default 30)", async () => {
  assert.deepEqual(pack.of(await pack.analyze(fixture(KEY, "cmk", { deletionWindowInDays: 30 })), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(KEY, "cmk", { enableKeyRotation: true })), POLICY), []);
});

test("non-compliant: 7-day window", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(KEY, "cmk", { deletionWindowInDays: 7 })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /deletionWindowInDays is 7; the runbook requires at least 30 days/);
});

test("non-compliant: 29 days is one short", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(KEY, "cmk", { deletionWindowInDays: 29 })), POLICY);
  assert.match(v.message, /is 29; .* at least 30 days/);
});

test("unknown window defers in a preview", async () => {
  const r = await pack.analyze(fixture(KEY, "cmk", { deletionWindowInDays: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'kms-deletion-window'.*during preview/);
});

test("config override: minDays 14 accepts 14 and rejects 10", async () => {
  await pack.configure({ [POLICY]: { minDays: 14 } });
  try {
    assert.deepEqual(pack.of(await pack.analyze(fixture(KEY, "cmk", { deletionWindowInDays: 14 })), POLICY), []);
    const [v] = pack.mandatory(await pack.analyze(fixture(KEY, "cmk", { deletionWindowInDays: 10 })), POLICY);
    assert.match(v.message, /is 10; the runbook requires at least 14 days/);
  } finally {
    await pack.configure({});
  }
});

test("config outside the schema is rejected (AWS allows 7..30)", async () => {
  await assert.rejects(pack.configure({ [POLICY]: { minDays: 45 } }), /kms-deletion-window\.minDays: got 45; must be <= 30/);
});
