/**
 * Applies and resets role-level settings as the RDS master user.
 *
 * Events:
 *   { database, settings }                      apply (SET what differs)
 *   { action: "reset", database, settings }     reset the listed parameters
 *   { database, settings, tf: { action, prev_input } }
 *       from aws.lambda.Invocation with lifecycleScope "CRUD": create applies;
 *       update applies and resets what prev_input had and settings no longer
 *       have; delete resets everything the input lists.
 *
 * `database` is where the function connects; settings are role-wide unless
 * they name `inDatabase`. A setting already stored with the same value is
 * left alone, so repeating an event changes nothing. Resetting a role that
 * no longer exists is skipped (its settings went with it); applying to one
 * is an error. All statements of one event run in one transaction.
 */
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { consoleLogger, Logger } from "../shared/rotation";
import { checkRoleSettings, CURRENT_SETTINGS_SQL, EXISTING_ROLES_SQL, LIFECYCLE_KEY, quoteIdent, RoleSetting, roleResetStatements, roleSettingStatements, settingKey } from "./sql";

export type { PgClient, PgConnect, PgConnectionParams } from "../shared/pg";
import type { PgConnect, PgConnectionParams } from "../shared/pg";

export interface RoleSettingsTarget {
  /** RDS-managed master user secret ({"username","password"}), read at run time. */
  masterSecretArn: string;
  host: string;
  port: number;
}

export interface RoleSettingsDeps {
  sm: SecretsManagerClient;
  connect: PgConnect;
  target: RoleSettingsTarget;
  log?: Logger;
}

export interface RoleSettingsPlan {
  database: string;
  apply: RoleSetting[];
  reset: RoleSetting[];
}

export interface RoleSettingsResult {
  /** role[@db]:parameter=value that were SET. */
  applied: string[];
  /** role[@db]:parameter that were RESET. */
  reset: string[];
  /** Already as requested (same value stored, or nothing stored to reset). */
  unchanged: string[];
  /** Resets of roles that do not exist. */
  skipped: string[];
}

const label = (s: RoleSetting, withValue: boolean) => `${s.role}${s.inDatabase ? `@${s.inDatabase}` : ""}:${s.parameter}${withValue ? `=${s.value}` : ""}`;

/** What an event asks for; throws on anything malformed. */
export function planRoleSettings(event: unknown): RoleSettingsPlan {
  if (typeof event !== "object" || event === null || Array.isArray(event)) throw new Error("expected an event {database, settings}");
  const e = event as Record<string, unknown>;
  const database = e.database as string;
  quoteIdent(database, "database");
  const settings = checkRoleSettings(e.settings);
  const lifecycle = e[LIFECYCLE_KEY] as { action?: unknown; prev_input?: unknown } | undefined;
  const action = e.action;
  if (action !== undefined && action !== "apply" && action !== "reset") throw new Error(`unknown action ${JSON.stringify(action)}; expected "apply" or "reset"`);
  if (lifecycle !== undefined) {
    if (action !== undefined) throw new Error(`an event carries either "action" or the invocation lifecycle key "${LIFECYCLE_KEY}", not both`);
    switch (lifecycle.action) {
      case "create":
        return { database, apply: settings, reset: [] };
      case "update": {
        const prev = lifecycle.prev_input as { settings?: unknown } | null | undefined;
        const previous = prev?.settings === undefined ? [] : checkRoleSettings(prev.settings);
        const kept = new Set(settings.map(settingKey));
        const dropped = new Map(previous.filter((s) => !kept.has(settingKey(s))).map((s) => [settingKey(s), s]));
        return { database, apply: settings, reset: [...dropped.values()] };
      }
      case "delete":
        return { database, apply: [], reset: settings };
      default:
        throw new Error(`unknown lifecycle action ${JSON.stringify(lifecycle.action)}; expected create, update or delete`);
    }
  }
  return action === "reset" ? { database, apply: [], reset: settings } : { database, apply: settings, reset: [] };
}

/** `name=value` entries of pg_db_role_setting.setconfig; the value is everything after the first "=". */
function parseConfig(entries: unknown): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of Array.isArray(entries) ? entries : []) {
    const text = String(entry);
    const at = text.indexOf("=");
    if (at > 0) out.set(text.slice(0, at), text.slice(at + 1));
  }
  return out;
}

async function masterParams(deps: RoleSettingsDeps, database: string): Promise<PgConnectionParams> {
  const out = await deps.sm.send(new GetSecretValueCommand({ SecretId: deps.target.masterSecretArn, VersionStage: "AWSCURRENT" }));
  let parsed: { username?: string; password?: string };
  try {
    parsed = JSON.parse(out.SecretString ?? "{}");
  } catch {
    throw new Error("the master user secret is not JSON");
  }
  if (!parsed.username || !parsed.password) throw new Error("the master user secret has no username/password");
  return { host: deps.target.host, port: deps.target.port, database, user: parsed.username, password: parsed.password };
}

export async function runRoleSettings(event: unknown, deps: RoleSettingsDeps): Promise<RoleSettingsResult> {
  const plan = planRoleSettings(event);
  const result: RoleSettingsResult = { applied: [], reset: [], unchanged: [], skipped: [] };
  const roles = [...new Set([...plan.apply, ...plan.reset].map((s) => s.role))];
  if (roles.length === 0) return result;

  const client = await deps.connect(await masterParams(deps, plan.database));
  try {
    const existing = new Set((await client.query(EXISTING_ROLES_SQL, [roles])).rows.map((r) => String(r.rolname)));
    const missing = [...new Set(plan.apply.map((s) => s.role).filter((r) => !existing.has(r)))];
    if (missing.length > 0) throw new Error(`role(s) ${missing.join(", ")} do not exist; the settings are applied after the roles are created`);

    const stored = new Map<string, string>();
    for (const row of (await client.query(CURRENT_SETTINGS_SQL, [roles])).rows) {
      for (const [parameter, value] of parseConfig(row.config)) {
        stored.set(settingKey({ role: String(row.role), parameter, inDatabase: row.database == null ? undefined : String(row.database) }), value);
      }
    }

    const toReset = plan.reset.filter((s) => existing.has(s.role) && stored.has(settingKey(s)));
    const toSet = plan.apply.filter((s) => stored.get(settingKey(s)) !== s.value);
    for (const s of plan.reset) {
      const list = !existing.has(s.role) ? result.skipped : toReset.includes(s) ? result.reset : result.unchanged;
      list.push(label(s, false));
    }
    for (const s of plan.apply) (toSet.includes(s) ? result.applied : result.unchanged).push(label(s, true));

    const statements = [...roleResetStatements(toReset), ...roleSettingStatements(toSet)];
    if (statements.length > 0) {
      await client.query("BEGIN");
      try {
        for (const sql of statements) await client.query(sql);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => undefined);
        throw e;
      }
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  (deps.log ?? consoleLogger).info("role settings", { database: plan.database, ...result });
  return result;
}

export function targetFromEnv(env: NodeJS.ProcessEnv): RoleSettingsTarget {
  const need = (k: string) => {
    const v = env[k];
    if (!v) throw new Error(`environment variable ${k} is not set`);
    return v;
  };
  const port = Number(need("DB_PORT"));
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`environment variable DB_PORT must be a port number, got "${env.DB_PORT}"`);
  return { masterSecretArn: need("MASTER_SECRET_ARN"), host: need("DB_HOST"), port };
}
