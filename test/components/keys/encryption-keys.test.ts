import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import { EncryptionKeys, KEY_ADMIN_ACTIONS } from "../../../components/keys/encryption-keys";
import { inputsOf, jsonInput, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";

const cfg = stackConfig("prod");
const build = () => {
  const drProvider = new aws.Provider("dr-region", { region: cfg.drRegion });
  new EncryptionKeys("keys", { config: cfg.keys, drProvider, protect: cfg.protectStateful, tags: cfg.tags });
};
const stmt = (doc: any, sid: string) => {
  const s = doc.Statement.find((x: any) => x.Sid === sid);
  assert.ok(s, `statement ${sid} missing`);
  return s;
};

for (const preview of [false, true]) {
  test(`symmetric multi-Region CMK: rotation on, 30-day deletion window, protected (${preview ? "preview" : "update"})`, async () => {
    const run = await runMocked(build, { preview });
    const key = run.one("aws:kms/key:Key");
    const k = inputsOf(key);
    assert.equal(k.enableKeyRotation, true);
    assert.equal(k.deletionWindowInDays, 30);
    assert.equal(k.multiRegion, true);
    assert.equal(k.customerMasterKeySpec, "SYMMETRIC_DEFAULT");
    assert.equal(key.protect, true);
    const replica = run.one("aws:kms/replicaKey:ReplicaKey");
    assert.equal(replica.protect, true);
    assert.equal(inputsOf(replica).deletionWindowInDays, 30);
    const dr = run.one("pulumi:providers:aws", "dr-region");
    assert.ok(replica.provider?.startsWith(dr.urn), "the replica is created through the DR provider");
    if (preview) assert.equal(inputsOf(replica).primaryKeyArn, UNKNOWN);
    else assert.match(inputsOf(replica).primaryKeyArn, /^arn:aws:kms:us-east-1:123456789012:key\/mrk-[0-9a-f]{32}$/);
    // Key policies do not depend on resource outputs: known even in a preview.
    assert.equal(jsonInput(key, "policy").Version, "2012-10-17");
    const aliases = run.all("aws:kms/alias:Alias").map((a) => inputsOf(a).name);
    assert.deepEqual(aliases, ["alias/duespark-prod", "alias/duespark-prod"]);
  });
}

test("key policy: admin roles administer only, root delegates use only, services scoped", async () => {
  const run = await runMocked(build, { preview: false });
  const policy = jsonInput(run.one("aws:kms/key:Key"), "policy");
  for (const s of policy.Statement) {
    assert.notEqual(s.Principal, "*", `${s.Sid} must not allow every principal`);
    assert.ok(![s.Action].flat().includes("kms:*"), `${s.Sid} must not grant kms:*`);
  }
  const admins = stmt(policy, "KeyAdministrators");
  assert.deepEqual(admins.Principal.AWS, ["arn:aws:iam::123456789012:role/duespark-security-admin", "arn:aws:iam::123456789012:role/duespark-platform-admin"]);
  assert.deepEqual(admins.Action, KEY_ADMIN_ACTIONS);
  for (const crypto of ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*"]) assert.ok(!admins.Action.includes(crypto));
  const root = stmt(policy, "IamDelegatedUse");
  assert.equal(root.Principal.AWS, "arn:aws:iam::123456789012:root");
  for (const admin of ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:Put*", "kms:Delete*"]) assert.ok(!root.Action.includes(admin), `root must not get ${admin}`);
  assert.deepEqual(stmt(policy, "IamDelegatedGrantsForAwsResources").Condition, { Bool: { "kms:GrantIsForAWSResource": true } });
  const logs = stmt(policy, "CloudWatchLogsOfThisAccount");
  assert.equal(logs.Principal.Service, "logs.us-east-1.amazonaws.com");
  assert.deepEqual(logs.Condition, { ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:*" } });
  const sns = stmt(policy, "PublishToEncryptedAlertTopics");
  assert.deepEqual(sns.Principal.Service, ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com"]);
  assert.deepEqual(sns.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
  const trail = stmt(policy, "CloudTrailEncryptsThisAccountsTrails");
  assert.equal(trail.Principal.Service, "cloudtrail.amazonaws.com");
  assert.equal(trail.Condition.StringLike["kms:EncryptionContext:aws:cloudtrail:arn"], "arn:aws:cloudtrail:*:123456789012:trail/*");
  assert.equal(trail.Condition.StringEquals["aws:SourceAccount"], "123456789012");

  const replicaPolicy = jsonInput(run.one("aws:kms/replicaKey:ReplicaKey"), "policy");
  const drLogs = stmt(replicaPolicy, "CloudWatchLogsOfThisAccount");
  assert.equal(drLogs.Principal.Service, "logs.us-west-2.amazonaws.com");
  assert.equal(drLogs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], "arn:aws:logs:us-west-2:123456789012:log-group:*");
});

test("a deletion window outside 7..30 days is a config error, raised before any resource is declared", () => {
  const drProvider = {} as aws.Provider;
  assert.throws(() => new EncryptionKeys("keys", { config: { ...cfg.keys, deletionWindowDays: 45 }, drProvider, protect: true }), /deletionWindowDays is 45; KMS accepts 7 to 30 days/);
  assert.throws(() => new EncryptionKeys("keys", { config: { ...cfg.keys, administratorRoleNames: [] }, drProvider, protect: true }), /at least one key administrator role/);
});
