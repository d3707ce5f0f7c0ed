/**
 * The SQL that the PostgreSQL provider (pulumi-postgresql, a bridge of the
 * cyrilgdn/terraform-provider-postgresql) issues on create for each declared
 * `postgresql:*` resource. Proofs apply it to a real server to check what
 * the declared roles can and cannot do; the access review uses the same
 * declarations to know what to expect.
 *
 * Mapping per resource type (create path, identifiers double-quoted as the
 * provider's pq.QuoteIdentifier does, the pseudo-role "public" as PUBLIC):
 *
 *  Role          CREATE ROLE r WITH [NO]SUPERUSER [NO]CREATEDB [NO]CREATEROLE [NO]INHERIT
 *                  [NO]LOGIN [NO]REPLICATION [NO]BYPASSRLS CONNECTION LIMIT n
 *                  [ENCRYPTED PASSWORD '...'] VALID UNTIL 'infinity'|'<validUntil>'
 *                GRANT <each of roles> TO r
 *                ALTER ROLE r SET search_path TO <searchPaths> | DEFAULT
 *                ALTER ROLE r SET statement_timeout TO n                    (when > 0)
 *                ALTER ROLE r SET idle_in_transaction_session_timeout TO n  (when > 0)
 *                ALTER ROLE r SET role TO <assumeRole>                      (when set)
 *                Defaults: login/superuser/createdb/createrole/replication/bypassrls false,
 *                inherit true, connection limit -1 (none). The provider has no attribute for
 *                other role settings (default_transaction_read_only, ...).
 *  GrantRole     GRANT g TO r [WITH ADMIN OPTION]
 *  Grant         revoke-then-grant in one transaction, so the resource is authoritative for
 *                its (role, database, schema, object type) tuple:
 *                  database:  REVOKE ALL PRIVILEGES ON DATABASE d FROM r; GRANT p ON DATABASE d TO r
 *                  schema:    REVOKE ALL PRIVILEGES ON SCHEMA s FROM r;   GRANT p ON SCHEMA s TO r
 *                  table|sequence|function|procedure|routine without objects:
 *                             REVOKE ALL PRIVILEGES ON ALL TABLES IN SCHEMA s FROM r;
 *                             GRANT p ON ALL TABLES IN SCHEMA s TO r     (tables, views, matviews
 *                             that exist now; later objects need DefaultPrivileges)
 *                  ... with objects: REVOKE ALL / GRANT p ON TABLE s.o1, s.o2 ...
 *                privileges [] = revoke only (no GRANT statement).
 *  DefaultPrivileges
 *                ALTER DEFAULT PRIVILEGES FOR ROLE owner [IN SCHEMA s] REVOKE ALL ON TABLES FROM r;
 *                ALTER DEFAULT PRIVILEGES FOR ROLE owner [IN SCHEMA s] GRANT p ON TABLES TO r
 *                (applies to objects the owner role creates later; privileges [] = revoke only)
 *  Database      CREATE DATABASE d [OWNER o] [TEMPLATE t] [ENCODING e] [CONNECTION LIMIT n] ...
 *  Role settings the provider cannot declare are applied by the db-role-settings Lambda through an
 *  aws.lambda.Invocation (child of duespark:database:RoleSettings) whose input is {database, settings}:
 *                ALTER ROLE r [IN DATABASE d] SET parameter = 'value', built by the Lambda's own
 *                roleSettingStatements (lambdas/db-role-settings/sql.ts)
 *  Schema        CREATE SCHEMA [IF NOT EXISTS] s [AUTHORIZATION owner]
 *  Extension     CREATE EXTENSION IF NOT EXISTS e [SCHEMA s] [VERSION v]
 *
 * Not modelled: the provider's temporary `GRANT owner TO <connecting user>`
 * when it is not a superuser (RDS), and its read/refresh queries. Any other
 * postgresql type is an error, never skipped silently.
 */
import { roleSettingStatements } from "../../lambdas/db-role-settings/sql";
import { plainInputs } from "../preview/engine";
import { UNKNOWN } from "../preview/mock-outputs";

export interface PgResource {
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  /** URN (when known): identifies Lambda invocations of the RoleSettings component. */
  urn?: string;
}

export const LAMBDA_INVOCATION = "aws:lambda/invocation:Invocation";
/** Type token of the component whose Lambda applies role settings (components/database/role-settings.ts). */
export const ROLE_SETTINGS_COMPONENT = "duespark:database:RoleSettings";

/** A captured Invocation of the role-settings Lambda. */
export function isRoleSettingsInvocation(r: PgResource): boolean {
  return r.type === LAMBDA_INVOCATION && (r.urn ?? "").includes(`${ROLE_SETTINGS_COMPONENT}$${LAMBDA_INVOCATION}::`);
}

export function roleSettingsInvocationStatements(r: PgResource): string[] {
  const v = plain(r);
  const input = JSON.parse(str(r, v, "input")) as { settings?: unknown };
  return roleSettingStatements((input.settings ?? []) as Parameters<typeof roleSettingStatements>[0]);
}

export type PgPhase = "cluster" | "database";

export interface PgStatement {
  /** Logical name of the declaring resource. */
  resource: string;
  type: string;
  /** cluster: roles, memberships, databases (any connection); database: run connected to `database`. */
  phase: PgPhase;
  database?: string;
  sql: string;
}

export const PG_TYPES = {
  role: "postgresql:index/role:Role",
  grant: "postgresql:index/grant:Grant",
  grantRole: "postgresql:index/grantRole:GrantRole",
  defaultPrivileges: "postgresql:index/defaultPrivileges:DefaultPrivileges",
  database: "postgresql:index/database:Database",
  schema: "postgresql:index/schema:Schema",
  extension: "postgresql:index/extension:Extension",
} as const;

export const ident = (s: string): string => `"${s.replace(/"/g, '""')}"`;
export const literal = (s: string): string => `'${s.replace(/'/g, "''")}'`;
/** Grantee as SQL: the pseudo-role public is the keyword PUBLIC. */
export const grantee = (r: string): string => (r.toLowerCase() === "public" ? "PUBLIC" : ident(r));

function plain(r: PgResource): Record<string, any> {
  const v = plainInputs(r.inputs) as Record<string, any>;
  const unknown = Object.entries(v).filter(([, x]) => JSON.stringify(x)?.includes(UNKNOWN)).map(([k]) => k);
  if (unknown.length) throw new Error(`${r.type} ${r.name}: inputs ${unknown.join(", ")} are unknown in this run (use an update-mode run)`);
  return v;
}

const str = (r: PgResource, v: Record<string, any>, k: string): string => {
  if (typeof v[k] !== "string" || v[k] === "") throw new Error(`${r.type} ${r.name}: ${k} is required`);
  return v[k];
};

const OBJECT_KEYWORD: Record<string, string> = {
  table: "TABLE", sequence: "SEQUENCE", function: "FUNCTION", procedure: "PROCEDURE", routine: "ROUTINE",
};
const DEFAULT_KEYWORD: Record<string, string> = {
  table: "TABLES", sequence: "SEQUENCES", function: "FUNCTIONS", routine: "ROUTINES", type: "TYPES", schema: "SCHEMAS",
};

export function roleStatements(r: PgResource): string[] {
  const v = plain(r);
  const name = str(r, v, "name");
  const flag = (on: unknown, yes: string, no: string) => (on === true ? yes : no);
  const opts = [
    flag(v.superuser, "SUPERUSER", "NOSUPERUSER"),
    flag(v.createDatabase, "CREATEDB", "NOCREATEDB"),
    flag(v.createRole, "CREATEROLE", "NOCREATEROLE"),
    flag(v.inherit ?? true, "INHERIT", "NOINHERIT"),
    flag(v.login, "LOGIN", "NOLOGIN"),
    flag(v.replication, "REPLICATION", "NOREPLICATION"),
    flag(v.bypassRowLevelSecurity, "BYPASSRLS", "NOBYPASSRLS"),
    `CONNECTION LIMIT ${Number.isInteger(v.connectionLimit) ? v.connectionLimit : -1}`,
  ];
  const password = v.password ?? v.passwordWo;
  if (typeof password === "string" && password !== "") opts.push(`ENCRYPTED PASSWORD ${literal(password)}`);
  opts.push(`VALID UNTIL ${literal(typeof v.validUntil === "string" && v.validUntil !== "" && v.validUntil.toUpperCase() !== "NULL" ? v.validUntil : "infinity")}`);
  const out = [`CREATE ROLE ${ident(name)} WITH ${opts.join(" ")}`];
  for (const member of (v.roles ?? []) as string[]) out.push(`GRANT ${ident(member)} TO ${ident(name)}`);
  const paths = (v.searchPaths ?? []) as string[];
  out.push(`ALTER ROLE ${ident(name)} SET search_path TO ${paths.length ? paths.map(ident).join(", ") : "DEFAULT"}`);
  if (typeof v.statementTimeout === "number" && v.statementTimeout > 0) out.push(`ALTER ROLE ${ident(name)} SET statement_timeout TO ${v.statementTimeout}`);
  if (typeof v.idleInTransactionSessionTimeout === "number" && v.idleInTransactionSessionTimeout > 0) {
    out.push(`ALTER ROLE ${ident(name)} SET idle_in_transaction_session_timeout TO ${v.idleInTransactionSessionTimeout}`);
  }
  if (typeof v.assumeRole === "string" && v.assumeRole !== "") out.push(`ALTER ROLE ${ident(name)} SET role TO ${ident(v.assumeRole)}`);
  return out;
}

export function grantRoleStatements(r: PgResource): string[] {
  const v = plain(r);
  return [`GRANT ${ident(str(r, v, "grantRole"))} TO ${ident(str(r, v, "role"))}${v.withAdminOption === true ? " WITH ADMIN OPTION" : ""}`];
}

export function grantStatements(r: PgResource): string[] {
  const v = plain(r);
  const objectType = str(r, v, "objectType").toLowerCase();
  const role = grantee(str(r, v, "role"));
  const privileges = ((v.privileges ?? []) as string[]).map((p) => p.toUpperCase());
  const withGrant = v.withGrantOption === true ? " WITH GRANT OPTION" : "";
  let target: string;
  if (objectType === "database") {
    target = `DATABASE ${ident(str(r, v, "database"))}`;
  } else if (objectType === "schema") {
    target = `SCHEMA ${ident(str(r, v, "schema"))}`;
  } else if (OBJECT_KEYWORD[objectType]) {
    const schema = str(r, v, "schema");
    const objects = (v.objects ?? []) as string[];
    target = objects.length
      ? `${OBJECT_KEYWORD[objectType]} ${objects.map((o) => `${ident(schema)}.${ident(o)}`).join(", ")}`
      : `ALL ${OBJECT_KEYWORD[objectType]}S IN SCHEMA ${ident(schema)}`;
  } else {
    throw new Error(`${r.type} ${r.name}: objectType "${objectType}" is not modelled (database, schema, table, sequence, function, procedure, routine)`);
  }
  const out = [`REVOKE ALL PRIVILEGES ON ${target} FROM ${role}`];
  if (privileges.length) out.push(`GRANT ${privileges.join(",")} ON ${target} TO ${role}${withGrant}`);
  return out;
}

export function defaultPrivilegesStatements(r: PgResource): string[] {
  const v = plain(r);
  const objectType = str(r, v, "objectType").toLowerCase();
  const kind = DEFAULT_KEYWORD[objectType];
  if (!kind) throw new Error(`${r.type} ${r.name}: objectType "${objectType}" is not valid for default privileges`);
  const prefix = `ALTER DEFAULT PRIVILEGES FOR ROLE ${ident(str(r, v, "owner"))}${v.schema ? ` IN SCHEMA ${ident(v.schema)}` : ""}`;
  const role = grantee(str(r, v, "role"));
  const privileges = ((v.privileges ?? []) as string[]).map((p) => p.toUpperCase());
  const out = [`${prefix} REVOKE ALL ON ${kind} FROM ${role}`];
  if (privileges.length) out.push(`${prefix} GRANT ${privileges.join(",")} ON ${kind} TO ${role}${v.withGrantOption === true ? " WITH GRANT OPTION" : ""}`);
  return out;
}

export function databaseStatements(r: PgResource): string[] {
  const v = plain(r);
  const parts = [`CREATE DATABASE ${ident(str(r, v, "name"))}`];
  if (v.owner) parts.push(`OWNER ${ident(v.owner)}`);
  if (v.template) parts.push(`TEMPLATE ${ident(v.template)}`);
  if (v.encoding) parts.push(`ENCODING ${literal(v.encoding)}`);
  if (v.lcCollate) parts.push(`LC_COLLATE ${literal(v.lcCollate)}`);
  if (v.lcCtype) parts.push(`LC_CTYPE ${literal(v.lcCtype)}`);
  if (Number.isInteger(v.connectionLimit)) parts.push(`CONNECTION LIMIT ${v.connectionLimit}`);
  if (typeof v.allowConnections === "boolean") parts.push(`ALLOW_CONNECTIONS ${v.allowConnections}`);
  return [parts.join(" ")];
}

export function schemaStatements(r: PgResource): string[] {
  const v = plain(r);
  return [`CREATE SCHEMA ${v.ifNotExists === false ? "" : "IF NOT EXISTS "}${ident(str(r, v, "name"))}${v.owner ? ` AUTHORIZATION ${ident(v.owner)}` : ""}`];
}

export function extensionStatements(r: PgResource): string[] {
  const v = plain(r);
  return [`CREATE EXTENSION IF NOT EXISTS ${ident(str(r, v, "name"))}${v.schema ? ` SCHEMA ${ident(v.schema)}` : ""}${v.version ? ` VERSION ${literal(v.version)}` : ""}`];
}

const ORDER: Record<string, number> = {
  [PG_TYPES.database]: 0,
  [PG_TYPES.role]: 1,
  [PG_TYPES.grantRole]: 2,
  [LAMBDA_INVOCATION]: 2.5,
  [PG_TYPES.schema]: 3,
  [PG_TYPES.extension]: 4,
  [PG_TYPES.grant]: 5,
  [PG_TYPES.defaultPrivileges]: 6,
};

/**
 * Every declared postgresql resource as SQL, in an order that satisfies its
 * dependencies (databases, roles in registration order, memberships, schemas,
 * then privileges). `database` is where database-phase statements run; the
 * provider's default database applies when a resource names none.
 */
export function pgStatements(resources: PgResource[]): PgStatement[] {
  const pg = resources
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => (r.type.startsWith("postgresql:") && !r.type.startsWith("pulumi:providers:")) || isRoleSettingsInvocation(r));
  for (const { r } of pg) {
    if (!(r.type in ORDER)) throw new Error(`${r.type} ${r.name}: no SQL mapping for this resource type`);
  }
  pg.sort((a, b) => ORDER[a.r.type] - ORDER[b.r.type] || a.i - b.i);
  const out: PgStatement[] = [];
  for (const { r } of pg) {
    const v = plainInputs(r.inputs) as Record<string, any>;
    const emit = (phase: PgPhase, sqls: string[], database?: string) => sqls.forEach((sql) => out.push({ resource: r.name, type: r.type, phase, database, sql }));
    switch (r.type) {
      case PG_TYPES.database: emit("cluster", databaseStatements(r)); break;
      case PG_TYPES.role: emit("cluster", roleStatements(r)); break;
      case PG_TYPES.grantRole: emit("cluster", grantRoleStatements(r)); break;
      case LAMBDA_INVOCATION: emit("cluster", roleSettingsInvocationStatements(r)); break;
      case PG_TYPES.schema: emit("database", schemaStatements(r), v.database); break;
      case PG_TYPES.extension: emit("database", extensionStatements(r), v.database); break;
      case PG_TYPES.grant:
        // Database-level grants are catalog-wide, but the provider runs them connected to the database.
        emit("database", grantStatements(r), v.database);
        break;
      case PG_TYPES.defaultPrivileges: emit("database", defaultPrivilegesStatements(r), v.database); break;
    }
  }
  return out;
}

/** Minimal SQL runner interface (a pg Client satisfies it). */
export interface SqlRunner {
  query(sql: string): Promise<unknown>;
}

/**
 * Applies the statements of one phase: cluster statements through `cluster`,
 * database statements through `forDatabase(name)` (one transaction per
 * resource, as the provider does for grants). Errors name the resource.
 */
export async function applyStatements(
  statements: PgStatement[],
  phase: PgPhase,
  cluster: SqlRunner,
  forDatabase: (database: string) => Promise<SqlRunner>,
  defaultDatabase: string,
): Promise<void> {
  const selected = statements.filter((s) => s.phase === phase);
  const byResource = new Map<string, PgStatement[]>();
  for (const s of selected) byResource.set(s.resource, [...(byResource.get(s.resource) ?? []), s]);
  for (const [resource, group] of byResource) {
    const runner = phase === "cluster" ? cluster : await forDatabase(group[0].database ?? defaultDatabase);
    await runner.query("BEGIN");
    try {
      for (const s of group) {
        try {
          await runner.query(s.sql);
        } catch (e) {
          throw new Error(`${resource} (${s.type}): ${s.sql}\n  -> ${(e as Error).message}`);
        }
      }
      await runner.query("COMMIT");
    } catch (e) {
      await runner.query("ROLLBACK").catch(() => undefined);
      throw e;
    }
  }
}
