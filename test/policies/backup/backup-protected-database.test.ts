import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";
import { backupStack, PRIMARY, T, URN } from "./stack";

const POLICY = "backup-protected-database";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: tagged instance selected by the condition, plan -> vault -> lock complete", async () => {
  const r = await pack.analyzeStack(backupStack());
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("compliant: the backup tag may come from the provider's default tags", async () => {
  const provider = { ...PRIMARY, properties: { region: "us-east-1", defaultTags: JSON.stringify({ tags: { "duespark:backup-plan": "runbook" } }) } };
  const stack = backupStack({ dbProps: { tags: undefined } }).map((f) => (f.type === T.db ? { ...f, provider } : f));
  const r = await pack.analyzeStack(stack);
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: instance without the backup tag is not selected", async () => {
  const r = await pack.analyzeStack(backupStack({ dbProps: { tags: { Name: "db" } } }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /RDS instance "db" is not selected by any backup selection/);
  assert.equal(v.urn, URN.db);
});

test("non-compliant: the tag value differs from the condition's", async () => {
  const r = await pack.analyzeStack(backupStack({ dbProps: { tags: { "duespark:backup-plan": "none" } } }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /is not selected by any backup selection/);
});

test("non-compliant: selected, but the target vault has no lock", async () => {
  const r = await pack.analyzeStack(backupStack({ lock: null }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /the backup chain is incomplete: vault "duespark-prod" of plan "duespark-runbook" has no vault lock/);
});

test("read replicas are restored from their source and need no selection", async () => {
  const replica = fixture(T.db, "replica", { replicateSourceDb: "duespark-prod", tags: {} }, { provider: PRIMARY, urn: urnOf(T.db, "replica") });
  const r = await pack.analyzeStack(backupStack({ extra: [replica] }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("unknown instance tags in a preview defer", async () => {
  const r = await pack.analyzeStack(backupStack({ dbProps: { tags: unknown } }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'backup-protected-database'.*during preview/);
});
