import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "secrets-replicated";
const SECRET = "aws:secretsmanager/secret:Secret";
const provider = (region: string) => ({ type: "pulumi:providers:aws", urn: "urn:pulumi:test::fixture::pulumi:providers:aws::default", name: "default", properties: { region } });
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: primary us-east-1 (provider), replica us-west-2", async () => {
  const r = await pack.analyze(fixture(SECRET, "jwt", { kmsKeyId: "k", replicas: [{ region: "us-west-2", kmsKeyId: "k2" }] }, { provider: provider("us-east-1") }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: no replicas", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(SECRET, "jwt", { kmsKeyId: "k" }, { provider: provider("us-east-1") })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /no replica outside its primary region us-east-1/);
});

test("non-compliant: the only replica is in the primary region (secret's own region wins over the provider's)", async () => {
  const r = await pack.analyze(fixture(SECRET, "jwt", { region: "eu-west-1", replicas: [{ region: "eu-west-1" }] }, { provider: provider("us-east-1") }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /outside its primary region eu-west-1/);
});

test("config drRegion: a replica elsewhere but not in the DR region is a violation", async () => {
  await pack.configure({ [POLICY]: { drRegion: "us-west-2" } });
  try {
    const r = await pack.analyze(fixture(SECRET, "jwt", { replicas: [{ region: "eu-central-1" }] }, { provider: provider("us-east-1") }));
    assert.match(pack.mandatory(r, POLICY)[0].message, /replicated to eu-central-1 but not to the DR region us-west-2/);
    const ok = await pack.analyze(fixture(SECRET, "jwt", { replicas: [{ region: "us-west-2" }] }, { provider: provider("us-east-1") }));
    assert.deepEqual(pack.of(ok, POLICY), []);
  } finally {
    await pack.configure({});
  }
});

test("managed-class secrets are skipped", async () => {
  const r = await pack.analyze(fixture(SECRET, "rds", { tags: { "duespark:secret-class": "managed" } }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("unknown replica region defers", async () => {
  const r = await pack.analyze(fixture(SECRET, "jwt", { replicas: [{ region: unknown }] }, { provider: provider("us-east-1") }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'secrets-replicated'.*during preview/);
});
