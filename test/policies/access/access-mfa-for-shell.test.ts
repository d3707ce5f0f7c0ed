import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "access-mfa-for-shell";
const POLICY_TYPE = "aws:iam/policy:Policy";
const GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const MFA = { Bool: { "aws:MultiFactorAuthPresent": "true" } };

test("compliant: StartSession with Bool MFA true; unrelated read-only actions need no MFA", async () => {
  const policy = doc(
    { Sid: "Shell", Effect: "Allow", Action: ["ssm:StartSession", "ssm:ResumeSession"], Resource: "*", Condition: { ...MFA, StringEquals: { "ssm:resourceTag/duespark:shell-access": "enabled" } } },
    { Sid: "Describe", Effect: "Allow", Action: ["ssm:DescribeSessions", "ec2:DescribeInstances"], Resource: "*" },
    { Sid: "DenyNoMfa", Effect: "Deny", NotAction: ["iam:ChangePassword"], Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } },
  );
  assert.deepEqual(pack.of(await pack.analyze(fixture(GROUP_POLICY, "engineers", { group: "duespark-engineers", policy })), POLICY), []);
});

test("non-compliant: ssm:Start* without MFA and * with BoolIfExists true", async () => {
  const policy = doc(
    { Sid: "Wild", Effect: "Allow", Action: "ssm:Start*", Resource: "*" },
    { Sid: "Admin", Effect: "Allow", Action: "*", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } } },
  );
  const messages = pack.mandatory(await pack.analyze(fixture(POLICY_TYPE, "p", { policy })), POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /statement "Wild" allows ssm:StartSession without the condition Bool aws:MultiFactorAuthPresent "true"/);
  assert.match(messages[1], /statement "Admin" allows ssm:StartSession, ssm:SendCommand, ec2-instance-connect:SendSSHPublicKey with BoolIfExists aws:MultiFactorAuthPresent "true", .*\(long-term access keys\)/);
});

test("non-compliant: Deny with Bool false fails open; Null test on the MFA key", async () => {
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Sid: "Deny", Effect: "Deny", Action: "ssm:*", Resource: "*", Condition: { Bool: { "aws:MultiFactorAuthPresent": "false" } } },
      { Sid: "Connect", Effect: "Allow", Action: "ec2-instance-connect:SendSSHPublicKey", Resource: "*", Condition: { Null: { "aws:MultiFactorAuthPresent": "false" } } },
    ],
  };
  const messages = pack.mandatory(await pack.analyze(fixture("aws:iam/rolePolicy:RolePolicy", "rp", { role: "r", policy })), POLICY).map((d) => d.message);
  assert.equal(messages.length, 3);
  assert.match(messages[0], /statement "Deny" denies ssm:StartSession, ssm:SendCommand on Bool aws:MultiFactorAuthPresent "false", .*use BoolIfExists/);
  assert.match(messages[1], /statement "Connect" tests aws:MultiFactorAuthPresent with Null/);
  assert.match(messages[2], /statement "Connect" allows ec2-instance-connect:SendSSHPublicKey without the condition/);
});

test("config mfaEnforcedAtIdentityProvider waives the Allow condition, not the fail-open checks", async () => {
  await pack.configure({ [POLICY]: { mfaEnforcedAtIdentityProvider: true } });
  try {
    const plain = doc({ Effect: "Allow", Action: "ssm:StartSession", Resource: "*" });
    assert.deepEqual(pack.of(await pack.analyze(fixture(POLICY_TYPE, "p", { policy: plain })), POLICY), []);
    const ifExists = doc({ Effect: "Allow", Action: "ssm:SendCommand", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" } } });
    assert.match(pack.mandatory(await pack.analyze(fixture(POLICY_TYPE, "p", { policy: ifExists })), POLICY)[0].message, /BoolIfExists/);
  } finally {
    await pack.configure({});
  }
});

test("exceptions are not accepted (never exemptible)", async () => {
  await assert.rejects(
    pack.configure({ [POLICY]: { exceptions: [{ id: "SEC-1", resource: "*", reason: "temporary break-glass", approver: "ciso", expires: "2099-01-01" }] } }),
    /access-mfa-for-shell\.exceptions: unknown property/,
  );
});

test("unknown policy document defers", async () => {
  const r = await pack.analyze(fixture(POLICY_TYPE, "p", { policy: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'access-mfa-for-shell'.*policy can't be known/);
});
