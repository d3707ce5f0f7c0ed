import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";

const POLICY = "pg-admin-group-size";
const ROLE = "postgresql:index/role:Role";
const GRANT_ROLE = "postgresql:index/grantRole:GrantRole";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const group = fixture(ROLE, "admins", { name: "duespark_admins", login: false });
const admin = (name: string) => fixture(ROLE, name, { name, login: true, roles: ["duespark_admins", "rds_iam"] });

test("compliant: two admins (one by roles, one by GrantRole); stacks without the group are out of scope", async () => {
  const r = await pack.analyzeStack([group, admin("alice_nguyen"), fixture(GRANT_ROLE, "marco-admin", { role: "marco_rossi", grantRole: "duespark_admins" })]);
  assert.deepEqual(pack.of(r, POLICY), []);
  assert.deepEqual(pack.of(await pack.analyzeStack([fixture(ROLE, "app", { name: "duespark_app" })]), POLICY), []);
});

test("non-compliant: four admins", async () => {
  const r = await pack.analyzeStack([group, admin("a1"), admin("a2"), admin("a3"), fixture(GRANT_ROLE, "g4", { role: "a4", grantRole: "duespark_admins" })]);
  const [v] = pack.mandatory(r, POLICY);
  assert.equal(v.urn, urnOf(ROLE, "admins"));
  assert.match(v.message, /Admin group duespark_admins has 4 members \(a1, a2, a3, a4\); at most 3 are allowed/);
});

test("non-compliant: the group exists with no member", async () => {
  const [v] = pack.mandatory(await pack.analyzeStack([group]), POLICY);
  assert.match(v.message, /has 0 members; at least 1 named admin is required/);
});

test("config: maxAdmins 2 and a differently named group", async () => {
  await pack.configure({ [POLICY]: { adminGroup: "dba", maxAdmins: 2 } });
  try {
    const r = await pack.analyzeStack([fixture(ROLE, "dba", {}), ...["x", "y", "z"].map((n) => fixture(ROLE, n, { roles: ["dba"] }))]);
    assert.match(pack.mandatory(r, POLICY)[0].message, /Admin group dba has 3 members \(x, y, z\); at most 2/);
  } finally {
    await pack.configure({});
  }
});

test("unknown membership defers (over-limit still reported from what is known)", async () => {
  const r = await pack.analyzeStack([group, admin("a1"), fixture(GRANT_ROLE, "g", { role: unknown, grantRole: unknown })]);
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'pg-admin-group-size'/);
});
