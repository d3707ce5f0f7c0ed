import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "pagerduty-escalation";
const EP = "pagerduty:index/escalationPolicy:EscalationPolicy";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const rules = [
  { escalationDelayInMinutes: 15, targets: [{ type: "schedule_reference", id: "PSCHED1" }] },
  { escalationDelayInMinutes: 15, targets: [{ type: "schedule_reference", id: "PSCHED2" }] },
];

test("compliant: two schedule_reference steps of 15 minutes, 2 loops", async () => {
  const r = await pack.analyze(fixture(EP, "ep", { name: "DueSpark", numLoops: 2, rules }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: type \"schedule\" is not a PagerDuty target type", async () => {
  const r = await pack.analyze(fixture(EP, "ep", { numLoops: 2, rules: [{ escalationDelayInMinutes: 15, targets: [{ type: "schedule", id: "PSCHED1" }] }] }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /rule #1 target #1: type "schedule" is not a PagerDuty target type \(use schedule_reference/);
});

test("non-compliant: 10 loops and a rule without targets", async () => {
  const r = await pack.analyze(fixture(EP, "ep", { numLoops: 10, rules: [{ escalationDelayInMinutes: 0, targets: [] }] }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /numLoops 10 is outside 0\.\.9/);
  assert.match(messages, /rule #1 has no targets: the escalation step pages nobody/);
  assert.match(messages, /rule #1: escalationDelayInMinutes 0 must be at least 1/);
});

test("unknown schedule id is fine; unknown target type defers", async () => {
  const ok = await pack.analyze(fixture(EP, "ep", { numLoops: 2, rules: [{ escalationDelayInMinutes: 15, targets: [{ type: "schedule_reference", id: unknown }] }] }));
  assert.deepEqual(pack.of(ok, POLICY), []);
  const r = await pack.analyze(fixture(EP, "ep", { numLoops: 2, rules: [{ escalationDelayInMinutes: 15, targets: [{ type: unknown, id: "x" }] }] }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'pagerduty-escalation'.*during preview/);
});
