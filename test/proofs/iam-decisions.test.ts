/**
 * Proof: IAM decisions for the engineers, evaluated by an IAM policy
 * simulator (@cloud-copilot/iam-simulate) on the identity policies the prod
 * stack attaches to the engineers' principal, exactly as captured from an
 * update-mode run of the whole program (realistic ARNs: account
 * 123456789012, us-east-1).
 *
 * Each row is one authorization request (action, resource, context). A
 * Session Manager shell needs two of them: ssm:StartSession on the instance
 * and on the session document; both are listed.
 */
import * as assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { CapturedResource } from "../../tools/preview/engine";
import { inputsOf, ROOT, runMocked, stackConfig } from "../support/mocks";

const ACCOUNT = "123456789012";
const REGION = "us-east-1";
const USER = "alice.nguyen";
const PRINCIPAL = `arn:aws:iam::${ACCOUNT}:user/${USER}`;
const cfg = stackConfig("prod");
const TAG = cfg.access.shellAccessTag;

type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";
const MFA = { "aws:MultiFactorAuthPresent": "true", "aws:MultiFactorAuthAge": "120" };
const NO_MFA = { "aws:MultiFactorAuthPresent": "false" };
/** Long-term access keys: the MFA key is not in the request at all. */
const LONG_TERM = {};

let policies: Array<{ name: string; policy: any }>;
let cmkArn: string;
/** Resource policies that take part in the decision: the CMK's key policy and the database secret's policy. */
let keyPolicy: any;
let secretPolicy: any;
let secretArn: string;

/** Identity policies of the engineers' group: inline group policies and attached managed policies. */
function engineerPolicies(resources: CapturedResource[]): Array<{ name: string; policy: any }> {
  const group = cfg.access.engineers.name;
  const out: Array<{ name: string; policy: any }> = [];
  for (const r of resources) {
    const v = inputsOf(r);
    if (r.type === "aws:iam/groupPolicy:GroupPolicy" && v.group === group) out.push({ name: r.name, policy: JSON.parse(v.policy) });
    if (r.type === "aws:iam/groupPolicyAttachment:GroupPolicyAttachment" && v.group === group) {
      const policyUrn = r.propertyDependencies.policyArn?.[0];
      const policy = resources.find((p) => p.urn === policyUrn && p.type === "aws:iam/policy:Policy");
      if (!policy) throw new Error(`${r.name}: attached policy ${v.policyArn} is not declared by the program`);
      out.push({ name: policy.name, policy: JSON.parse(inputsOf(policy).policy) });
    }
  }
  return out;
}

async function decide(action: string, resource: string, context: Record<string, string>): Promise<Decision> {
  // KMS requires the key policy to allow (here: delegation to the account's IAM policies).
  const resourcePolicy = action.startsWith("kms:") ? keyPolicy : action.startsWith("secretsmanager:") ? secretPolicy : undefined;
  const simulation: Simulation = {
    identityPolicies: policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(resourcePolicy ? { resourcePolicy } : {}),
    request: {
      action,
      principal: PRINCIPAL,
      resource: { resource, accountId: ACCOUNT },
      contextVariables: { "aws:username": USER, "aws:PrincipalAccount": ACCOUNT, "aws:SecureTransport": "true", ...context },
    },
  };
  const res = await runSimulation(simulation, {});
  if (res.resultType === "error") throw new Error(`${action} ${resource}: ${JSON.stringify(res.errors)}`);
  if (res.resultType !== "single") throw new Error(`${action} ${resource}: expected a single result, got ${res.resultType}`);
  // Every context key given must have been used: an ignored key would make the row meaningless.
  assert.deepEqual(res.result.ignoredContextKeys ?? [], [], `${action} ${resource}: ignored context keys`);
  return res.overallResult as Decision;
}

const instance = (id: string) => `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/${id}`;
/**
 * AWS-owned session documents. AWS documents their ARN without an account
 * (arn:aws:ssm:<region>::document/NAME); the simulator only accepts
 * account-qualified document ARNs, so they are evaluated in that form.
 */
const awsDocument = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:document/${name}`;
const SHELL_DOC = `arn:aws:ssm:${REGION}:${ACCOUNT}:document/SSM-SessionManagerRunShell`;
const TAGGED = { [`ssm:resourceTag/${TAG.key}`]: TAG.value };
const OTHER_TAG = { [`ssm:resourceTag/${TAG.key}`]: "disabled" };
const VAULT = `arn:aws:backup:${REGION}:${ACCOUNT}:backup-vault:duespark-prod`;
const RECOVERY_POINT = `arn:aws:backup:${REGION}:${ACCOUNT}:recovery-point:1EB3B5E7-9EB0-435A-9ADE-0123456789AB`;
const TRAIL = `arn:aws:cloudtrail:${REGION}:${ACCOUNT}:trail/duespark-audit`;

type Row = [what: string, action: string, resource: () => string, context: Record<string, string>, expected: Decision];
const MATRIX: Row[] = [
  ["shell on a tagged instance, MFA", "ssm:StartSession", () => instance("i-0a1b2c3d4e5f60001"), { ...TAGGED, ...MFA }, "Allowed"],
  ["shell on a tagged instance, MFA false", "ssm:StartSession", () => instance("i-0a1b2c3d4e5f60001"), { ...TAGGED, ...NO_MFA }, "ExplicitlyDenied"],
  ["shell on a tagged instance, long-term keys", "ssm:StartSession", () => instance("i-0a1b2c3d4e5f60001"), { ...TAGGED, ...LONG_TERM }, "ExplicitlyDenied"],
  ["shell on an untagged instance, MFA", "ssm:StartSession", () => instance("i-0a1b2c3d4e5f60002"), { ...MFA }, "ImplicitlyDenied"],
  ["shell on an untagged instance, MFA false", "ssm:StartSession", () => instance("i-0a1b2c3d4e5f60002"), { ...NO_MFA }, "ExplicitlyDenied"],
  ["shell on an instance tagged with another value, MFA", "ssm:StartSession", () => instance("i-0a1b2c3d4e5f60003"), { ...OTHER_TAG, ...MFA }, "ImplicitlyDenied"],
  ["shell document, MFA", "ssm:StartSession", () => SHELL_DOC, { ...MFA }, "Allowed"],
  ["shell document, MFA false", "ssm:StartSession", () => SHELL_DOC, { ...NO_MFA }, "ExplicitlyDenied"],
  ["shell document, long-term keys", "ssm:StartSession", () => SHELL_DOC, { ...LONG_TERM }, "ExplicitlyDenied"],
  ["SSH document (AWS-StartSSHSession), MFA", "ssm:StartSession", () => awsDocument("AWS-StartSSHSession"), { ...MFA }, "ExplicitlyDenied"],
  ["SSH document, long-term keys", "ssm:StartSession", () => awsDocument("AWS-StartSSHSession"), { ...LONG_TERM }, "ExplicitlyDenied"],
  ["port forwarding document, MFA", "ssm:StartSession", () => awsDocument("AWS-StartPortForwardingSession"), { ...MFA }, "ExplicitlyDenied"],
  ["port forwarding to a remote host, MFA", "ssm:StartSession", () => awsDocument("AWS-StartPortForwardingSessionToRemoteHost"), { ...MFA }, "ExplicitlyDenied"],
  ["interactive command document, MFA", "ssm:StartSession", () => awsDocument("AWS-StartInteractiveCommand"), { ...MFA }, "ExplicitlyDenied"],
  ["terminate own session, MFA", "ssm:TerminateSession", () => `arn:aws:ssm:${REGION}:${ACCOUNT}:session/${USER}-0a1b2c3d4e5f6a7b8`, { ...MFA }, "Allowed"],
  ["terminate another engineer's session, MFA", "ssm:TerminateSession", () => `arn:aws:ssm:${REGION}:${ACCOUNT}:session/marco.rossi-0a1b2c3d4e5f6a7b8`, { ...MFA }, "ImplicitlyDenied"],
  ["terminate own session, MFA false", "ssm:TerminateSession", () => `arn:aws:ssm:${REGION}:${ACCOUNT}:session/${USER}-0a1b2c3d4e5f6a7b8`, { ...NO_MFA }, "ExplicitlyDenied"],
  ["resume own session, MFA", "ssm:ResumeSession", () => `arn:aws:ssm:${REGION}:${ACCOUNT}:session/${USER}-0a1b2c3d4e5f6a7b8`, { ...MFA }, "Allowed"],
  ["list instances, MFA", "ec2:DescribeInstances", () => "*", { ...MFA }, "Allowed"],
  ["list instances, long-term keys", "ec2:DescribeInstances", () => "*", { ...LONG_TERM }, "ExplicitlyDenied"],
  ["encrypt session data with the CMK, MFA", "kms:GenerateDataKey", () => cmkArn, { ...MFA }, "Allowed"],
  ["decrypt with the CMK, MFA", "kms:Decrypt", () => cmkArn, { ...MFA }, "ImplicitlyDenied"],
  ["decrypt with the CMK, long-term keys", "kms:Decrypt", () => cmkArn, { ...LONG_TERM }, "ExplicitlyDenied"],
  ["read the database secret, MFA", "secretsmanager:GetSecretValue", () => secretArn, { ...MFA }, "ImplicitlyDenied"],
  ["read the database secret, MFA false", "secretsmanager:GetSecretValue", () => secretArn, { ...NO_MFA }, "ExplicitlyDenied"],
  ["delete a recovery point, MFA", "backup:DeleteRecoveryPoint", () => RECOVERY_POINT, { ...MFA }, "ImplicitlyDenied"],
  ["change the vault lock, MFA", "backup:PutBackupVaultLockConfiguration", () => VAULT, { ...MFA }, "ImplicitlyDenied"],
  ["remove the vault lock, MFA", "backup:DeleteBackupVaultLockConfiguration", () => VAULT, { ...MFA }, "ImplicitlyDenied"],
  ["stop CloudTrail logging, MFA", "cloudtrail:StopLogging", () => TRAIL, { ...MFA }, "ImplicitlyDenied"],
  ["delete the trail, long-term keys", "cloudtrail:DeleteTrail", () => TRAIL, { ...LONG_TERM }, "ExplicitlyDenied"],
  ["enrol an MFA device without MFA (exempt from the MFA deny, never granted here)", "iam:EnableMFADevice", () => PRINCIPAL, { ...NO_MFA }, "ImplicitlyDenied"],
];

before(async () => {
  const run = await runMocked(ROOT, { preview: false, stack: "prod" });
  policies = engineerPolicies(run.resources);
  const grants = policies.flatMap((p) => p.policy.Statement).filter((s: any) => s.Effect === "Allow" && [s.Action].flat().includes("kms:GenerateDataKey"));
  cmkArn = grants[0]?.Resource;
  assert.match(String(cmkArn), /^arn:aws:kms:us-east-1:123456789012:key\//);
  keyPolicy = JSON.parse(inputsOf(run.resources.find((r) => r.type === "aws:kms/key:Key" && r.name === "keys-primary")!).policy);
  const dbSecretPolicy = inputsOf(run.resources.find((r) => r.type === "aws:secretsmanager/secretPolicy:SecretPolicy" && r.name === "secrets-database")!);
  secretPolicy = JSON.parse(dbSecretPolicy.policy);
  secretArn = dbSecretPolicy.secretArn;
});

describe("engineers' IAM decisions (prod, simulated on the captured policies)", () => {
  it("evaluates the policies attached to the engineers' group", () => {
    assert.ok(policies.length >= 1);
    assert.ok(JSON.stringify(policies).includes(`arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*`));
  });

  it(`has a matrix of ${MATRIX.length} requests`, () => assert.ok(MATRIX.length >= 24));

  for (const [what, action, resource, context, expected] of MATRIX) {
    it(`${what}: ${action} -> ${expected}`, async () => {
      assert.equal(await decide(action, resource(), context), expected);
    });
  }

  it("a shell session needs both the tagged instance and the shell document; SSH and port forwarding never pass", async () => {
    const session = async (inst: string, doc: string, ctx: Record<string, string>) =>
      (await decide("ssm:StartSession", inst, ctx)) === "Allowed" && (await decide("ssm:StartSession", doc, ctx)) === "Allowed";
    assert.equal(await session(instance("i-0a1b2c3d4e5f60001"), SHELL_DOC, { ...TAGGED, ...MFA }), true);
    assert.equal(await session(instance("i-0a1b2c3d4e5f60001"), awsDocument("AWS-StartSSHSession"), { ...TAGGED, ...MFA }), false);
    assert.equal(await session(instance("i-0a1b2c3d4e5f60001"), awsDocument("AWS-StartPortForwardingSession"), { ...TAGGED, ...MFA }), false);
    assert.equal(await session(instance("i-0a1b2c3d4e5f60002"), SHELL_DOC, { ...MFA }), false);
  });
});
