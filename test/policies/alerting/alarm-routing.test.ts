import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PackHarness, startPack, unknown } from "../../support/pack";
import { alertStack, URN } from "./stack";

const POLICY = "alarm-routing";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: critical -> PagerDuty + Slack, warning -> Slack only", async () => {
  const r = await pack.analyzeStack(alertStack());
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: critical alarm without PagerDuty", async () => {
  const r = await pack.analyzeStack(alertStack({ noPagerDuty: true }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Critical alarm "api-5xx" does not reach PagerDuty/);
  assert.equal(v.urn, URN.criticalAlarm);
});

test("non-compliant: warning alarm pages PagerDuty", async () => {
  const r = await pack.analyzeStack(alertStack({ pageWarnings: true }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /Warning alarm "api-latency" pages PagerDuty: warning \(P2\/P3\) alarms go to Slack only/);
});

test("non-compliant: critical alarm without Slack channel", async () => {
  const r = await pack.analyzeStack(alertStack({ noSlack: "critical" }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /Critical alarm "api-5xx" does not reach Slack/);
});

test("non-compliant: alarm without severity tag", async () => {
  const r = await pack.analyzeStack(alertStack({ criticalAlarmTags: { Name: "x" } }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /Alarm "api-5xx" has no duespark:severity tag of critical or warning/);
});

test("PagerDuty endpoint recognised by host when not linked to an integration", async () => {
  const unlink = (endpoint: unknown) =>
    alertStack().map((f) => (f.name === "pagerduty" ? { ...f, propertyDependencies: { topic: [URN.critical] }, props: { ...f.props, endpoint } } : f));
  const known = await pack.analyzeStack(unlink("https://events.pagerduty.com/integration/abc/enqueue"));
  assert.deepEqual(pack.of(known, POLICY), []);
  const other = await pack.analyzeStack(unlink("https://hooks.example.com/alerts"));
  assert.match(pack.mandatory(other, POLICY)[0].message, /Critical alarm "api-5xx" does not reach PagerDuty/);
  // The endpoint embeds a secret key; unknown in a preview it is not read (no deferral), just not counted.
  const hidden = await pack.analyzeStack(unlink(unknown));
  assert.match(pack.mandatory(hidden, POLICY)[0].message, /does not reach PagerDuty/);
});

test("unknown alarm tags in a preview defer", async () => {
  const stack = alertStack().map((f) => (f.name === "api-5xx" ? { ...f, props: { ...f.props, tags: unknown } } : f));
  const r = await pack.analyzeStack(stack);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'alarm-routing'.*during preview/);
});
