import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { inputsOf, isSecret, runMocked, stackConfig, UNKNOWN } from "./mocks";

test("prod stack config parses with the runbook values", () => {
  const cfg = stackConfig("prod");
  assert.equal(cfg.region, "us-east-1");
  assert.equal(cfg.drRegion, "us-west-2");
  assert.deepEqual(cfg.secrets.rotationDays, { jwt: 90, database: 180, apiKeys: 365 });
  assert.deepEqual(cfg.backup.retentionDays, { daily: 30, weekly: 84, monthly: 365, annual: 2555 });
  assert.equal(cfg.protectStateful, true);
});

test("update mode returns realistic ARNs in the stack's region; preview keeps them unknown", async () => {
  const declare = () => {
    const key = new aws.kms.Key("smoke-key", { enableKeyRotation: true, multiRegion: true });
    new aws.secretsmanager.Secret("smoke-secret", { kmsKeyId: key.arn });
    new aws.secretsmanager.SecretVersion("smoke-version", { secretId: "x", secretString: pulumi.secret("s3cr3t") });
  };
  const update = await runMocked(declare, { preview: false });
  const secretUpdate = update.one("aws:secretsmanager/secret:Secret");
  assert.match(inputsOf(secretUpdate).kmsKeyId, /^arn:aws:kms:us-east-1:123456789012:key\/mrk-[0-9a-f]{32}$/);
  assert.deepEqual(secretUpdate.propertyDependencies.kmsKeyId, [update.one("aws:kms/key:Key").urn]);
  assert.equal(isSecret(update.one("aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString), true);

  const preview = await runMocked(declare, { preview: true });
  assert.equal(inputsOf(preview.one("aws:secretsmanager/secret:Secret")).kmsKeyId, UNKNOWN);
});
