import assert from "node:assert/strict";
import { test } from "node:test";
import { DatabaseRoles, humanRoleSettings, masterPassword } from "../../../components/database/database-roles";
import { inputsOf, isSecret, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { buildDatabase } from "../data-plane";

const cfg = stackConfig("prod");
const build = () => {
  const { database, network, keys } = buildDatabase(cfg);
  new DatabaseRoles("db-roles", { config: cfg.database, database, network, kmsKey: keys.primaryKey, tags: cfg.tags });
};
const INVOCATION = "aws:lambda/invocation:Invocation";
const ROLE = "postgresql:index/role:Role";
const FORBIDDEN = ["INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER", "ALL", "CREATE", "TEMPORARY"];

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`provider: master user over TLS, password from the RDS secret kept secret (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const provider = run.one("pulumi:providers:postgresql");
    const p = inputsOf(provider);
    assert.equal(p.username, "duespark_master");
    assert.equal(p.database, "duespark");
    assert.equal(p.sslmode, "require");
    assert.equal(String(p.superuser), "false");
    assert.ok(isSecret(provider.inputs.password) || p.password === UNKNOWN || p.password === undefined, "password is never plaintext");
    if (!preview) {
      assert.ok(isSecret(provider.inputs.password));
      assert.match(p.host, /^duespark-prod\.c[0-9a-f]+\.us-east-1\.rds\.amazonaws\.com$/);
    }
    for (const r of run.resources.filter((x) => x.type.startsWith("postgresql:index/"))) {
      assert.ok(r.provider?.startsWith(provider.urn), `${r.name} uses the explicit provider`);
    }
  });

  test(`developer_readonly: login, no attributes, CONNECT/USAGE/SELECT only, default SELECT for objects of duespark_owner (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const role = inputsOf(run.one("postgresql:index/role:Role", "db-roles-readonly"));
    assert.equal(role.name, "developer_readonly");
    assert.equal(role.login, true);
    for (const attr of ["superuser", "createDatabase", "createRole", "replication", "bypassRowLevelSecurity"]) assert.equal(role[attr], false, attr);
    assert.equal(role.connectionLimit, 5);
    assert.equal(role.statementTimeout, 30000);
    assert.deepEqual(role.roles, ["rds_iam"]);
    assert.equal(role.password, undefined);

    const grants = run.all("postgresql:index/grant:Grant").map(inputsOf).filter((g) => g.role === "developer_readonly");
    const byType = Object.fromEntries(grants.map((g) => [g.objectType, g.privileges]));
    assert.deepEqual(byType, { database: ["CONNECT"], schema: ["USAGE"], table: ["SELECT"], sequence: ["SELECT"] });
    assert.ok(grants.every((g) => g.database === "duespark" && (g.objectType === "database" || g.schema === "public")));
    const defaults = run.all("postgresql:index/defaultPrivileges:DefaultPrivileges").map(inputsOf).filter((d) => d.role === "developer_readonly");
    assert.deepEqual(defaults.map((d) => [d.owner, d.objectType, d.privileges]).sort(), [["duespark_owner", "sequence", ["SELECT"]], ["duespark_owner", "table", ["SELECT"]]]);
    for (const g of [...grants, ...defaults]) for (const p of g.privileges) assert.ok(!FORBIDDEN.includes(p), `readonly must not get ${p}`);
    assert.ok(!run.all("postgresql:index/grantRole:GrantRole").some((g) => inputsOf(g).role === "developer_readonly"));
  });

  test(`one Grant per (database, role, schema, object type); PUBLIC loses CREATE on schema public (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const grants = run.all("postgresql:index/grant:Grant").map(inputsOf);
    const tuples = grants.map((g) => [g.database, g.role, g.schema ?? "", g.objectType].join("/"));
    assert.equal(new Set(tuples).size, tuples.length, `overlapping grants: ${tuples.join(", ")}`);
    const revokeSchema = grants.find((g) => g.role === "public" && g.objectType === "schema");
    assert.deepEqual([revokeSchema.schema, revokeSchema.privileges], ["public", []]);
    const revokeDb = grants.find((g) => g.role === "public" && g.objectType === "database");
    assert.deepEqual(revokeDb.privileges, []);
    const app = Object.fromEntries(grants.filter((g) => g.role === "duespark_app").map((g) => [g.objectType, g.privileges]));
    assert.deepEqual(app, { database: ["CONNECT"], schema: ["USAGE"], table: ["SELECT", "INSERT", "UPDATE", "DELETE"], sequence: ["USAGE"] });
    const appDefaults = run.all("postgresql:index/defaultPrivileges:DefaultPrivileges").map(inputsOf).filter((d) => d.role === "duespark_app");
    assert.ok(appDefaults.every((d) => d.owner === "duespark_owner"));
    assert.deepEqual(appDefaults.map((d) => d.objectType).sort(), ["sequence", "table"]);
  });

  test(`admins: NOLOGIN group with rds_superuser, named LOGIN members via IAM auth only (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const roles = run.all("postgresql:index/role:Role").map(inputsOf);
    const group = roles.find((r) => r.name === "duespark_admins");
    assert.equal(group.login, false);
    assert.deepEqual(group.roles, ["rds_superuser", "duespark_owner"]);
    const members = roles.filter((r) => (r.roles ?? []).includes("duespark_admins"));
    assert.deepEqual(members.map((m) => m.name), ["alice_nguyen", "marco_rossi"]);
    for (const m of members) {
      assert.equal(m.login, true);
      assert.deepEqual(m.roles, ["duespark_admins", "rds_iam"]);
      assert.equal(m.password, undefined);
    }
    assert.equal(roles.find((r) => r.name === "duespark_owner").login, false);
    assert.equal(roles.find((r) => r.name === "duespark_app").login, false);
  });

  test(`role settings: one CRUD invocation sets read-only-by-default and pgaudit.log=all on the human login roles, after they exist (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const inv = run.one(INVOCATION);
    const i = inputsOf(inv);
    // Settings come from config only, so the input is known even in a preview.
    assert.deepEqual(JSON.parse(i.input), {
      database: "duespark",
      settings: [
        { role: "developer_readonly", parameter: "default_transaction_read_only", value: "on" },
        { role: "developer_readonly", parameter: "pgaudit.log", value: "all" },
        { role: "alice_nguyen", parameter: "pgaudit.log", value: "all" },
        { role: "marco_rossi", parameter: "pgaudit.log", value: "all" },
      ],
    });
    assert.equal(i.lifecycleScope, "CRUD");
    assert.equal(i.terraformKey, "tf");
    assert.equal(i.triggers, undefined);
    assert.equal(inv.deleteBeforeReplace, true, "a replacement must not be followed by the old invocation's reset");
    const fn = run.one("aws:lambda/function:Function", "db-roles-settings");
    assert.deepEqual(inv.propertyDependencies.functionName, [fn.urn]);
    if (!preview) assert.equal(i.functionName, "duespark-prod-db-role-settings");

    const urnOf = (n: string) => run.all(ROLE).find((r) => inputsOf(r).name === n)!.urn;
    for (const role of ["developer_readonly", "alice_nguyen", "marco_rossi"]) {
      assert.ok(inv.dependencies.includes(urnOf(role)), `the invocation waits for role ${role}`);
    }
    // Only the roles it changes: no wait on the app/owner roles, and never a settings-only role.
    for (const role of ["duespark_app", "duespark_owner"]) assert.ok(!inv.dependencies.includes(urnOf(role)), role);
    // statement_timeout and idle_in_transaction_session_timeout stay with the provider's Role.
    const readonly = inputsOf(run.one(ROLE, "db-roles-readonly"));
    assert.deepEqual([readonly.statementTimeout, readonly.idleInTransactionSessionTimeout], [30000, 60000]);
    assert.ok(!JSON.parse(i.input).settings.some((x: any) => x.parameter === "statement_timeout" || x.parameter === "idle_in_transaction_session_timeout"));
  });
}

test("human role settings follow the config: a third admin and a renamed read-only role", () => {
  const settings = humanRoleSettings({ ...cfg.database, admins: ["alice_nguyen", "marco_rossi", "priya_shah"], readonlyRole: { ...cfg.database.readonlyRole, name: "dev_ro" } });
  assert.deepEqual(settings.map((s) => `${s.role}:${s.parameter}=${s.value}`), [
    "dev_ro:default_transaction_read_only=on",
    "dev_ro:pgaudit.log=all",
    "alice_nguyen:pgaudit.log=all",
    "marco_rossi:pgaudit.log=all",
    "priya_shah:pgaudit.log=all",
  ]);
});

test("master password: RDS's JSON shape is unwrapped; a JSON secret without password is an error", () => {
  assert.equal(masterPassword('{"username":"duespark_master","password":"p@ss"}'), "p@ss");
  assert.throws(() => masterPassword('{"username":"x"}'), /no password field/);
  assert.throws(() => new DatabaseRoles("r", { config: { ...cfg.database, admins: [] }, database: {} as any, network: {} as any, kmsKey: {} as any }), /1 to 3 named database admins/);
});
