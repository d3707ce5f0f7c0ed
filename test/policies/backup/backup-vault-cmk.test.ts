import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "backup-vault-cmk";
const VAULT = "aws:backup/vault:Vault";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: vault encrypted with a customer-managed key ARN", async () => {
  const r = await pack.analyze(fixture(VAULT, "vault", { name: "duespark-prod", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1111" }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("compliant: a key ARN still unknown in a preview is a key resource's output", async () => {
  const r = await pack.analyze(fixture(VAULT, "vault", { name: "duespark-prod", kmsKeyArn: unknown }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: no kmsKeyArn falls back to alias/aws/backup", async () => {
  const r = await pack.analyze(fixture(VAULT, "vault", { name: "duespark-prod" }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /kmsKeyArn is not set: the vault falls back to the AWS-managed alias\/aws\/backup key/);
  assert.equal(v.severity, "high");
});

test("non-compliant: the AWS-managed key given explicitly (alias ARN)", async () => {
  const r = await pack.analyze(fixture(VAULT, "vault", { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:alias/aws/backup" }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /AWS-managed key \(arn:aws:kms:us-east-1:123456789012:alias\/aws\/backup\)/);
});

test("metadata: framework, runbook url and remediation", () => {
  const p = pack.info.policies.find((x) => x.name === POLICY)!;
  assert.match(p.framework!.reference, /3\.5\.1/);
  assert.match(p.url, /RUNBOOK\.md#backup-strategy$/);
  assert.match(p.remediationSteps, /kmsKeyArn/);
});
