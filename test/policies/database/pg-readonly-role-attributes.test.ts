import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "pg-readonly-role-attributes";
const ROLE = "postgresql:index/role:Role";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const ro = (props: Record<string, unknown>) =>
  fixture(ROLE, "readonly", { name: "developer_readonly", login: false, connectionLimit: 5, statementTimeout: 30000, roles: ["pg_read_all_data"], ...props });

test("compliant: prod values (limit 5, 30 s timeout, pg_read_all_data); non-read-only roles out of scope", async () => {
  assert.deepEqual(pack.of(await pack.analyze(ro({})), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(ROLE, "owner", { name: "duespark_owner", createRole: true })), POLICY), []);
});

test("non-compliant: unlimited connections (-1) and no statement timeout", async () => {
  const r = await pack.analyze(ro({ connectionLimit: -1, statementTimeout: 0 }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /Read-only role developer_readonly has no connection limit \(connectionLimit -1\); set 1\.\.100/);
  assert.match(messages[1], /has no statementTimeout/);
});

test("non-compliant: elevated attributes and membership of the owner role", async () => {
  const r = await pack.analyze(ro({ superuser: true, bypassRowLevelSecurity: true, roles: ["rds_iam", "duespark_owner"] }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /has superuser, bypassRowLevelSecurity set/);
  assert.match(messages[1], /is a member of duespark_owner, which can give it write access/);
});

test("role name falls back to the logical name", async () => {
  const r = await pack.analyze(fixture(ROLE, "reporting_readonly", { createDatabase: true, connectionLimit: 2, statementTimeout: 1000 }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /Read-only role reporting_readonly has createDatabase set/);
});

test("unknown connection limit defers", async () => {
  const r = await pack.analyze(ro({ connectionLimit: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'pg-readonly-role-attributes'/);
});
