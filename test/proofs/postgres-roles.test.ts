/**
 * Proof on a real PostgreSQL server: the roles, grants and default
 * privileges the prod stack declares (captured from an update-mode run of
 * the whole program, turned into the provider's SQL) give developer_readonly
 * read access only, and the admin group exactly the configured engineers.
 *
 * RDS stand-ins: rds_iam / rds_superuser exist as plain roles; login roles
 * that authenticate with IAM tokens on RDS get a password here instead.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { Client } from "pg";
import type { StackConfig } from "../../config/schema";
import type { PgStatement } from "../../tools/proofs/pg-sql";
import { applyDeclared, declaredProd, prepareRdsLikeCluster, rejectsWith, SQLSTATE } from "../support/pg-proof";
import { PgCluster, startPostgres } from "../support/postgres";

let pgc: PgCluster;
let cfg: StackConfig;
let statements: PgStatement[];
const PASSWORDS = { readonly: "ro-Proof-pw-1", admin: "admin-Proof-pw-1", master: "master-Proof-pw-1", app: "app-Proof-pw-1" };
const open: Client[] = [];
let sleeper: Promise<{ error?: Error & { code?: string }; ms: number }>;

async function as(user: string, password: string, database?: string): Promise<Client> {
  const c = await pgc.connect({ user, password, database: database ?? cfg.database.databaseName });
  c.on("error", () => undefined);
  open.push(c);
  return c;
}
const readonly = () => as(cfg.database.readonlyRole.name, PASSWORDS.readonly);
/** Runs fn in a fresh session and closes it (developer_readonly has only 5 connections). */
async function session<T>(connect: () => Promise<Client>, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await connect();
  try {
    return await fn(c);
  } finally {
    open.splice(open.indexOf(c), 1);
    await c.end().catch(() => undefined);
  }
}

before(async () => {
  const declared = await declaredProd();
  cfg = declared.cfg;
  statements = declared.statements;
  pgc = await startPostgres();
  await prepareRdsLikeCluster(pgc, cfg, PASSWORDS.master);
  await applyDeclared(pgc, cfg, statements);
  const ro = cfg.database.readonlyRole.name;
  await pgc.exec(`
    ALTER ROLE "${ro}" PASSWORD '${PASSWORDS.readonly}';
    ALTER ROLE "${cfg.database.admins[0]}" PASSWORD '${PASSWORDS.admin}';
    CREATE ROLE app_proof_user LOGIN PASSWORD '${PASSWORDS.app}' IN ROLE "${cfg.database.appRole}";
    CREATE ROLE bystander LOGIN PASSWORD 'bystander-pw';
  `);
  await pgc.exec("CREATE DATABASE ledger_archive");
  await pgc.exec("CREATE TABLE archived_invoices (id int); INSERT INTO archived_invoices VALUES (1);", "ledger_archive");
  // The statement-timeout proof waits the configured 30 s; it runs alongside the other checks.
  const sleepClient = await readonly();
  const started = Date.now();
  sleeper = sleepClient.query(`SELECT pg_sleep(${cfg.database.readonlyRole.statementTimeoutMs / 1000 + 5})`).then(
    () => ({ ms: Date.now() - started }),
    (error) => ({ error, ms: Date.now() - started }),
  );
});

after(async () => {
  await Promise.all(open.map((c) => c.end().catch(() => undefined)));
  await pgc?.stop();
});

describe("declared SQL", () => {
  it("maps the captured resources to the provider's statements", () => {
    const sql = statements.map((s) => s.sql);
    assert.ok(sql.includes(`CREATE ROLE "developer_readonly" WITH NOSUPERUSER NOCREATEDB NOCREATEROLE INHERIT LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 5 VALID UNTIL 'infinity'`), sql.join("\n"));
    assert.ok(sql.includes(`ALTER ROLE "developer_readonly" SET statement_timeout TO 30000`));
    assert.ok(sql.includes(`GRANT SELECT ON ALL TABLES IN SCHEMA "public" TO "developer_readonly"`));
    assert.ok(sql.includes(`ALTER DEFAULT PRIVILEGES FOR ROLE "duespark_owner" IN SCHEMA "public" GRANT SELECT ON TABLES TO "developer_readonly"`));
    assert.ok(sql.includes(`REVOKE ALL PRIVILEGES ON SCHEMA "public" FROM PUBLIC`));
    // Applied by the db-role-settings Lambda (the provider has no attribute for it).
    assert.ok(sql.includes(`ALTER ROLE "developer_readonly" SET default_transaction_read_only = 'on'`));
    // privileges [] is a revoke with no grant.
    assert.ok(!sql.some((s) => /^GRANT .* TO PUBLIC/.test(s)));
  });

  it("left the readonly role with the declared attributes", async () => {
    const c = await pgc.connect();
    open.push(c);
    const row = (await c.query(
      "SELECT rolcanlogin, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolconnlimit, rolconfig FROM pg_roles WHERE rolname = $1",
      [cfg.database.readonlyRole.name],
    )).rows[0];
    assert.deepEqual(
      { ...row, rolconfig: [...(row.rolconfig as string[])].sort() },
      {
        rolcanlogin: true, rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false,
        rolconnlimit: 5,
        rolconfig: ["default_transaction_read_only=on", "idle_in_transaction_session_timeout=60000", "pgaudit.log=all", "statement_timeout=30000"],
      },
    );
  });
});

describe("developer_readonly reads", () => {
  it("connects and selects tables that existed before the grants, the view and the sequence", () => session(readonly, async (c) => {
    assert.equal((await c.query("SELECT count(*)::int AS n FROM public.users")).rows[0].n, 2);
    assert.equal((await c.query("SELECT count(*)::int AS n FROM public.invoices")).rows[0].n, 2);
    assert.equal((await c.query("SELECT count(*)::int AS n FROM public.payments")).rows[0].n, 1);
    assert.deepEqual((await c.query("SELECT amount_cents FROM public.unpaid_invoices ORDER BY id")).rows, [{ amount_cents: "1200" }, { amount_cents: "5600" }]);
    assert.equal((await c.query("SELECT last_value FROM public.invoice_number_seq")).rows[0].last_value, "1001");
  }));

  it("selects tables and sequences the owner role created after the grants (default privileges)", () => session(readonly, async (c) => {
    assert.deepEqual((await c.query("SELECT payment_id, amount_cents FROM public.refunds")).rows, [{ payment_id: "1", amount_cents: "200" }]);
    assert.equal((await c.query("SELECT last_value FROM public.refund_number_seq")).rows[0].last_value, "1");
  }));
});

describe("developer_readonly cannot change anything (privileges, checked in READ WRITE transactions)", () => {
  const denied: Array<[string, string]> = [
    ["INSERT", "INSERT INTO public.users (email) VALUES ('x@example.com')"],
    ["INSERT into a later table", "INSERT INTO public.refunds (payment_id, amount_cents) VALUES (1, 1)"],
    ["UPDATE", "UPDATE public.invoices SET paid = true"],
    ["DELETE", "DELETE FROM public.payments"],
    ["TRUNCATE", "TRUNCATE public.payments"],
    ["nextval", "SELECT nextval('public.invoice_number_seq')"],
    ["CREATE TABLE", "CREATE TABLE public.scratch (id int)"],
    ["CREATE SCHEMA", "CREATE SCHEMA scratch"],
    ["CREATE TEMP TABLE", "CREATE TEMP TABLE scratch (id int)"],
    ["ALTER TABLE", "ALTER TABLE public.users ADD COLUMN note text"],
    ["DROP TABLE", "DROP TABLE public.refunds"],
    ["DROP VIEW", "DROP VIEW public.unpaid_invoices"],
    ["GRANT a role", `GRANT duespark_app TO developer_readonly`],
    ["SET ROLE to the owner", "SET ROLE duespark_owner"],
  ];
  for (const [what, sql] of denied) {
    it(`${what} is denied (42501)`, () => session(readonly, async (c) => {
      await c.query("BEGIN READ WRITE");
      await rejectsWith(c.query(sql), SQLSTATE.insufficientPrivilege, what);
      await c.query("ROLLBACK");
    }));
  }

  it("GRANT on a table it can read grants nothing (no grant option)", () => session(readonly, async (c) => {
    const warnings: string[] = [];
    c.on("notice", (n) => warnings.push(String(n.message)));
    await c.query("BEGIN READ WRITE");
    await c.query("GRANT SELECT, INSERT ON public.users TO bystander");
    await c.query("COMMIT");
    assert.ok(warnings.some((w) => w.includes("no privileges were granted")), warnings.join("; "));
    const check = await pgc.connect({ database: cfg.database.databaseName });
    open.push(check);
    const row = (await check.query("SELECT has_table_privilege('bystander', 'public.users', 'SELECT') AS s, has_table_privilege('bystander', 'public.users', 'INSERT') AS i")).rows[0];
    assert.deepEqual(row, { s: false, i: false });
  }));

  it("reads nothing in a database it was not granted", async () => {
    // PUBLIC keeps CONNECT on databases the program does not manage; no table there is readable.
    await session(() => as(cfg.database.readonlyRole.name, PASSWORDS.readonly, "ledger_archive"), (c) =>
      rejectsWith(c.query("SELECT * FROM archived_invoices"), SQLSTATE.insufficientPrivilege, "read another database"));
  });
});

describe("developer_readonly session guard rails", () => {
  it("transactions are read-only by default: SHOW and a write fail with the read-only error", () => session(readonly, async (c) => {
    assert.equal((await c.query("SHOW default_transaction_read_only")).rows[0].default_transaction_read_only, "on");
    await rejectsWith(c.query("INSERT INTO public.users (email) VALUES ('y@example.com')"), SQLSTATE.readOnlyTransaction, "write in default transaction");
  }));

  it("connection limit: the sixth concurrent session is refused", async () => {
    const extra: Client[] = [];
    let refused: (Error & { code?: string }) | undefined;
    for (let i = 0; i < 10 && !refused; i++) {
      try {
        extra.push(await readonly());
      } catch (e) {
        refused = e as Error & { code?: string };
      }
    }
    const admin = await pgc.connect();
    open.push(admin);
    const sessions = (await admin.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE usename = $1", [cfg.database.readonlyRole.name])).rows[0].n;
    await Promise.all(extra.map((c) => c.end()));
    open.splice(0, open.length, ...open.filter((c) => !extra.includes(c)));
    assert.equal(refused?.code, SQLSTATE.tooManyConnections, String(refused?.message));
    assert.equal(sessions, cfg.database.readonlyRole.connectionLimit);
  });

  it("a long query is cancelled by the 30 s statement timeout", async () => {
    const { error, ms } = await sleeper;
    assert.equal(error?.code, SQLSTATE.queryCanceled, String(error?.message));
    assert.match(String(error?.message), /statement timeout/);
    assert.ok(ms >= cfg.database.readonlyRole.statementTimeoutMs - 100 && ms < cfg.database.readonlyRole.statementTimeoutMs + 4000, `cancelled after ${ms} ms`);
  });
});

describe("admins, the app group and PUBLIC", () => {
  it("the admin group has exactly the configured members", async () => {
    const c = await pgc.connect();
    open.push(c);
    const members = (await c.query(
      // PostgreSQL 16+: the creating master user holds ADMIN without INHERIT/SET; that is not membership.
      "SELECT m.rolname FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member " +
        "WHERE g.rolname = $1 AND (am.inherit_option OR am.set_option) ORDER BY 1",
      [cfg.database.adminGroup],
    )).rows.map((r) => r.rolname);
    assert.deepEqual(members, ["alice_nguyen", "marco_rossi"]);
  });

  it("an admin can run a migration as the owner role", async () => {
    const c = await as(cfg.database.admins[0], PASSWORDS.admin);
    await c.query("BEGIN; SET LOCAL ROLE duespark_owner; CREATE TABLE public.admin_probe (id int); ROLLBACK;");
  });

  it("a member of the app group reads and writes old and new tables", async () => {
    const c = await as("app_proof_user", PASSWORDS.app);
    await c.query("BEGIN");
    await c.query("INSERT INTO public.users (email) VALUES ('carla@example.com')");
    await c.query("UPDATE public.invoices SET paid = true WHERE id = 2");
    await c.query("INSERT INTO public.refunds (payment_id, amount_cents) VALUES (1, 5)");
    await c.query("DELETE FROM public.refunds WHERE amount_cents = 5");
    assert.equal((await c.query("SELECT count(*)::int AS n FROM public.users")).rows[0].n, 3);
    await c.query("ROLLBACK");
    await rejectsWith(c.query("TRUNCATE public.payments"), SQLSTATE.insufficientPrivilege, "app TRUNCATE");
    await rejectsWith(c.query("CREATE TABLE public.app_made (id int)"), SQLSTATE.insufficientPrivilege, "app CREATE");
  });

  it("PUBLIC cannot create in schema public (no ACL entry, and a role without grants is refused)", async () => {
    const c = await pgc.connect({ database: cfg.database.databaseName });
    open.push(c);
    const publicEntries = (await c.query(
      "SELECT a.privilege_type FROM pg_namespace n, aclexplode(n.nspacl) a WHERE n.nspname = 'public' AND a.grantee = 0",
    )).rows;
    assert.deepEqual(publicEntries, []);
    // bystander cannot even connect: PUBLIC lost CONNECT on the application database.
    await rejectsWith(as("bystander", "bystander-pw"), SQLSTATE.insufficientPrivilege, "bystander connect");
    await c.query("GRANT CONNECT ON DATABASE duespark TO bystander");
    const b = await as("bystander", "bystander-pw");
    await rejectsWith(b.query("CREATE TABLE public.bystander_table (id int)"), SQLSTATE.insufficientPrivilege, "bystander CREATE in public");
  });
});
