import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { T } from "./stack";

const POLICY = "chatbot-guardrails";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const base = { configurationName: "c", slackTeamId: "T04DUESPK1", slackChannelId: "C05CRIT0PS1", iamRoleArn: "arn:aws:iam::123456789012:role/chatbot" };

test("compliant: ReadOnlyAccess guardrail", async () => {
  const r = await pack.analyze(fixture(T.slack, "s", { ...base, guardrailPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: no guardrails", async () => {
  const r = await pack.analyze(fixture(T.slack, "s", base));
  assert.match(pack.mandatory(r, POLICY)[0].message, /guardrailPolicyArns is not set: channel members act with the channel role's full permissions/);
});

test("non-compliant: AdministratorAccess as guardrail", async () => {
  const r = await pack.analyze(fixture(T.slack, "s", { ...base, guardrailPolicyArns: ["arn:aws-us-gov:iam::aws:policy/AdministratorAccess"] }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /guardrail arn:aws-us-gov:iam::aws:policy\/AdministratorAccess grants everything/);
});

test("an interpolated (unknown) guardrail ARN in a preview counts as set", async () => {
  const r = await pack.analyze(fixture(T.slack, "s", { ...base, guardrailPolicyArns: [unknown] }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("unknown guardrail list defers", async () => {
  const r = await pack.analyze(fixture(T.slack, "s", { ...base, guardrailPolicyArns: unknown }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'chatbot-guardrails'.*during preview/);
});
