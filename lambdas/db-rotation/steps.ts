/**
 * Rotation of the application's database credentials (runbook: Database
 * credentials every 180 days), one new PostgreSQL user per rotation:
 *
 *   createSecret  new username (<appRole>_<yyyymmddhhmmss>) + password -> AWSPENDING
 *   setSecret     as master: CREATE ROLE <new> LOGIN ... IN ROLE <appRole>
 *                 (privileges come from the group; objects belong to the owner
 *                 role, so the user owns nothing that dropping it would lose)
 *   testSecret    as the new user: identity, group membership, a read and a
 *                 rolled-back read-write transaction
 *   finishSecret  AWSCURRENT -> new version; the old user gets a deadline
 *                 (VALID UNTIL now + grace) and expired users are swept
 *   sweep         (also hourly on a schedule) for each rotation user other
 *                 than the current/pending one whose deadline has passed:
 *                 terminate its sessions, refuse if it owns anything, then
 *                 DROP OWNED (privileges only) and DROP ROLE
 *
 * The grace period is ESO's refresh interval plus the drain time: until the
 * pods have reloaded the new Kubernetes secret they still open connections
 * with the old user, so it cannot be dropped inside finishSecret (which is
 * also bounded by the Lambda's 15-minute limit).
 *
 * AWS's alternating-users rotation template never drops the old user; this
 * one does, so a leaked old credential stops working after the grace period.
 *
 * Step functions take a Secrets Manager client and a PostgreSQL client
 * factory, so they run unchanged against a real PostgreSQL in tests.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { consoleLogger, Logger, promotePending, putPending, readSecretJson, RotationEvent, runRotationStep, StepHandlers } from "../shared/rotation";
import { generatePassword, ident, rotationUsername, rotationUserPattern, scramVerifier, sql } from "./sql";

export interface DbSecret {
  engine: "postgres";
  host: string;
  port: number;
  dbname: string;
  username: string;
  password: string;
}

export type { PgClient, PgConnect, PgConnectionParams } from "../shared/pg";
import type { PgClient, PgConnect, PgConnectionParams } from "../shared/pg";

export interface DbRotationSettings {
  /** The only secret this function rotates. */
  secretArn: string;
  /** RDS-managed master user secret ({"username","password"}), read at run time. */
  masterSecretArn: string;
  host: string;
  port: number;
  dbname: string;
  /** Group role the application users join. */
  appRole: string;
  /** Role that owns the schema objects (never dropped, never a rotation user). */
  ownerRole: string;
  /** Prefix of generated usernames, e.g. "duespark_app_". */
  userPrefix: string;
  connectionLimit: number;
  /** Minutes the previous user keeps working after finishSecret. */
  graceMinutes: number;
}

export interface DbRotationDeps {
  sm: SecretsManagerClient;
  connect: PgConnect;
  settings: DbRotationSettings;
  now?: () => Date;
  random?: (n: number) => Buffer;
  log?: Logger;
}

export interface SweepResult {
  /** Users that got a deadline now (had none). */
  expired: string[];
  /** Users still within their grace period. */
  draining: string[];
  dropped: string[];
  /** Users that own objects: left in place, reported as an error. */
  blocked: string[];
  terminatedSessions: number;
}

async function withClient<T>(connect: PgConnect, params: PgConnectionParams, fn: (c: PgClient) => Promise<T>): Promise<T> {
  const client = await connect(params);
  try {
    return await fn(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function masterParams(deps: DbRotationDeps): Promise<PgConnectionParams> {
  const out = await deps.sm.send(new GetSecretValueCommand({ SecretId: deps.settings.masterSecretArn, VersionStage: "AWSCURRENT" }));
  const parsed = JSON.parse(out.SecretString ?? "{}") as { username?: string; password?: string };
  if (!parsed.username || !parsed.password) throw new Error("the master user secret has no username/password");
  const s = deps.settings;
  return { host: s.host, port: s.port, database: s.dbname, user: parsed.username, password: parsed.password };
}

function assertRotationUser(settings: DbRotationSettings, username: string): void {
  if (!rotationUserPattern(settings.userPrefix).test(username)) {
    throw new Error(`refusing to manage "${username}": not a rotation user (${settings.userPrefix}<14-digit UTC stamp>)`);
  }
  if (username === settings.appRole || username === settings.ownerRole) throw new Error(`refusing to manage group role "${username}"`);
}

export function dbSteps(deps: DbRotationDeps): StepHandlers & { sweep(): Promise<SweepResult> } {
  const s = deps.settings;
  const now = deps.now ?? (() => new Date());
  const log = deps.log ?? consoleLogger;

  const pendingOf = async (event: RotationEvent) => {
    const pending = await readSecretJson<DbSecret>(deps.sm, event.SecretId, "AWSPENDING", event.ClientRequestToken);
    if (!pending?.username || !pending.password) throw new Error(`no pending credentials for version ${event.ClientRequestToken}`);
    assertRotationUser(s, pending.username);
    return pending;
  };

  const sweep = async (): Promise<SweepResult> => {
    const current = await readSecretJson<DbSecret>(deps.sm, s.secretArn, "AWSCURRENT");
    const pending = await readSecretJson<DbSecret>(deps.sm, s.secretArn, "AWSPENDING");
    const keep = new Set([current?.username, pending?.username].filter((u): u is string => !!u));
    const pattern = rotationUserPattern(s.userPrefix);
    const result: SweepResult = { expired: [], draining: [], dropped: [], blocked: [], terminatedSessions: 0 };
    await withClient(deps.connect, await masterParams(deps), async (c) => {
      const members = (await c.query(sql.groupMembers, [s.appRole])).rows;
      for (const row of members) {
        const user = String(row.username);
        if (!pattern.test(user) || keep.has(user)) continue;
        const validUntil = row.valid_until ? new Date(row.valid_until as string | Date) : undefined;
        const at = now();
        // "infinity" reads back as a non-finite date: treat it like no deadline.
        if (!validUntil || !Number.isFinite(validUntil.getTime())) {
          await c.query(sql.expireUser(user, new Date(at.getTime() + s.graceMinutes * 60_000)));
          result.expired.push(user);
          continue;
        }
        if (validUntil.getTime() > at.getTime()) {
          result.draining.push(user);
          continue;
        }
        const owned = Number((await c.query(sql.ownedObjects, [user])).rows[0]?.owned ?? 0);
        if (owned > 0) {
          result.blocked.push(user);
          continue;
        }
        result.terminatedSessions += Number((await c.query(sql.terminateSessions, [user])).rows[0]?.terminated ?? 0);
        await c.query("BEGIN");
        try {
          await c.query(sql.takeOver(user));
          await c.query(sql.dropOwned(user));
          await c.query(sql.dropUser(user));
          await c.query("COMMIT");
        } catch (e) {
          await c.query("ROLLBACK").catch(() => undefined);
          throw e;
        }
        result.dropped.push(user);
      }
    });
    log.info("sweep of old application users", { ...result });
    if (result.blocked.length > 0) {
      throw new Error(`old application users own database objects and were not dropped: ${result.blocked.join(", ")}; ` +
        `REASSIGN OWNED BY <user> TO ${s.ownerRole} after review, then the next sweep drops them`);
    }
    return result;
  };

  return {
    async createSecret(event) {
      const existing = await readSecretJson<DbSecret>(deps.sm, event.SecretId, "AWSPENDING", event.ClientRequestToken);
      if (existing) return;
      const current = await readSecretJson<DbSecret>(deps.sm, event.SecretId, "AWSCURRENT");
      let username = rotationUsername(s.userPrefix, now());
      if (current?.username === username) username = rotationUsername(s.userPrefix, new Date(now().getTime() + 1000));
      const next: DbSecret = {
        engine: "postgres",
        host: s.host,
        port: s.port,
        dbname: s.dbname,
        username,
        password: generatePassword(deps.random),
      };
      await putPending(deps.sm, event, next);
    },

    async setSecret(event) {
      const pending = await pendingOf(event);
      const verifier = scramVerifier(pending.password);
      await withClient(deps.connect, await masterParams(deps), async (c) => {
        const exists = (await c.query(sql.roleExists, [pending.username])).rows.length > 0;
        if (exists) {
          // A repeated setSecret: make the role match the pending secret again.
          await c.query(sql.resetUser(pending.username, verifier, s.connectionLimit));
          await c.query(sql.grantGroup(s.appRole, pending.username));
        } else {
          await c.query(sql.createUser(pending.username, verifier, s.connectionLimit, s.appRole));
        }
      });
    },

    async testSecret(event) {
      const pending = await pendingOf(event);
      const params = { host: pending.host, port: pending.port, database: pending.dbname, user: pending.username, password: pending.password };
      await withClient(deps.connect, params, async (c) => {
        const who = (await c.query(sql.whoAmI, [s.appRole])).rows[0];
        if (who?.username !== pending.username) throw new Error(`logged in as ${String(who?.username)}, expected ${pending.username}`);
        if (who.member !== true) throw new Error(`${pending.username} is not a member of ${s.appRole}`);
        await c.query("BEGIN");
        try {
          // Read-write capable session (not a read-only default, not a standby), nothing persisted.
          await c.query("SET TRANSACTION READ WRITE");
          await c.query("SELECT txid_current()");
        } finally {
          await c.query("ROLLBACK");
        }
      });
    },

    async finishSecret(event) {
      const previous = await readSecretJson<DbSecret>(deps.sm, event.SecretId, "AWSCURRENT");
      const pending = await pendingOf(event);
      await promotePending(deps.sm, event);
      if (previous?.username && previous.username !== pending.username && rotationUserPattern(s.userPrefix).test(previous.username)) {
        const deadline = new Date(now().getTime() + s.graceMinutes * 60_000);
        await withClient(deps.connect, await masterParams(deps), async (c) => {
          if ((await c.query(sql.roleExists, [previous.username])).rows.length > 0) {
            await c.query(sql.expireUser(previous.username, deadline));
          }
        });
        log.info("previous application user expires", { username: previous.username, validUntil: deadline.toISOString() });
      }
      await sweep();
    },

    sweep,
  };
}

export async function rotateDatabaseSecret(event: RotationEvent, deps: DbRotationDeps): Promise<void> {
  if (event.SecretId !== deps.settings.secretArn) {
    throw new Error(`this function rotates ${deps.settings.secretArn} only, not ${event.SecretId}`);
  }
  await runRotationStep(deps.sm, event, dbSteps(deps), deps.log ?? consoleLogger);
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): DbRotationSettings {
  const need = (k: string) => {
    const v = env[k];
    if (!v) throw new Error(`environment variable ${k} is not set`);
    return v;
  };
  const int = (k: string) => {
    const n = Number(need(k));
    if (!Number.isInteger(n) || n < 0) throw new Error(`environment variable ${k} must be a whole number, got "${env[k]}"`);
    return n;
  };
  const settings: DbRotationSettings = {
    secretArn: need("SECRET_ARN"),
    masterSecretArn: need("MASTER_SECRET_ARN"),
    host: need("DB_HOST"),
    port: int("DB_PORT"),
    dbname: need("DB_NAME"),
    appRole: need("APP_ROLE"),
    ownerRole: need("OWNER_ROLE"),
    userPrefix: need("USER_PREFIX"),
    connectionLimit: int("CONNECTION_LIMIT"),
    graceMinutes: int("GRACE_MINUTES"),
  };
  ident(settings.appRole);
  ident(settings.ownerRole);
  return settings;
}
