import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "data-safety-protect";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: protected KMS key, vault and RDS instance in production", async () => {
  for (const [type, props] of [["aws:kms/key:Key", { enableKeyRotation: true }], ["aws:backup/vault:Vault", { name: "v" }], ["aws:rds/instance:Instance", { engine: "postgres" }]] as const) {
    const r = await pack.analyze(fixture(type, "x", props, { protect: true }));
    assert.deepEqual(pack.of(r, POLICY), [], type);
  }
});

test("non-compliant: unprotected secret in a stack tagged environment=prod", async () => {
  const r = await pack.analyze(fixture("aws:secretsmanager/secret:Secret", "jwt", { name: "duespark/prod/jwt" }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Secret "jwt" is not protected \(protect: true\) in production stack test/);
  assert.equal(v.severity, "critical");
});

test("non-compliant: unprotected audit bucket (data-class tag); other buckets are out of scope", async () => {
  const audit = await pack.analyze(fixture("aws:s3/bucket:Bucket", "logs", { tags: { "duespark:data-class": "audit" } }));
  assert.match(pack.mandatory(audit, POLICY)[0].message, /Audit bucket "logs" is not protected/);
  const assets = await pack.analyze(fixture("aws:s3/bucket:Bucket", "assets", { tags: {} }));
  assert.deepEqual(pack.of(assets, POLICY), []);
});

test("never exemptible: no exceptions config; the prod-dr stack name counts as production without tags", async () => {
  const p = pack.info.policies.find((x) => x.name === POLICY)!;
  assert.ok(!("exceptions" in (p.configSchema?.properties ?? {})));
  assert.ok(p.tags.includes("never-exemptible"));
  const untagged = await startPack({}, {});
  try {
    const dev = await untagged.analyze(fixture("aws:kms/key:Key", "k", {}));
    assert.deepEqual(untagged.of(dev, POLICY), []);
    const dr = await untagged.analyze(fixture("aws:kms/key:Key", "k", {}, { urn: "urn:pulumi:prod-dr::fixture::aws:kms/key:Key::k" }));
    assert.match(untagged.mandatory(dr, POLICY)[0].message, /Key "k" is not protected \(protect: true\) in production stack prod-dr/);
  } finally {
    await untagged.close();
  }
});

test("unknown bucket tags in a preview defer", async () => {
  const r = await pack.analyze(fixture("aws:s3/bucket:Bucket", "b", { tags: unknown }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'data-safety-protect'.*during preview/);
});
