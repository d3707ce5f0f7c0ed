import assert from "node:assert/strict";
import { test } from "node:test";
import {
  ALLOWED_PARAMETERS,
  checkRoleSettings,
  CURRENT_SETTINGS_SQL,
  EXISTING_ROLES_SQL,
  quoteIdent,
  quoteLiteral,
  RoleSetting,
  roleResetStatements,
  roleSettingStatements,
} from "../../lambdas/db-role-settings/sql";
import { PgClient, PgConnectionParams, planRoleSettings, RoleSettingsDeps, runRoleSettings, targetFromEnv } from "../../lambdas/db-role-settings/steps";
import { FakeSecretsManager } from "../support/fake-secrets-manager";

const MASTER = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1111-XyZ";
const HOST = "duespark-prod.cabc.us-east-1.rds.amazonaws.com";
const quiet = { info: () => undefined };

/** The settings components/database/database-roles.ts declares for the prod stack. */
const HUMAN: RoleSetting[] = [
  { role: "developer_readonly", parameter: "default_transaction_read_only", value: "on" },
  { role: "developer_readonly", parameter: "pgaudit.log", value: "all" },
  { role: "alice_nguyen", parameter: "pgaudit.log", value: "all" },
  { role: "marco_rossi", parameter: "pgaudit.log", value: "all" },
];

/**
 * A PostgreSQL stand-in for the runner: pg_roles, pg_db_role_setting (as
 * setconfig arrays of name=value), ALTER ROLE SET/RESET, transactions with
 * rollback. Any other statement is an error.
 */
class FakePg {
  roles = new Set(["developer_readonly", "alice_nguyen", "marco_rossi", "duespark_owner"]);
  /** "role@database" ("" = role-wide) -> parameter -> value */
  settings = new Map<string, Map<string, string>>();
  log: string[] = [];
  connections: PgConnectionParams[] = [];
  closed = 0;
  failOn?: RegExp;
  private snapshot?: Map<string, Map<string, string>>;

  connect = async (p: PgConnectionParams): Promise<PgClient> => {
    this.connections.push(p);
    return { query: async (sql, params) => this.query(sql, params), end: async () => void this.closed++ };
  };

  stored(role: string, db = ""): Record<string, string> {
    return Object.fromEntries(this.settings.get(`${role}@${db}`) ?? []);
  }

  private copy() {
    return new Map([...this.settings].map(([k, v]) => [k, new Map(v)]));
  }

  async query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
    this.log.push(sql);
    if (this.failOn?.test(sql)) throw Object.assign(new Error(`permission denied to set parameter`), { code: "42501" });
    const names = (params?.[0] ?? []) as string[];
    if (sql === EXISTING_ROLES_SQL) return { rows: names.filter((n) => this.roles.has(n)).map((rolname) => ({ rolname })) };
    if (sql === CURRENT_SETTINGS_SQL) {
      const rows = [...this.settings].filter(([k, v]) => names.includes(k.split("@")[0]) && v.size > 0).map(([k, v]) => {
        const [role, db] = k.split("@");
        return { role, database: db === "" ? null : db, config: [...v].map(([n, val]) => `${n}=${val}`) };
      });
      return { rows };
    }
    if (sql === "BEGIN") return (this.snapshot = this.copy()), { rows: [] };
    if (sql === "COMMIT") return (this.snapshot = undefined), { rows: [] };
    if (sql === "ROLLBACK") return (this.settings = this.snapshot ?? this.settings), (this.snapshot = undefined), { rows: [] };
    let m: RegExpExecArray | null;
    if ((m = /^ALTER ROLE "([a-z0-9_]+)"(?: IN DATABASE "([a-z0-9_]+)")? SET ([a-z_.]+) = '((?:[^']|'')*)'$/.exec(sql))) {
      const key = `${m[1]}@${m[2] ?? ""}`;
      if (!this.roles.has(m[1])) throw new Error(`role "${m[1]}" does not exist`);
      if (!this.settings.has(key)) this.settings.set(key, new Map());
      this.settings.get(key)!.set(m[3], m[4].replace(/''/g, "'"));
      return { rows: [] };
    }
    if ((m = /^ALTER ROLE "([a-z0-9_]+)"(?: IN DATABASE "([a-z0-9_]+)")? RESET ([a-z_.]+)$/.exec(sql))) {
      if (!this.roles.has(m[1])) throw new Error(`role "${m[1]}" does not exist`);
      this.settings.get(`${m[1]}@${m[2] ?? ""}`)?.delete(m[3]);
      return { rows: [] };
    }
    throw new Error(`unexpected SQL: ${sql}`);
  }
}

function setup(): { pg: FakePg; deps: RoleSettingsDeps } {
  const sm = new FakeSecretsManager();
  sm.create(MASTER, { username: "duespark_master", password: "master-pw-from-rds" });
  const pg = new FakePg();
  return { pg, deps: { sm: sm.client, connect: pg.connect, target: { masterSecretArn: MASTER, host: HOST, port: 5432 }, log: quiet } };
}

const writes = (pg: FakePg) => pg.log.filter((s) => s.startsWith("ALTER ROLE") || ["BEGIN", "COMMIT", "ROLLBACK"].includes(s));

// --- SQL building

test("SET statements: quoted role, allow-listed parameter, quoted literal, optional IN DATABASE scope", () => {
  assert.deepEqual(roleSettingStatements(HUMAN), [
    `ALTER ROLE "developer_readonly" SET default_transaction_read_only = 'on'`,
    `ALTER ROLE "developer_readonly" SET pgaudit.log = 'all'`,
    `ALTER ROLE "alice_nguyen" SET pgaudit.log = 'all'`,
    `ALTER ROLE "marco_rossi" SET pgaudit.log = 'all'`,
  ]);
  assert.deepEqual(roleSettingStatements([
    { role: "developer_readonly", parameter: "statement_timeout", value: "30s", inDatabase: "duespark" },
    { role: "alice_nguyen", parameter: "pgaudit.log", value: "read,write,-misc" },
    { role: "alice_nguyen", parameter: "pgaudit.log_relation", value: "on" },
    { role: "alice_nguyen", parameter: "log_statement", value: "mod" },
    { role: "developer_readonly", parameter: "idle_in_transaction_session_timeout", value: "60000" },
  ]), [
    `ALTER ROLE "developer_readonly" IN DATABASE "duespark" SET statement_timeout = '30s'`,
    `ALTER ROLE "alice_nguyen" SET pgaudit.log = 'read,write,-misc'`,
    `ALTER ROLE "alice_nguyen" SET pgaudit.log_relation = 'on'`,
    `ALTER ROLE "alice_nguyen" SET log_statement = 'mod'`,
    `ALTER ROLE "developer_readonly" SET idle_in_transaction_session_timeout = '60000'`,
  ]);
});

test("RESET statements name the parameter only", () => {
  assert.deepEqual(roleResetStatements([...HUMAN, { role: "developer_readonly", parameter: "statement_timeout", value: "0", inDatabase: "duespark" }]), [
    `ALTER ROLE "developer_readonly" RESET default_transaction_read_only`,
    `ALTER ROLE "developer_readonly" RESET pgaudit.log`,
    `ALTER ROLE "alice_nguyen" RESET pgaudit.log`,
    `ALTER ROLE "marco_rossi" RESET pgaudit.log`,
    `ALTER ROLE "developer_readonly" IN DATABASE "duespark" RESET statement_timeout`,
  ]);
});

test("quoting: literals double single quotes and use E'' for backslashes; identifiers are plain lower-case names", () => {
  assert.equal(quoteLiteral("it's"), "'it''s'");
  assert.equal(quoteLiteral("a\\b'c"), "E'a\\\\b''c'");
  assert.throws(() => quoteLiteral("a\0b"), /NUL/);
  assert.equal(quoteIdent("developer_readonly"), '"developer_readonly"');
  assert.equal(quoteIdent("a".repeat(63)), `"${"a".repeat(63)}"`);
  for (const bad of ['Robert"; DROP ROLE x; --', "Developer", "a".repeat(64), "1abc", "", "dev-ro", "dev ro"]) {
    assert.throws(() => quoteIdent(bad, "role"), /role .* is not allowed: expected \[a-z_\]\[a-z0-9_\]\*, at most 63 characters/, bad);
  }
});

test("allow-list: other parameters, injected names and malformed values are refused before any SQL is built", () => {
  assert.deepEqual(Object.keys(ALLOWED_PARAMETERS), ["default_transaction_read_only", "statement_timeout", "idle_in_transaction_session_timeout", "pgaudit.log", "pgaudit.log_relation", "log_statement"]);
  const refuse = (s: unknown, re: RegExp) => assert.throws(() => roleSettingStatements([s as RoleSetting]), re, JSON.stringify(s));
  refuse({ role: "developer_readonly", parameter: "search_path; DROP TABLE users; --", value: "public" }, /parameter "search_path; DROP TABLE users; --" is not allowed; allowed: default_transaction_read_only, /);
  refuse({ role: "developer_readonly", parameter: "search_path", value: "public" }, /parameter "search_path" is not allowed/);
  refuse({ role: "developer_readonly", parameter: "role", value: "duespark_owner" }, /parameter "role" is not allowed/);
  refuse({ role: "developer_readonly", parameter: "session_replication_role", value: "replica" }, /parameter "session_replication_role" is not allowed/);
  refuse({ role: "developer_readonly", parameter: "constructor", value: "x" }, /parameter "constructor" is not allowed/);
  refuse({ role: "developer_readonly", parameter: "DEFAULT_TRANSACTION_READ_ONLY", value: "on" }, /is not allowed/);
  refuse({ role: "developer_readonly", parameter: "default_transaction_read_only", value: "on'; ALTER ROLE developer_readonly SUPERUSER; --" }, /of default_transaction_read_only for role developer_readonly is not allowed: expected on or off/);
  refuse({ role: "developer_readonly", parameter: "default_transaction_read_only", value: true }, /expected on or off/);
  refuse({ role: "alice_nguyen", parameter: "pgaudit.log", value: "all, write" }, /pgaudit.log .* expected a comma-separated list/);
  refuse({ role: "alice_nguyen", parameter: "pgaudit.log", value: "everything" }, /pgaudit.log/);
  refuse({ role: "developer_readonly", parameter: "statement_timeout", value: "-1" }, /statement_timeout .* expected a whole number/);
  refuse({ role: "developer_readonly", parameter: "statement_timeout", value: "30 s" }, /statement_timeout/);
  refuse({ role: "developer_readonly", parameter: "log_statement", value: "verbose" }, /expected none, ddl, mod or all/);
  refuse({ role: "Developer", parameter: "log_statement", value: "all" }, /role "Developer" is not allowed/);
  refuse({ role: "developer_readonly", parameter: "log_statement", value: "all", inDatabase: 'x" SET role = y' }, /database .* is not allowed/);
  refuse({ role: "developer_readonly", parameter: "log_statement", value: "all", sql: "DROP" }, /unknown field\(s\) sql/);
  refuse("developer_readonly", /must be an object/);
  assert.throws(() => checkRoleSettings("x"), /settings must be an array/);
  assert.throws(
    () => checkRoleSettings([HUMAN[0], { ...HUMAN[0], value: "off" }]),
    /default_transaction_read_only for role developer_readonly is given twice with different values \(on, off\)/,
  );
  assert.equal(checkRoleSettings([HUMAN[0], HUMAN[0]]).length, 2, "a repeated identical setting is harmless");
});

// --- Events

test("events: apply, explicit reset, and the Invocation's CRUD lifecycle (update resets only what was dropped)", () => {
  assert.deepEqual(planRoleSettings({ database: "duespark", settings: HUMAN }), { database: "duespark", apply: HUMAN, reset: [] });
  assert.deepEqual(planRoleSettings({ action: "apply", database: "duespark", settings: HUMAN }), { database: "duespark", apply: HUMAN, reset: [] });
  assert.deepEqual(planRoleSettings({ action: "reset", database: "duespark", settings: HUMAN }), { database: "duespark", apply: [], reset: HUMAN });
  assert.deepEqual(planRoleSettings({ database: "duespark", settings: HUMAN, tf: { action: "create", prev_input: null } }), { database: "duespark", apply: HUMAN, reset: [] });
  assert.deepEqual(planRoleSettings({ database: "duespark", settings: HUMAN, tf: { action: "delete", prev_input: { database: "duespark", settings: HUMAN } } }), { database: "duespark", apply: [], reset: HUMAN });
  const withoutMarco = HUMAN.filter((s) => s.role !== "marco_rossi");
  const changedValue = withoutMarco.map((s) => (s.role === "alice_nguyen" ? { ...s, value: "ddl,write" } : s));
  assert.deepEqual(planRoleSettings({ database: "duespark", settings: changedValue, tf: { action: "update", prev_input: { database: "duespark", settings: HUMAN } } }), {
    database: "duespark",
    apply: changedValue,
    // A changed value is a SET, not a reset; only marco_rossi's setting left the input.
    reset: [HUMAN[3]],
  });

  assert.throws(() => planRoleSettings({ action: "drop", database: "duespark", settings: HUMAN }), /unknown action "drop"/);
  assert.throws(() => planRoleSettings({ database: "duespark", settings: HUMAN, tf: { action: "refresh" } }), /unknown lifecycle action "refresh"/);
  assert.throws(() => planRoleSettings({ action: "reset", database: "duespark", settings: HUMAN, tf: { action: "create" } }), /either "action" or the invocation lifecycle key "tf"/);
  assert.throws(() => planRoleSettings({ database: "duespark; DROP DATABASE x", settings: HUMAN }), /database .* is not allowed/);
  assert.throws(() => planRoleSettings({ settings: HUMAN }), /database undefined is not allowed/);
  assert.throws(() => planRoleSettings(null), /expected an event/);
  assert.throws(
    () => planRoleSettings({ database: "duespark", settings: HUMAN, tf: { action: "update", prev_input: { settings: [{ role: "x", parameter: "search_path", value: "y" }] } } }),
    /parameter "search_path" is not allowed/,
  );
});

// --- Runner against the fake server

test("apply: master credentials from the RDS secret, every SET in one transaction, and a repeat changes nothing", async () => {
  const { pg, deps } = setup();
  pg.settings.set("developer_readonly@", new Map([["statement_timeout", "30000"]]));
  const first = await runRoleSettings({ database: "duespark", settings: HUMAN, tf: { action: "create", prev_input: null } }, deps);
  assert.deepEqual(pg.connections, [{ host: HOST, port: 5432, database: "duespark", user: "duespark_master", password: "master-pw-from-rds" }]);
  assert.deepEqual(writes(pg), ["BEGIN", ...roleSettingStatements(HUMAN), "COMMIT"]);
  assert.deepEqual(first, {
    applied: ["developer_readonly:default_transaction_read_only=on", "developer_readonly:pgaudit.log=all", "alice_nguyen:pgaudit.log=all", "marco_rossi:pgaudit.log=all"],
    reset: [],
    unchanged: [],
    skipped: [],
  });
  // The provider's own setting on the same role is left alone.
  assert.deepEqual(pg.stored("developer_readonly"), { statement_timeout: "30000", default_transaction_read_only: "on", "pgaudit.log": "all" });
  assert.deepEqual(pg.stored("alice_nguyen"), { "pgaudit.log": "all" });
  assert.equal(pg.closed, 1);

  pg.log = [];
  const again = await runRoleSettings({ database: "duespark", settings: HUMAN }, deps);
  assert.deepEqual(writes(pg), [], "nothing to change: no transaction, no ALTER ROLE");
  assert.deepEqual(again.applied, []);
  assert.equal(again.unchanged.length, 4);
});

test("apply converges a drifted value: only the differing setting is SET", async () => {
  const { pg, deps } = setup();
  await runRoleSettings({ database: "duespark", settings: HUMAN }, deps);
  pg.settings.get("developer_readonly@")!.set("default_transaction_read_only", "off");
  pg.settings.get("marco_rossi@")!.delete("pgaudit.log");
  pg.log = [];
  const r = await runRoleSettings({ database: "duespark", settings: HUMAN }, deps);
  assert.deepEqual(writes(pg), ["BEGIN", `ALTER ROLE "developer_readonly" SET default_transaction_read_only = 'on'`, `ALTER ROLE "marco_rossi" SET pgaudit.log = 'all'`, "COMMIT"]);
  assert.deepEqual(r.unchanged, ["developer_readonly:pgaudit.log=all", "alice_nguyen:pgaudit.log=all"]);
});

test("CRUD update: a dropped admin's setting is reset, a changed value is set, the rest is untouched", async () => {
  const { pg, deps } = setup();
  await runRoleSettings({ database: "duespark", settings: HUMAN }, deps);
  pg.log = [];
  const next = HUMAN.filter((s) => s.role !== "marco_rossi").map((s) => (s.role === "alice_nguyen" ? { ...s, value: "ddl,write,role" } : s));
  const r = await runRoleSettings({ database: "duespark", settings: next, tf: { action: "update", prev_input: { database: "duespark", settings: HUMAN } } }, deps);
  assert.deepEqual(writes(pg), ["BEGIN", `ALTER ROLE "marco_rossi" RESET pgaudit.log`, `ALTER ROLE "alice_nguyen" SET pgaudit.log = 'ddl,write,role'`, "COMMIT"]);
  assert.deepEqual(r, {
    applied: ["alice_nguyen:pgaudit.log=ddl,write,role"],
    reset: ["marco_rossi:pgaudit.log"],
    unchanged: ["developer_readonly:default_transaction_read_only=on", "developer_readonly:pgaudit.log=all"],
    skipped: [],
  });
  assert.deepEqual(pg.stored("marco_rossi"), {});
});

test("CRUD delete and {action: reset}: every listed setting is reset; roles already dropped are skipped", async () => {
  const { pg, deps } = setup();
  await runRoleSettings({ database: "duespark", settings: HUMAN }, deps);
  pg.settings.get("developer_readonly@")!.set("statement_timeout", "30000");
  pg.roles.delete("marco_rossi");
  pg.settings.delete("marco_rossi@");
  pg.log = [];
  const r = await runRoleSettings({ database: "duespark", settings: HUMAN, tf: { action: "delete", prev_input: { database: "duespark", settings: HUMAN } } }, deps);
  assert.deepEqual(writes(pg), [
    "BEGIN",
    `ALTER ROLE "developer_readonly" RESET default_transaction_read_only`,
    `ALTER ROLE "developer_readonly" RESET pgaudit.log`,
    `ALTER ROLE "alice_nguyen" RESET pgaudit.log`,
    "COMMIT",
  ]);
  assert.deepEqual(r.skipped, ["marco_rossi:pgaudit.log"]);
  assert.deepEqual(pg.stored("developer_readonly"), { statement_timeout: "30000" }, "only the listed parameters are reset");

  pg.log = [];
  const repeat = await runRoleSettings({ action: "reset", database: "duespark", settings: HUMAN }, deps);
  assert.deepEqual(writes(pg), []);
  assert.deepEqual(repeat.unchanged, ["developer_readonly:default_transaction_read_only", "developer_readonly:pgaudit.log", "alice_nguyen:pgaudit.log"]);
});

test("a missing role on apply fails before any change; a failing statement rolls the whole event back", async () => {
  const { pg, deps } = setup();
  pg.roles.delete("alice_nguyen");
  await assert.rejects(runRoleSettings({ database: "duespark", settings: HUMAN }, deps), /role\(s\) alice_nguyen do not exist/);
  assert.deepEqual(writes(pg), []);
  assert.equal(pg.closed, 1, "the connection is closed on error");

  pg.roles.add("alice_nguyen");
  pg.failOn = /"marco_rossi" SET pgaudit/;
  await assert.rejects(runRoleSettings({ database: "duespark", settings: HUMAN }, deps), /permission denied to set parameter/);
  assert.deepEqual(writes(pg).slice(-2), [`ALTER ROLE "marco_rossi" SET pgaudit.log = 'all'`, "ROLLBACK"]);
  assert.deepEqual(pg.stored("developer_readonly"), {}, "earlier statements of the event are rolled back");
  assert.equal(pg.closed, 2);
});

test("a malformed event or master secret fails without connecting; environment is checked", async () => {
  const { pg, deps } = setup();
  await assert.rejects(runRoleSettings({ database: "duespark", settings: [{ role: "developer_readonly", parameter: "search_path", value: "evil" }] }, deps), /not allowed/);
  assert.equal(pg.connections.length, 0);

  const sm = new FakeSecretsManager();
  sm.create(MASTER, { username: "duespark_master" });
  await assert.rejects(runRoleSettings({ database: "duespark", settings: HUMAN }, { ...deps, sm: sm.client }), /no username\/password/);
  assert.equal(pg.connections.length, 0);

  const empty = await runRoleSettings({ database: "duespark", settings: [] }, deps);
  assert.deepEqual(empty, { applied: [], reset: [], unchanged: [], skipped: [] });
  assert.equal(pg.connections.length, 0, "nothing to do: no connection");

  assert.deepEqual(targetFromEnv({ MASTER_SECRET_ARN: MASTER, DB_HOST: HOST, DB_PORT: "5432" }), { masterSecretArn: MASTER, host: HOST, port: 5432 });
  assert.throws(() => targetFromEnv({ DB_HOST: HOST, DB_PORT: "5432" }), /MASTER_SECRET_ARN is not set/);
  assert.throws(() => targetFromEnv({ MASTER_SECRET_ARN: MASTER, DB_HOST: HOST, DB_PORT: "postgres" }), /DB_PORT must be a port number/);
});
