import assert from "node:assert/strict";
import { test } from "node:test";
import { engineerPolicyDocument, ShellAccess } from "../../../components/access/shell-access";
import { inputsOf, jsonInput, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { standInKeys } from "../../support/stand-ins";

const cfg = stackConfig("prod");
const program = () => {
  const keys = standInKeys(cfg);
  new ShellAccess("shell-access", { config: cfg.access, kmsKey: keys.primaryKey, auditRetentionDays: cfg.audit.retentionDays, protect: cfg.protectStateful, tags: cfg.tags });
};
const DENIED = ["AWS-StartPortForwardingSession", "AWS-StartPortForwardingSessionToRemoteHost", "AWS-StartSSHSession", "AWS-StartInteractiveCommand"];

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`${mode}: Session Manager preferences encrypt, log, time out and run as a non-root user`, async () => {
    const run = await runMocked(program, { preview });
    const doc = inputsOf(run.one("aws:ssm/document:Document"));
    assert.equal(doc.name, "SSM-SessionManagerRunShell");
    assert.equal(doc.documentType, "Session");
    if (preview) {
      assert.equal(doc.content, UNKNOWN);
    } else {
      const content = JSON.parse(doc.content);
      assert.equal(content.schemaVersion, "1.0");
      assert.equal(content.sessionType, "Standard_Stream");
      const i = content.inputs;
      assert.match(i.s3BucketName, /^shell-access-sessions-[0-9a-f]{7}$/);
      assert.equal(i.s3EncryptionEnabled, true);
      assert.equal(i.cloudWatchLogGroupName, "/duespark/ssm/sessions");
      assert.equal(i.cloudWatchEncryptionEnabled, true);
      assert.match(i.kmsKeyId, /^arn:aws:kms:us-east-1:123456789012:key\//);
      assert.equal(i.idleSessionTimeout, "20");
      assert.equal(i.maxSessionDuration, "60");
      assert.equal(i.runAsEnabled, true);
      assert.equal(i.runAsDefaultUser, "duespark_shell");
    }
  });

  test(`${mode}: session logs are kept 2557 days, CMK-encrypted, private and TLS-only`, async () => {
    const run = await runMocked(program, { preview });
    const key = run.one("aws:kms/key:Key");
    const lg = run.one("aws:cloudwatch/logGroup:LogGroup");
    assert.equal(inputsOf(lg).retentionInDays, 2557);
    assert.equal(lg.protect, true);
    assert.equal(run.one("aws:s3/bucket:Bucket").protect, true);
    assert.deepEqual(lg.propertyDependencies.kmsKeyId, [key.urn]);
    const life = inputsOf(run.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"));
    assert.equal(life.rules[0].expiration.days, 2557);
    assert.equal(inputsOf(run.one("aws:s3/bucketVersioning:BucketVersioning")).versioningConfiguration.status, "Enabled");
    const sse = run.one("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration");
    assert.equal(inputsOf(sse).rules[0].applyServerSideEncryptionByDefault.sseAlgorithm, "aws:kms");
    assert.deepEqual(sse.propertyDependencies.rules, [key.urn]);
    const pab = inputsOf(run.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"));
    for (const k of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) assert.equal(pab[k], true, k);
    if (!preview) {
      const policy = jsonInput(run.one("aws:s3/bucketPolicy:BucketPolicy"), "policy");
      assert.deepEqual(policy.Statement[0].Condition, { Bool: { "aws:SecureTransport": false } });
      assert.equal(policy.Statement[0].Effect, "Deny");
    }
  });

  test(`${mode}: engineers need MFA, get tagged instances only, and cannot use SSH or port forwarding`, async () => {
    const run = await runMocked(program, { preview });
    const attach = inputsOf(run.one("aws:iam/groupPolicyAttachment:GroupPolicyAttachment"));
    assert.equal(attach.group, "duespark-engineers");
    if (preview) return;
    const doc = jsonInput(run.one("aws:iam/policy:Policy"), "policy");
    const sid = (s: string) => doc.Statement.find((x: any) => x.Sid === s);
    const start = sid("StartSessionOnTaggedInstances");
    assert.equal(start.Effect, "Allow");
    assert.equal(start.Resource, "arn:aws:ec2:us-east-1:123456789012:instance/*");
    assert.deepEqual(start.Condition, { StringEquals: { "ssm:resourceTag/duespark:shell-access": "enabled" }, Bool: { "aws:MultiFactorAuthPresent": "true" } });
    assert.equal(sid("StartSessionWithLoggedShellDocument").Resource, "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell");
    const own = sid("ManageOwnSessions");
    assert.deepEqual(own.Action, ["ssm:TerminateSession", "ssm:ResumeSession"]);
    assert.equal(own.Resource, "arn:aws:ssm:us-east-1:123456789012:session/${aws:username}-*");
    const denySsh = sid("DenySshAndPortForwarding");
    assert.equal(denySsh.Effect, "Deny");
    assert.deepEqual(denySsh.Resource, DENIED.map((d) => `arn:aws:ssm:*:*:document/${d}`));
    const denyNoMfa = sid("DenyAllWithoutMfa");
    assert.equal(denyNoMfa.Effect, "Deny");
    assert.ok(denyNoMfa.NotAction.includes("iam:EnableMFADevice"));
    assert.ok(denyNoMfa.NotAction.includes("sts:GetSessionToken"));
    assert.deepEqual(denyNoMfa.Condition, { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } });
    for (const s of doc.Statement.filter((x: any) => x.Effect === "Allow")) {
      assert.equal(s.Condition?.BoolIfExists, undefined, `${s.Sid}: BoolIfExists in an Allow lets requests without the key through`);
      assert.deepEqual(s.Condition.Bool, { "aws:MultiFactorAuthPresent": "true" }, s.Sid);
    }
  });

  test(`${mode}: instances get SSM core access and may write only to the session bucket and log group`, async () => {
    const run = await runMocked(program, { preview });
    const core = inputsOf(run.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "instance-core"));
    assert.equal(core.policyArn, "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore");
    assert.equal(run.all("aws:iam/instanceProfile:InstanceProfile").length, 1);
    const analyzer = inputsOf(run.one("aws:accessanalyzer/analyzer:Analyzer"));
    assert.equal(analyzer.type, "ACCOUNT_UNUSED_ACCESS");
    assert.equal(analyzer.configuration.unusedAccess.unusedAccessAge, 90);
    // No network path for SSH anywhere in the component.
    for (const r of run.resources) assert.ok(!r.type.startsWith("aws:ec2/securityGroup") && !r.type.startsWith("aws:vpc/securityGroupIngressRule"), r.type);
    assert.ok(!JSON.stringify(run.resources.map((r) => r.inputs)).match(/"(from|to)Port":22\b/));
    if (preview) return;
    const inline = jsonInput(run.one("aws:iam/rolePolicy:RolePolicy"), "policy");
    const put = inline.Statement.find((s: any) => s.Action === "s3:PutObject");
    assert.match(put.Resource, /^arn:aws:s3:::shell-access-sessions-[0-9a-f]{7}\/sessions\/\*$/);
    const logs = inline.Statement.find((s: any) => s.Sid === "StreamSessionLogs");
    assert.equal(logs.Resource, "arn:aws:logs:us-east-1:123456789012:log-group:/duespark/ssm/sessions:*");
    const kms = inline.Statement.find((s: any) => s.Sid === "EncryptSessions");
    assert.match(kms.Resource, /^arn:aws:kms:us-east-1:123456789012:key\//);
  });
}

test("identity-provider mode leaves aws:MultiFactorAuthPresent out (federated sessions never carry it)", () => {
  const doc = engineerPolicyDocument({
    config: { ...cfg.access, mfaEnforcement: "identity-provider", engineers: { kind: "role", name: "duespark-engineers" } },
    instanceArn: "arn:aws:ec2:us-east-1:123456789012:instance/*",
    shellDocumentArn: "arn:aws:ssm:us-east-1:123456789012:document/SSM-SessionManagerRunShell",
    sessionArnPrefix: "arn:aws:ssm:us-east-1:123456789012:session/",
    awsDocumentArn: (d) => `arn:aws:ssm:*:*:document/${d}`,
    keyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
  });
  const text = JSON.stringify(doc);
  assert.ok(!text.includes("aws:MultiFactorAuthPresent"));
  assert.equal(doc.Statement.find((s) => s.Sid === "DenyAllWithoutMfa"), undefined);
  assert.deepEqual(doc.Statement[0].Condition, { StringEquals: { "ssm:resourceTag/duespark:shell-access": "enabled" } });
  assert.ok(doc.Statement.some((s) => s.Sid === "DenySshAndPortForwarding" && s.Effect === "Deny"));
});

test("a retention shorter than 7 years is rejected", () => {
  assert.throws(() => new ShellAccess("bad", { config: cfg.access, kmsKey: undefined as never, auditRetentionDays: 365 }), /auditRetentionDays got 365/);
});
