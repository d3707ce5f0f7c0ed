import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "pg-readonly-privileges";
const GRANT = "postgresql:index/grant:Grant";
const DEFAULTS = "postgresql:index/defaultPrivileges:DefaultPrivileges";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: SELECT on tables, USAGE on the schema, CONNECT on the database; app role out of scope", async () => {
  for (const [objectType, privileges] of [["table", ["SELECT"]], ["schema", ["USAGE"]], ["database", ["CONNECT"]]] as const) {
    const r = await pack.analyze(fixture(GRANT, `ro-${objectType}`, { role: "developer_readonly", database: "duespark", schema: "public", objectType, privileges }));
    assert.deepEqual(pack.of(r, POLICY), [], objectType);
  }
  const app = await pack.analyze(fixture(GRANT, "app", { role: "duespark_app", database: "duespark", objectType: "table", privileges: ["SELECT", "INSERT", "UPDATE", "DELETE"] }));
  assert.deepEqual(pack.of(app, POLICY), []);
});

test("Grant to developer_readonly with SELECT and INSERT: violation", async () => {
  const r = await pack.analyze(fixture(GRANT, "ro", { role: "developer_readonly", database: "duespark", schema: "public", objectType: "table", privileges: ["SELECT", "INSERT"] }));
  const [v] = pack.mandatory(r, POLICY);
  assert.equal(v.policyName, POLICY);
  assert.match(v.message, /Grant gives read-only role developer_readonly INSERT on table; only SELECT, USAGE, CONNECT are allowed/);
});

test("DefaultPrivileges with ALL for a *_readonly role: violation", async () => {
  const r = await pack.analyze(fixture(DEFAULTS, "ro-default", { role: "analytics_readonly", owner: "duespark_owner", database: "duespark", schema: "public", objectType: "table", privileges: ["ALL"] }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /DefaultPrivileges gives read-only role analytics_readonly ALL on table/);
});

test("withGrantOption on a read-only grant is a violation; listed role names count as read-only", async () => {
  await pack.configure({ [POLICY]: { readonlyRoles: ["auditor"] } });
  try {
    const r = await pack.analyze(fixture(GRANT, "aud", { role: "auditor", database: "duespark", objectType: "table", privileges: ["select", "truncate"], withGrantOption: true }));
    const messages = pack.mandatory(r, POLICY).map((d) => d.message);
    assert.equal(messages.length, 2);
    assert.match(messages[0], /read-only role auditor TRUNCATE on table/);
    assert.match(messages[1], /withGrantOption/);
  } finally {
    await pack.configure({});
  }
});

test("unknown privileges defer", async () => {
  const r = await pack.analyze(fixture(GRANT, "ro", { role: "developer_readonly", database: "duespark", objectType: "table", privileges: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'pg-readonly-privileges'.*privileges can't be known/);
});
