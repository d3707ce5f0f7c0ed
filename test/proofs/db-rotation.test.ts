/**
 * Proof: the application-user rotation (lambdas/db-rotation) run step by
 * step against a real PostgreSQL that carries the prod stack's declared
 * roles, with Secrets Manager faked at the SDK boundary. The steps act as
 * the RDS-like master user (CREATEROLE, not superuser). Connections are
 * plain TCP here: the Lambda's own TLS client factory is not exercised.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client } from "pg";
import type { StackConfig } from "../../config/schema";
import { DbRotationSettings, DbSecret, PgConnect, rotateDatabaseSecret } from "../../lambdas/db-rotation/steps";
import { scramVerifier, sql as rotationSql } from "../../lambdas/db-rotation/sql";
import type { RotationEvent, RotationStep } from "../../lambdas/shared/rotation";
import { FakeSecretsManager } from "../support/fake-secrets-manager";
import { applyDeclared, declaredProd, prepareRdsLikeCluster, rejectsWith, SQLSTATE } from "../support/pg-proof";
import { PgCluster, startPostgres } from "../support/postgres";

const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:duespark/prod/database-Ab12Cd";
const MASTER_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-5f3e-Ef34Gh";
const MASTER_PASSWORD = "master-Rotation-pw-1";
const INITIAL_USER = "duespark_app_20260101000000";
const INITIAL_PASSWORD = "initial-App-pw-0001";

let pgc: PgCluster;
let cfg: StackConfig;
let sm: FakeSecretsManager;
let settings: DbRotationSettings;
let clock = Date.parse("2026-06-30T02:00:00Z");
const extraSessions: Client[] = [];
const silent = { info: () => undefined };

const connect: PgConnect = async (p) => {
  const c = new Client({ host: p.host, port: p.port, database: p.database, user: p.user, password: p.password });
  await c.connect();
  return c;
};
const deps = () => ({ sm: sm.client, connect, settings, now: () => new Date(clock), log: silent });
const step = (Step: RotationStep, token: string) => rotateDatabaseSecret({ SecretId: SECRET_ARN, ClientRequestToken: token, Step } satisfies RotationEvent, deps());
async function rotate(token: string): Promise<void> {
  for (const s of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) await step(s, token);
}
async function login(secret: Pick<DbSecret, "username" | "password">): Promise<Client> {
  const c = await pgc.connect({ database: cfg.database.databaseName, user: secret.username, password: secret.password });
  c.on("error", () => undefined);
  return c;
}
async function superuser<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await pgc.connect({ database: cfg.database.databaseName });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}
const roleExists = (name: string) => superuser(async (c) => (await c.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [name])).rows.length === 1);
/** What the application does with its credentials: read and write app tables, old and new. */
async function appWork(c: Client): Promise<void> {
  await c.query("BEGIN");
  await c.query("INSERT INTO public.users (email) VALUES ($1)", [`rotation-${Date.now()}-${Math.random()}@example.com`]);
  await c.query("INSERT INTO public.invoices (user_id, amount_cents) VALUES (1, 990)");
  await c.query("UPDATE public.invoices SET paid = true WHERE amount_cents = 990");
  await c.query("INSERT INTO public.refunds (payment_id, amount_cents) VALUES (1, 1)");
  await c.query("DELETE FROM public.refunds WHERE amount_cents = 1");
  await c.query("SELECT count(*) FROM public.unpaid_invoices");
  await c.query("COMMIT");
}

before(async () => {
  const declared = await declaredProd();
  cfg = declared.cfg;
  pgc = await startPostgres();
  await prepareRdsLikeCluster(pgc, cfg, MASTER_PASSWORD);
  await applyDeclared(pgc, cfg, declared.statements);
  settings = {
    secretArn: SECRET_ARN,
    masterSecretArn: MASTER_ARN,
    host: pgc.host,
    port: pgc.port,
    dbname: cfg.database.databaseName,
    appRole: cfg.database.appRole,
    ownerRole: cfg.database.ownerRole,
    userPrefix: `${cfg.database.appRole}_`,
    connectionLimit: 50,
    graceMinutes: cfg.database.rotationDrainMinutes + 60,
  };
  sm = new FakeSecretsManager();
  sm.create(MASTER_ARN, { username: cfg.database.masterUsername, password: MASTER_PASSWORD });
  sm.create(SECRET_ARN, { engine: "postgres", host: pgc.host, port: pgc.port, dbname: cfg.database.databaseName, username: INITIAL_USER, password: INITIAL_PASSWORD });
  // The user of the previous rotation, created the way setSecret creates users.
  const master = await pgc.connect({ database: cfg.database.databaseName, user: cfg.database.masterUsername, password: MASTER_PASSWORD });
  await master.query(rotationSql.createUser(INITIAL_USER, scramVerifier(INITIAL_PASSWORD), 50, cfg.database.appRole));
  await master.end();
});

after(async () => {
  await Promise.all(extraSessions.map((c) => c.end().catch(() => undefined)));
  sm?.mock.restore();
  await pgc?.stop();
});

describe("a full rotation", () => {
  let token: string;
  let oldSession: Client;
  let newSecret: DbSecret;

  it("the current user works before the rotation", async () => {
    oldSession = await login({ username: INITIAL_USER, password: INITIAL_PASSWORD });
    extraSessions.push(oldSession);
    await appWork(oldSession);
  });

  it("creates a new user that can do what the application needs, and switches the secret", async () => {
    token = sm.startRotation(SECRET_ARN);
    await rotate(token);
    newSecret = sm.valueAt(SECRET_ARN, "AWSCURRENT");
    assert.equal(newSecret.username, "duespark_app_20260630020000");
    assert.notEqual(newSecret.password, INITIAL_PASSWORD);
    assert.equal(newSecret.password.length, 43);
    const stages = sm.stagesOf(SECRET_ARN);
    assert.deepEqual(stages[token].filter((s) => s !== "AWSPENDING"), ["AWSCURRENT"]);
    assert.deepEqual(Object.entries(stages).filter(([, s]) => s.includes("AWSPREVIOUS")).map(([id]) => id), ["v2-initial"]);
    const c = await login(newSecret);
    try {
      const who = (await c.query("SELECT current_user AS u, pg_has_role(current_user, $1, 'USAGE') AS app, r.rolsuper, r.rolcreaterole, r.rolcreatedb FROM pg_roles r WHERE r.rolname = current_user", [cfg.database.appRole])).rows[0];
      assert.deepEqual(who, { u: newSecret.username, app: true, rolsuper: false, rolcreaterole: false, rolcreatedb: false });
      await appWork(c);
      assert.ok(Number((await c.query("SELECT nextval('public.invoice_number_seq') AS n")).rows[0].n) > 1000);
      await rejectsWith(c.query("CREATE TABLE public.app_owned (id int)"), SQLSTATE.insufficientPrivilege, "new user CREATE TABLE");
    } finally {
      await c.end();
    }
  });

  it("keeps the old user working during its grace period (VALID UNTIL set, open sessions untouched)", async () => {
    await appWork(oldSession);
    const until = await superuser(async (c) => (await c.query("SELECT rolvaliduntil FROM pg_roles WHERE rolname = $1", [INITIAL_USER])).rows[0].rolvaliduntil as Date);
    assert.equal(until.toISOString(), new Date(clock + settings.graceMinutes * 60_000).toISOString());
    clock += 30 * 60_000;
    const swept = await rotateSweep();
    assert.deepEqual(swept.draining, [INITIAL_USER]);
    assert.equal(await roleExists(INITIAL_USER), true);
    await appWork(oldSession);
  });

  it("drops the old user once its grace period is over, ending its sessions; no object is left owned by it", async () => {
    const ownedBefore = await superuser(async (c) => (await c.query(rotationSql.ownedObjects, [INITIAL_USER])).rows[0].owned);
    assert.equal(ownedBefore, 0);
    clock += settings.graceMinutes * 60_000;
    const ended = new Promise<string | undefined>((resolve) => oldSession.once("error", (e: Error & { code?: string }) => resolve(e.code)));
    const swept = await rotateSweep();
    assert.deepEqual(swept.dropped, [INITIAL_USER]);
    assert.equal(swept.terminatedSessions, 1);
    assert.equal(await ended, "57P01");
    assert.equal(await roleExists(INITIAL_USER), false);
    const orphans = await superuser(async (c) => (await c.query(
      "SELECT c.relname, pg_get_userbyid(c.relowner) AS owner FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) <> $1",
      [cfg.database.ownerRole],
    )).rows);
    assert.deepEqual(orphans, []);
    await rejectsWith(login({ username: INITIAL_USER, password: INITIAL_PASSWORD }), SQLSTATE.invalidPassword, "dropped user login");
    // The current credentials keep working.
    const c = await login(newSecret);
    await appWork(c);
    await c.end();
  });

  it("running every step again is harmless", async () => {
    for (const s of ["createSecret", "setSecret", "testSecret", "finishSecret"] as const) await step(s, token);
    assert.deepEqual(sm.valueAt(SECRET_ARN, "AWSCURRENT"), newSecret);
    const c = await login(newSecret);
    await appWork(c);
    await c.end();
  });

  async function rotateSweep() {
    const { dbSteps } = await import("../../lambdas/db-rotation/steps");
    return dbSteps(deps()).sweep();
  }
});

describe("repeated steps inside a rotation", () => {
  it("createSecret and setSecret twice yield one pending user with the pending password", async () => {
    clock += 24 * 3600_000;
    const token = sm.startRotation(SECRET_ARN);
    await step("createSecret", token);
    const first = sm.valueAt(SECRET_ARN, "AWSPENDING") as DbSecret;
    await step("createSecret", token);
    assert.deepEqual(sm.valueAt(SECRET_ARN, "AWSPENDING"), first);
    await step("setSecret", token);
    await step("setSecret", token);
    await step("testSecret", token);
    await step("testSecret", token);
    const memberships = await superuser(async (c) => (await c.query(
      "SELECT count(*)::int AS n FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles m ON m.oid = am.member WHERE g.rolname = $1 AND m.rolname = $2",
      [cfg.database.appRole, first.username],
    )).rows[0].n);
    assert.equal(memberships, 1);
    await step("finishSecret", token);
    await step("finishSecret", token);
    assert.equal((sm.valueAt(SECRET_ARN, "AWSCURRENT") as DbSecret).username, first.username);
    const c = await login(first);
    await appWork(c);
    await c.end();
  });
});

describe("a failing testSecret", () => {
  it("leaves AWSCURRENT and the current user's credentials working", async () => {
    const current = sm.valueAt(SECRET_ARN, "AWSCURRENT") as DbSecret;
    const currentStages = sm.stagesOf(SECRET_ARN);
    clock += 24 * 3600_000;
    const token = sm.startRotation(SECRET_ARN);
    await step("createSecret", token);
    await step("setSecret", token);
    const pending = sm.valueAt(SECRET_ARN, "AWSPENDING") as DbSecret;
    // The new user lost its group membership: the application could not work with it.
    // (PostgreSQL 16+ revokes only the grants of the named grantor: setSecret granted as master.)
    await superuser((c) => c.query(`REVOKE "${cfg.database.appRole}" FROM "${pending.username}" GRANTED BY "${cfg.database.masterUsername}"`));
    // Without the group it has no CONNECT either (PUBLIC lost it): the login itself is refused.
    await assert.rejects(step("testSecret", token), (e: Error & { code?: string }) => e.code === SQLSTATE.insufficientPrivilege && /permission denied for database/.test(e.message));
    assert.deepEqual(sm.valueAt(SECRET_ARN, "AWSCURRENT"), current);
    const after = sm.stagesOf(SECRET_ARN);
    const currentId = Object.keys(currentStages).find((id) => currentStages[id].includes("AWSCURRENT"))!;
    assert.ok(after[currentId].includes("AWSCURRENT"));
    const c = await login(current);
    await appWork(c);
    await c.end();
    // A wrong pending password fails the same way, with the current user still fine.
    sm.setValue(SECRET_ARN, token, { ...pending, password: "not-the-password" });
    await assert.rejects(step("testSecret", token), (e: Error & { code?: string }) => e.code === SQLSTATE.invalidPassword);
    const c2 = await login(current);
    await appWork(c2);
    await c2.end();
  });
});
