import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { T } from "./stack";

const POLICY = "alarm-actions";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const topic = "arn:aws:sns:us-east-1:123456789012:duespark-prod-critical";

test("compliant: ALARM and OK both notify the topic", async () => {
  const r = await pack.analyze(fixture(T.alarm, "a", { alarmActions: [topic], okActions: [topic] }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: no okActions", async () => {
  const r = await pack.analyze(fixture(T.alarm, "a", { alarmActions: [topic] }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /okActions is empty: recovery \(OK\) is never announced/);
});

test("non-compliant: actions disabled and no alarm actions", async () => {
  const r = await pack.analyze(fixture(T.alarm, "a", { actionsEnabled: false, alarmActions: [], okActions: [topic] }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /actionsEnabled is false: the alarm notifies nobody/);
  assert.match(messages, /alarmActions is empty: entering ALARM notifies nobody/);
});

test("compliant in a preview: topic ARNs unknown inside the lists", async () => {
  const r = await pack.analyze(fixture(T.alarm, "a", { alarmActions: [unknown], okActions: [unknown] }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("unknown action list in a preview defers", async () => {
  const r = await pack.analyze(fixture(T.alarm, "a", { alarmActions: unknown, okActions: [topic] }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'alarm-actions'.*during preview/);
});
