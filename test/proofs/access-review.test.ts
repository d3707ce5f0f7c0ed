/**
 * The monthly access review against a real PostgreSQL: a database built
 * from the prod stack's declarations has no findings; each kind of drift
 * is detected; bad URLs and unreachable servers exit 2 without printing
 * the password.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { main } from "../../tools/access-review/cli";
import { credentialsIn, redact, redactCredentials } from "../../tools/access-review/redact";
import { DeclaredAccess, declaredFromResources } from "../../tools/access-review/declared";
import { sql as rotationSql, scramVerifier } from "../../lambdas/db-rotation/sql";
import { ROOT, runMocked, stackConfig } from "../support/mocks";
import { applyDeclared, prepareRdsLikeCluster } from "../support/pg-proof";
import { isRoleSettingsInvocation, pgStatements } from "../../tools/proofs/pg-sql";
import { PgCluster, startPostgres } from "../support/postgres";

const MASTER_PASSWORD = "Review-master-Pw-77";
const NOW = new Date("2026-07-01T08:00:00Z");
let pgc: PgCluster;
let declared: DeclaredAccess;
let masterUrl: string;

async function review(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(args, { out: (t) => (out += t), err: (t) => (err += t), declared: async () => declared, now: NOW });
  return { code, out, err };
}

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "tools/access-review/cli.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("close", (code) => resolve({ code, out, err }));
  });
}

before(async () => {
  const cfg = stackConfig("prod");
  const run = await runMocked(ROOT, { preview: false, stack: "prod" });
  const pg = run.resources.filter((r) => r.type.startsWith("postgresql:") || isRoleSettingsInvocation(r));
  declared = declaredFromResources("prod", cfg, pg);
  pgc = await startPostgres();
  await prepareRdsLikeCluster(pgc, cfg, MASTER_PASSWORD);
  await applyDeclared(pgc, cfg, pgStatements(pg));
  // The current application user, created by the rotation ten days ago.
  const master = await pgc.connect({ database: cfg.database.databaseName, user: cfg.database.masterUsername, password: MASTER_PASSWORD });
  await master.query(rotationSql.createUser("duespark_app_20260621020000", scramVerifier("app-pw-current-1"), 50, cfg.database.appRole));
  await master.end();
  masterUrl = pgc.url({ database: cfg.database.databaseName, user: cfg.database.masterUsername, password: MASTER_PASSWORD });
});

after(async () => {
  await pgc?.stop();
});

describe("access review", () => {
  it("derives the read-only roles and the admin group from the declarations", () => {
    assert.deepEqual(declared.readonlyRoles, ["developer_readonly"]);
    assert.equal(declared.adminGroup, "duespark_admins");
    assert.deepEqual(declared.admins, ["alice_nguyen", "marco_rossi"]);
    assert.equal(declared.rotationDays, 180);
  });

  it("a database built from the declarations has no findings (exit 0), reviewed as the non-superuser master", async () => {
    const { code, out, err } = await review(["--stack", "prod", "--database-url", masterUrl]);
    assert.equal(err, "");
    assert.equal(code, 0, out);
    assert.match(out, /No findings/);
    assert.match(out, /pg_authid is not readable/);
  });

  it("detects every kind of drift (exit 1) in table, JSON and Markdown form", async () => {
    await pgc.exec(`
      CREATE ROLE intruder LOGIN SUPERUSER;
      CREATE ROLE contractor LOGIN CONNECTION LIMIT 2 IN ROLE duespark_admins;
      CREATE ROLE ops_bob LOGIN CONNECTION LIMIT 2 IN ROLE duespark_admins;
      CREATE ROLE shadow_admin NOLOGIN IN ROLE rds_superuser;
      CREATE ROLE duespark_app_20251201020000 LOGIN CONNECTION LIMIT 50 IN ROLE duespark_app;
      DROP ROLE rds_pgaudit;
    `);
    await pgc.exec(`
      GRANT INSERT ON public.payments TO developer_readonly;
      ALTER DEFAULT PRIVILEGES FOR ROLE duespark_owner IN SCHEMA public GRANT DELETE ON TABLES TO developer_readonly;
    `, "duespark");
    const text = await review(["--stack", "prod", "--database-url", masterUrl]);
    assert.equal(text.code, 1, text.out + text.err);
    const json = await review(["--stack", "prod", "--database-url", masterUrl, "--json"]);
    assert.equal(json.code, 1);
    const report = JSON.parse(json.out);
    const got = report.findings.map((f: { kind: string; role: string; detail: string }) => `${f.kind} ${f.role} ${f.detail}`);
    const expected = [
      "admin-group-over-limit duespark_admins 4 members (alice_nguyen, contractor, marco_rossi, ops_bob); the runbook allows at most 3",
      // Undeclared members of the admin group inherit rds_superuser through it.
      "extra-superuser contractor has rds_superuser privileges through an undeclared membership",
      "extra-superuser intruder has the SUPERUSER attribute",
      "extra-superuser ops_bob has rds_superuser privileges through an undeclared membership",
      "extra-superuser shadow_admin has rds_superuser privileges through an undeclared membership",
      "missing-role rds_pgaudit declared by the stack but absent from the database",
      "no-connection-limit intruder login role without a connection limit",
      "password-too-old duespark_app_20251201020000 credential created 2025-12-01 (212 days ago; rotation period 180 days)",
      "readonly-write-privilege developer_readonly default privileges of duespark_owner in public on tables: DELETE",
      "readonly-write-privilege developer_readonly public.payments: INSERT",
      "undeclared-admin contractor member of duespark_admins but not a configured admin (alice_nguyen, marco_rossi)",
      "undeclared-admin ops_bob member of duespark_admins but not a configured admin (alice_nguyen, marco_rossi)",
      "undeclared-role contractor login role not declared by stack prod",
      "undeclared-role intruder login role not declared by stack prod",
      "undeclared-role ops_bob login role not declared by stack prod",
      "undeclared-role shadow_admin group role not declared by stack prod",
    ];
    assert.deepEqual(got, expected);
    for (const line of expected) assert.ok(text.out.includes(line.split(" ").slice(2).join(" ")), line);
    const md = await review(["--stack", "prod", "--database-url", masterUrl, "--markdown"]);
    assert.equal(md.code, 1);
    assert.match(md.out, /\| Kind \| Role \| Detail \|/);
    assert.match(md.out, /\| extra-superuser \| `intruder` \| has the SUPERUSER attribute \|/);
  });

  it("the npm script runs the program for the stack itself and exits 1 on the drifted database", async () => {
    const { code, out, err } = await cli(["--stack", "prod", "--database-url", masterUrl, "--json"]);
    assert.equal(code, 1, err);
    const kinds = new Set(JSON.parse(out).findings.map((f: { kind: string }) => f.kind));
    assert.deepEqual([...kinds].sort(), ["admin-group-over-limit", "extra-superuser", "missing-role", "no-connection-limit", "password-too-old", "readonly-write-privilege", "undeclared-admin", "undeclared-role"]);
    assert.ok(!out.includes(MASTER_PASSWORD) && !err.includes(MASTER_PASSWORD));
  });
});

describe("access review errors (exit 2, clear message, no password, no stack trace)", { concurrency: true }, () => {
  const cases: Array<[string, string[], RegExp]> = [
    ["a URL that does not parse", ["--stack", "prod", "--database-url", "not a url S3cret-Pw"], /--database-url is not a valid URL/],
    ["a non-PostgreSQL URL", ["--stack", "prod", "--database-url", "mysql://admin:S3cret-Pw@db.example.com/duespark"], /must start with postgres:\/\/ or postgresql:\/\//],
    ["an unreachable server", ["--stack", "prod", "--database-url", "postgres://duespark_master:S3cret-Pw@127.0.0.1:1/duespark"], /cannot connect to postgres:\/\/duespark_master@127\.0\.0\.1:1\/duespark: .*ECONNREFUSED/],
    ["a missing --stack", ["--database-url", "postgres://u:S3cret-Pw@127.0.0.1:1/duespark"], /--stack is required/],
    [
      "a password with a stray % (invalid percent-encoding)",
      ["--stack", "prod", "--database-url", "postgres://admin:S3cret-Pw%ZZ@127.0.0.1:1/duespark"],
      /^error: --database-url: the percent-encoding in the user or password is invalid; write a literal % as %25/,
    ],
    ["a user with a stray %", ["--stack", "prod", "--database-url", "postgres://ad%min:S3cret-Pw@127.0.0.1:1/duespark"], /--database-url: the percent-encoding in the user or password is invalid/],
    ["a positional URL of another scheme", ["--stack", "prod", "mysql://admin:S3cret-Pw@db.example.com/db"], /^error: Unexpected argument 'mysql:\/\/admin:\*\*\*@db\.example\.com\/db'/],
    ["a positional URL with the password in the query", ["--stack", "prod", "postgresql://db.example.com/duespark?sslmode=require&password=S3cret-Pw"], /Unexpected argument 'postgresql:\/\/db\.example\.com\/duespark\?sslmode=require&password=\*\*\*'/],
    ["a password holding a quote and an @", ["--stack", "prod", "redis://admin:S3cret-Pw'x@y@db.example.com:6379"], /Unexpected argument 'redis:\/\/admin:\*\*\*@db\.example\.com:6379'/],
    ["a repeated --stack", ["--stack", "prod", "--stack", "dev", "--database-url", "postgres://u:S3cret-Pw@127.0.0.1:1/duespark"], /^error: --stack is given more than once; give it once/],
    ["a repeated --database-url", ["--stack", "prod", "--database-url", "postgres://u:S3cret-Pw@127.0.0.1:1/duespark", "--database-url=postgres://u:S3cret-Pw2@127.0.0.1:1/duespark"], /^error: --database-url is given more than once/],
  ];
  for (const [what, args, message] of cases) {
    it(what, async () => {
      const { code, out, err } = await cli(args);
      assert.equal(code, 2, err);
      assert.match(err, message);
      assert.ok(!err.includes("S3cret-Pw") && !out.includes("S3cret-Pw"), err);
      assert.doesNotMatch(err, /\n\s+at /);
    });
  }

  it("a wrong password", async () => {
    const url = pgc.url({ database: "duespark", user: "duespark_master", password: "Wrong-S3cret-Pw" });
    const { code, err } = await review(["--stack", "prod", "--database-url", url]);
    assert.equal(code, 2);
    assert.match(err, /cannot connect to postgres:\/\/duespark_master@127\.0\.0\.1:\d+\/duespark: password authentication failed for user "duespark_master"/);
    assert.ok(!err.includes("Wrong-S3cret-Pw"));
  });

  it("an unknown stack", async () => {
    const { code, err } = await cli(["--stack", "nope", "--database-url", masterUrl]);
    assert.equal(code, 2);
    assert.match(err, /unknown stack "nope"/);
    assert.ok(!err.includes(MASTER_PASSWORD));
  });
});

describe("credential redaction", () => {
  it("masks the password of a URL of any scheme, and password-like query values", () => {
    assert.equal(redactCredentials("x 'mysql://admin:S3cr3tPassw0rd@h/db' y"), "x 'mysql://admin:***@h/db' y");
    assert.equal(redactCredentials("redis://:S3cr3t@cache:6379 amqps://u:p%40ss@mq/vhost"), "redis://:***@cache:6379 amqps://u:***@mq/vhost");
    assert.equal(redactCredentials("jdbc:postgresql://h:5432/db?user=u&password=S3cr3t&ssl=true"), "jdbc:postgresql://h:5432/db?user=u&password=***&ssl=true");
    assert.equal(redactCredentials("https://u:a@b:c@example.com/path"), "https://u:***@example.com/path");
    // No password, nothing to mask.
    assert.equal(redactCredentials("postgres://duespark_master@127.0.0.1:5432/duespark and https://example.com:8443/a"), "postgres://duespark_master@127.0.0.1:5432/duespark and https://example.com:8443/a");
  });

  it("masks the command line's passwords verbatim, raw and decoded, wherever a message quotes them", () => {
    const secrets = credentialsIn(["--database-url=postgres://admin:Pa%23ss-w0rd@h/db", "--x", "mssql://h/db?Password=Other-S3cret"]);
    assert.deepEqual(secrets.sort(), ["Other-S3cret", "Pa#ss-w0rd", "Pa%23ss-w0rd"]);
    assert.equal(redact('auth failed for "Pa#ss-w0rd" and Other-S3cret', secrets), 'auth failed for "***" and ***');
  });
});
