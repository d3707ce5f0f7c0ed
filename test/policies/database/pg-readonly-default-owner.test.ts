import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "pg-readonly-default-owner";
const DEFAULTS = "postgresql:index/defaultPrivileges:DefaultPrivileges";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const dp = (props: Record<string, unknown>) => fixture(DEFAULTS, "ro-default", { role: "developer_readonly", database: "duespark", schema: "public", objectType: "table", privileges: ["SELECT"], ...props });

test("compliant: owner is the migration owner role", async () => {
  assert.deepEqual(pack.of(await pack.analyze(dp({ owner: "duespark_owner" })), POLICY), []);
});

test("non-compliant: owner is the read-only role itself", async () => {
  const [v] = pack.mandatory(await pack.analyze(dp({ owner: "developer_readonly" })), POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /names the read-only role itself as owner/);
});

test("non-compliant: owner is another role than duespark_owner", async () => {
  const [v] = pack.mandatory(await pack.analyze(dp({ owner: "duespark_master" })), POLICY);
  assert.match(v.message, /names owner duespark_master; objects are created by duespark_owner/);
});

test("config: ownerRole override, and empty ownerRole only requires a different owner", async () => {
  await pack.configure({ [POLICY]: { ownerRole: "duespark_master" } });
  try {
    assert.deepEqual(pack.of(await pack.analyze(dp({ owner: "duespark_master" })), POLICY), []);
    await pack.configure({ [POLICY]: { ownerRole: "" } });
    assert.deepEqual(pack.of(await pack.analyze(dp({ owner: "anyone_else" })), POLICY), []);
  } finally {
    await pack.configure({});
  }
});

test("unknown owner defers", async () => {
  const r = await pack.analyze(dp({ owner: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'pg-readonly-default-owner'.*owner can't be known/);
});
