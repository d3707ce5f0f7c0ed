import assert from "node:assert/strict";
import { createHash, createHmac } from "node:crypto";
import { test } from "node:test";
import { scramVerifier, rotationUsername, ident, literal } from "../../lambdas/db-rotation/sql";
import { DbRotationSettings, dbSteps, PgClient, PgConnectionParams, rotateDatabaseSecret, settingsFromEnv } from "../../lambdas/db-rotation/steps";
import { ROTATION_STEPS } from "../../lambdas/shared/rotation";
import { FakeSecretsManager } from "./fake-secrets-manager";

const SECRET = "arn:aws:secretsmanager:us-east-1:123456789012:secret:duespark/prod/database/app-AbCdEf";
const MASTER = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-1111-XyZ";
const MASTER_PASSWORD = "master-pw-from-rds";
const settings: DbRotationSettings = {
  secretArn: SECRET,
  masterSecretArn: MASTER,
  host: "duespark-prod.cabc.us-east-1.rds.amazonaws.com",
  port: 5432,
  dbname: "duespark",
  appRole: "duespark_app",
  ownerRole: "duespark_owner",
  userPrefix: "duespark_app_",
  connectionLimit: 200,
  graceMinutes: 75,
};
const quiet = { info: () => undefined };

interface FakeRole { verifier?: string; validUntil: Date | null; groups: Set<string>; owned: number; sessions: number; login: boolean }

/** A PostgreSQL stand-in: roles, memberships, SCRAM logins, VALID UNTIL; records every statement with its session user. */
class FakePostgres {
  roles = new Map<string, FakeRole>([
    ["duespark_app", { validUntil: null, groups: new Set(), owned: 0, sessions: 0, login: false }],
    ["duespark_owner", { validUntil: null, groups: new Set(), owned: 12, sessions: 0, login: false }],
  ]);
  log: { user: string; sql: string; params?: unknown[] }[] = [];
  constructor(public now: () => Date) {}

  connect = async (p: PgConnectionParams): Promise<PgClient> => {
    if (p.user === "duespark_master") {
      if (p.password !== MASTER_PASSWORD) throw new Error("password authentication failed for duespark_master");
    } else {
      const r = this.roles.get(p.user);
      if (!r?.login || !r.verifier || !scramMatches(r.verifier, p.password)) throw new Error(`password authentication failed for ${p.user}`);
      if (r.validUntil && r.validUntil.getTime() < this.now().getTime()) throw new Error(`password of ${p.user} has expired`);
    }
    assert.equal(p.host, settings.host);
    assert.equal(p.database, "duespark");
    return { query: async (sql, params) => this.query(p.user, sql, params), end: async () => undefined };
  };

  async query(user: string, sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }> {
    this.log.push({ user, sql, params });
    let m: RegExpExecArray | null;
    if (sql.startsWith("SELECT 1 FROM pg_roles")) return { rows: this.roles.has(String(params![0])) ? [{ "?column?": 1 }] : [] };
    if ((m = /^CREATE ROLE "(\w+)" WITH LOGIN .* CONNECTION LIMIT (\d+) PASSWORD '([^']+)' IN ROLE "(\w+)"$/.exec(sql))) {
      if (this.roles.has(m[1])) throw new Error(`role "${m[1]}" already exists`);
      this.roles.set(m[1], { verifier: m[3], validUntil: null, groups: new Set([m[4]]), owned: 0, sessions: 0, login: true });
      return { rows: [] };
    }
    if ((m = /^ALTER ROLE "(\w+)" WITH LOGIN CONNECTION LIMIT \d+ PASSWORD '([^']+)' VALID UNTIL 'infinity'$/.exec(sql))) {
      Object.assign(this.roles.get(m[1])!, { verifier: m[2], validUntil: null, login: true });
      return { rows: [] };
    }
    if ((m = /^ALTER ROLE "(\w+)" VALID UNTIL '([^']+)'$/.exec(sql))) {
      this.roles.get(m[1])!.validUntil = new Date(m[2]);
      return { rows: [] };
    }
    if ((m = /^GRANT "(\w+)" TO "(\w+)"$/.exec(sql))) {
      this.roles.get(m[2])!.groups.add(m[1]);
      return { rows: [] };
    }
    if (sql.startsWith("SELECT current_user")) {
      return { rows: [{ username: user, member: this.roles.get(user)?.groups.has(String(params![0])) ?? false, read_only: "off" }] };
    }
    if (sql.startsWith("SELECT r.rolname AS username")) {
      const rows = [...this.roles].filter(([, r]) => r.groups.has(String(params![0]))).map(([n, r]) => ({ username: n, valid_until: r.validUntil }));
      return { rows };
    }
    if (sql.includes("FROM pg_shdepend")) return { rows: [{ owned: this.roles.get(String(params![0]))?.owned ?? 0 }] };
    if (sql.includes("pg_terminate_backend")) {
      const r = this.roles.get(String(params![0]))!;
      const terminated = r.sessions;
      r.sessions = 0;
      return { rows: [{ terminated }] };
    }
    if ((m = /^DROP ROLE IF EXISTS "(\w+)"$/.exec(sql))) {
      this.roles.delete(m[1]);
      return { rows: [] };
    }
    if (/^(BEGIN|COMMIT|ROLLBACK|SET TRANSACTION READ WRITE|SELECT txid_current\(\)|GRANT "\w+" TO CURRENT_USER|DROP OWNED BY "\w+")$/.test(sql)) return { rows: [] };
    throw new Error(`unexpected SQL: ${sql}`);
  }
}

/** Server side of SCRAM-SHA-256: does the password produce the verifier's StoredKey? */
function scramMatches(verifier: string, password: string): boolean {
  const m = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(verifier);
  if (!m) return false;
  return scramVerifier(password, Buffer.from(m[2], "base64"), Number(m[1])) === verifier;
}

function setup(start = new Date("2026-12-01T09:30:00Z")) {
  let now = start;
  const clock = { now: () => now, set: (d: Date) => (now = d) };
  const sm = new FakeSecretsManager();
  sm.put(MASTER, "m1", { username: "duespark_master", password: MASTER_PASSWORD }, ["AWSCURRENT"]);
  const pg = new FakePostgres(clock.now);
  const deps = { sm: sm.client, connect: pg.connect, settings, now: clock.now, log: quiet };
  const rotate = async (token: string) => {
    sm.startRotation(SECRET, token);
    for (const Step of ROTATION_STEPS) await rotateDatabaseSecret({ SecretId: SECRET, ClientRequestToken: token, Step }, deps);
  };
  return { sm, pg, deps, clock, rotate };
}

test("first rotation (no AWSCURRENT yet) creates duespark_app_<UTC stamp> IN ROLE duespark_app and makes it current", async () => {
  const { sm, pg, rotate } = setup();
  await rotate("t1");
  const current = sm.stagedJson(SECRET, "AWSCURRENT");
  assert.deepEqual(Object.keys(current).sort(), ["dbname", "engine", "host", "password", "port", "username"]);
  assert.equal(current.username, "duespark_app_20261201093000");
  assert.equal(current.engine, "postgres");
  assert.equal(current.port, 5432);
  assert.match(current.password, /^[A-Za-z0-9_-]{43}$/);
  const create = pg.log.find((l) => l.sql.startsWith("CREATE ROLE"))!;
  assert.equal(create.user, "duespark_master");
  assert.match(create.sql, /^CREATE ROLE "duespark_app_20261201093000" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT CONNECTION LIMIT 200 PASSWORD 'SCRAM-SHA-256\$4096:[^']+' IN ROLE "duespark_app"$/);
  // The plaintext password never appears in any SQL text (statement logs, pgaudit).
  assert.ok(pg.log.every((l) => !l.sql.includes(current.password)));
  // testSecret logged in as the new user and rolled its write check back.
  const asNew = pg.log.filter((l) => l.user === "duespark_app_20261201093000").map((l) => l.sql);
  assert.deepEqual(asNew.slice(1), ["BEGIN", "SET TRANSACTION READ WRITE", "SELECT txid_current()", "ROLLBACK"]);
  assert.ok(!asNew.includes("COMMIT"));
});

test("second rotation: new user, old user gets VALID UNTIL now + 75 min (ESO refresh 60 + drain 15), then the sweep drops it", async () => {
  const { sm, pg, rotate, clock, deps } = setup();
  await rotate("t1");
  const old = sm.stagedJson(SECRET, "AWSCURRENT").username;
  clock.set(new Date("2027-05-30T10:00:00Z"));
  await rotate("t2");
  const current = sm.stagedJson(SECRET, "AWSCURRENT");
  assert.equal(current.username, "duespark_app_20270530100000");
  assert.equal(sm.stagedJson(SECRET, "AWSPREVIOUS").username, old);
  assert.equal(pg.roles.get(old)!.validUntil!.toISOString(), "2027-05-30T11:15:00.000Z");
  assert.ok(pg.roles.has(old), "the old user survives finishSecret: pods may still use it until they reload");

  // Within the grace period the old user still logs in and is not dropped.
  clock.set(new Date("2027-05-30T11:14:00Z"));
  let r = await dbSteps(deps).sweep();
  assert.deepEqual(r.draining, [old]);
  assert.ok(pg.roles.has(old));

  pg.roles.get(old)!.sessions = 2;
  clock.set(new Date("2027-05-30T11:16:00Z"));
  r = await dbSteps(deps).sweep();
  assert.deepEqual(r.dropped, [old]);
  assert.equal(r.terminatedSessions, 2);
  assert.ok(!pg.roles.has(old));
  assert.ok(pg.roles.has(current.username), "the current user is never swept");
  const tail = pg.log.slice(-5).map((l) => l.sql);
  assert.deepEqual(tail, ["BEGIN", `GRANT "${old}" TO CURRENT_USER`, `DROP OWNED BY "${old}"`, `DROP ROLE IF EXISTS "${old}"`, "COMMIT"]);
  // Idempotent: a second sweep finds nothing to do.
  r = await dbSteps(deps).sweep();
  assert.deepEqual([r.dropped, r.expired, r.draining, r.blocked], [[], [], [], []]);
});

test("the sweep never drops a user that owns objects, nor roles outside the rotation pattern", async () => {
  const { pg, rotate, clock, deps, sm } = setup();
  await rotate("t1");
  const first = sm.stagedJson(SECRET, "AWSCURRENT").username;
  pg.roles.set("duespark_migrator", { validUntil: new Date("2000-01-01T00:00:00Z"), groups: new Set(["duespark_app"]), owned: 0, sessions: 0, login: true });
  clock.set(new Date("2027-01-01T00:00:00Z"));
  await rotate("t2");
  pg.roles.get(first)!.owned = 3;
  clock.set(new Date("2027-01-02T00:00:00Z"));
  await assert.rejects(dbSteps(deps).sweep(), /own database objects and were not dropped: duespark_app_20261201093000/);
  assert.ok(pg.roles.has(first));
  assert.ok(pg.roles.has("duespark_migrator"));
  assert.ok(!pg.log.some((l) => l.sql.includes("DROP") && l.sql.includes("duespark_migrator")));
});

test("old users without a deadline (finishSecret interrupted) get one from the sweep", async () => {
  const { pg, deps, sm } = setup();
  sm.put(SECRET, "cur", { ...settings, engine: "postgres", username: "duespark_app_20270101000000", password: "x" }, ["AWSCURRENT"]);
  pg.roles.set("duespark_app_20260101000000", { validUntil: null, groups: new Set(["duespark_app"]), owned: 0, sessions: 0, login: true });
  pg.roles.set("duespark_app_20270101000000", { validUntil: null, groups: new Set(["duespark_app"]), owned: 0, sessions: 0, login: true });
  const r = await dbSteps(deps).sweep();
  assert.deepEqual(r.expired, ["duespark_app_20260101000000"]);
  assert.equal(pg.roles.get("duespark_app_20260101000000")!.validUntil!.toISOString(), "2026-12-01T10:45:00.000Z");
  assert.equal(pg.roles.get("duespark_app_20270101000000")!.validUntil, null);
});

test("setSecret and createSecret are idempotent; testSecret fails for a user outside the app group", async () => {
  const { sm, pg, deps } = setup();
  sm.startRotation(SECRET, "t");
  const ev = (Step: (typeof ROTATION_STEPS)[number]) => rotateDatabaseSecret({ SecretId: SECRET, ClientRequestToken: "t", Step }, deps);
  await ev("createSecret");
  const pending = sm.stagedJson(SECRET, "AWSPENDING");
  await ev("createSecret");
  assert.deepEqual(sm.stagedJson(SECRET, "AWSPENDING"), pending);
  await ev("setSecret");
  await ev("setSecret");
  const sqls = pg.log.map((l) => l.sql);
  assert.equal(sqls.filter((s) => s.startsWith("CREATE ROLE")).length, 1);
  assert.ok(sqls.some((s) => s.startsWith(`ALTER ROLE "${pending.username}" WITH LOGIN CONNECTION LIMIT 200 PASSWORD 'SCRAM-SHA-256$`)));
  pg.roles.get(pending.username)!.groups.clear();
  await assert.rejects(ev("testSecret"), /is not a member of duespark_app/);
  assert.equal(sm.stagedJson(SECRET, "AWSCURRENT"), undefined);
});

test("refuses other secrets, foreign pending usernames and a wrong master password", async () => {
  const { sm, deps } = setup();
  await assert.rejects(rotateDatabaseSecret({ SecretId: "arn:aws:secretsmanager:us-east-1:123456789012:secret:other", ClientRequestToken: "t", Step: "createSecret" }, deps), /rotates .* only/);
  sm.put(SECRET, "evil", { ...settings, username: "duespark_master", password: "p" }, ["AWSPENDING"]);
  await assert.rejects(rotateDatabaseSecret({ SecretId: SECRET, ClientRequestToken: "evil", Step: "setSecret" }, deps), /not a rotation user/);
  sm.put(MASTER, "m2", { username: "duespark_master", password: "stale" }, ["AWSCURRENT"]);
  sm.startRotation(SECRET, "t3");
  await rotateDatabaseSecret({ SecretId: SECRET, ClientRequestToken: "t3", Step: "createSecret" }, deps);
  await assert.rejects(rotateDatabaseSecret({ SecretId: SECRET, ClientRequestToken: "t3", Step: "setSecret" }, deps), /password authentication failed for duespark_master/);
});

test("SCRAM-SHA-256 verifier matches RFC 7677's exchange (user/pencil): the server signature and client proof check out", () => {
  const salt = Buffer.from("W22ZaJ0SNY7soEsUEjb6gQ==", "base64");
  const v = scramVerifier("pencil", salt, 4096);
  const [, , , storedB64, serverB64] = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(v)!;
  const authMessage = "n=user,r=rOprNGfwEbeRWgbNEkqO,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  const serverSignature = createHmac("sha256", Buffer.from(serverB64, "base64")).update(authMessage).digest("base64");
  assert.equal(serverSignature, "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
  const proof = Buffer.from("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "base64");
  const clientSignature = createHmac("sha256", Buffer.from(storedB64, "base64")).update(authMessage).digest();
  const clientKey = Buffer.from(proof.map((b, i) => b ^ clientSignature[i]));
  assert.equal(createHash("sha256").update(clientKey).digest("base64"), storedB64);
});

test("SQL helpers: identifiers are validated, literals escaped, usernames stamped in UTC", () => {
  assert.equal(ident("duespark_app"), '"duespark_app"');
  assert.throws(() => ident('x"; DROP ROLE y; --'), /not an allowed role name/);
  assert.equal(literal("it's"), "'it''s'");
  assert.equal(rotationUsername("duespark_app_", new Date("2026-02-03T04:05:06.789Z")), "duespark_app_20260203040506");
  assert.throws(() => rotationUsername("x".repeat(60), new Date()), /not an allowed role name/);
});

test("settings come from the environment: ARNs, names and numbers only", () => {
  const env = {
    SECRET_ARN: SECRET, MASTER_SECRET_ARN: MASTER, DB_HOST: settings.host, DB_PORT: "5432", DB_NAME: "duespark",
    APP_ROLE: "duespark_app", OWNER_ROLE: "duespark_owner", USER_PREFIX: "duespark_app_", CONNECTION_LIMIT: "200", GRACE_MINUTES: "75",
  };
  assert.deepEqual(settingsFromEnv(env), settings);
  assert.throws(() => settingsFromEnv({ ...env, GRACE_MINUTES: "soon" }), /GRACE_MINUTES must be a whole number/);
  assert.throws(() => settingsFromEnv({ ...env, MASTER_SECRET_ARN: "" }), /MASTER_SECRET_ARN is not set/);
});
