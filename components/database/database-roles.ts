/**
 * PostgreSQL roles and privileges (runbook: Database Access — read-only
 * roles for developers, 2-3 named admins, the application's rotating user).
 *
 *   duespark_owner      NOLOGIN  owns every schema object; migrations run as it (SET ROLE)
 *   duespark_app        NOLOGIN  DML on tables, USAGE on sequences; the rotating
 *                                application users (db-rotation Lambda) are its members
 *   developer_readonly  LOGIN    SELECT only, IAM authentication, statement timeout
 *   duespark_admins     NOLOGIN  rds_superuser + member of the owner role
 *   <admin>             LOGIN    one per named engineer, IAM authentication only
 *
 * Admins get rds_superuser because administering the database (killing
 * sessions, fixing ownership, extensions) needs it; their sessions are
 * audited statement by statement (pgaudit.log = 'all' on the role).
 *
 * Role settings the provider has no argument for (read-only transactions by
 * default, pgaudit.log) are held by a RoleSettings child (role-settings.ts):
 * applied after the roles exist, reset on destroy.
 *
 * Every Grant covers exactly one (database, role, schema, object type): the
 * provider revokes whatever a Grant does not list, so two Grants on the same
 * tuple would undo each other. Each resource carries its SQL equivalent.
 *
 * The provider connects as the master user with the password RDS keeps in
 * Secrets Manager, read at deploy time; the program that runs this must
 * reach the private endpoint (a runner in the VPC or an SSM port forward).
 */
import * as aws from "@pulumi/aws";
import * as postgresql from "@pulumi/postgresql";
import * as pulumi from "@pulumi/pulumi";
import type { DatabaseConfig } from "../../config/sections/database";
import { ConfigError } from "../../config/load";
import type { Network } from "../network/network";
import type { Database } from "./database";
import { RoleSettings } from "./role-settings";
import type { RoleSetting } from "../../lambdas/db-role-settings/sql";

export const DATABASE_ROLES_TYPE = "duespark:database:DatabaseRoles";

/** RDS's group role for IAM database authentication. */
export const RDS_IAM_ROLE = "rds_iam";
/** Role named by the pgaudit.role parameter for object-level auditing. */
export const PGAUDIT_ROLE = "rds_pgaudit";

export const APP_TABLE_PRIVILEGES = ["SELECT", "INSERT", "UPDATE", "DELETE"];
export const APP_SEQUENCE_PRIVILEGES = ["USAGE"];
export const READONLY_PRIVILEGES = ["SELECT"];

export interface DatabaseRolesArgs {
  config: DatabaseConfig;
  database: Database;
  /** Where the role-settings function runs (private subnets, app security group). */
  network: Network;
  /** CMK of the RDS master secret, which the role-settings function reads. */
  kmsKey: aws.kms.Key;
  tags?: Record<string, string>;
}

/**
 * Settings of the human login roles: developers are read-only by default
 * (even if a write privilege were ever granted by mistake), and every
 * statement of people is audited; pgaudit.log for everyone else stays the
 * parameter group's ddl,role,write. A role setting is not inherited through
 * membership, so it goes on each login role, not on the admin group.
 */
export function humanRoleSettings(config: DatabaseConfig): RoleSetting[] {
  const readonly = config.readonlyRole.name;
  return [
    { role: readonly, parameter: "default_transaction_read_only", value: "on" },
    ...[readonly, ...config.admins].map((role) => ({ role, parameter: "pgaudit.log", value: "all" })),
  ];
}

/** The password field of the RDS-managed master secret ({"username","password"}). */
export function masterPassword(secretString: string): string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(secretString);
  } catch {
    // Not RDS's JSON shape: hand the value on and let authentication report it.
    return secretString;
  }
  const password = (parsed as { password?: unknown })?.password;
  if (typeof password !== "string" || password.length === 0) throw new Error("the RDS master user secret has no password field");
  return password;
}

export class DatabaseRoles extends pulumi.ComponentResource {
  readonly provider: postgresql.Provider;
  readonly readonlyRoleName: pulumi.Output<string>;
  readonly ownerRoleName: pulumi.Output<string>;
  readonly appRoleName: pulumi.Output<string>;
  readonly adminGroupName: pulumi.Output<string>;
  readonly adminRoleNames: pulumi.Output<string>[];
  readonly settings: RoleSettings;

  constructor(name: string, args: DatabaseRolesArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args.config);
    super(DATABASE_ROLES_TYPE, name, {}, opts);
    const { config, database } = args;
    const db = config.databaseName;

    const secretString = aws.secretsmanager.getSecretVersionOutput({ secretId: database.masterSecretArn }, { parent: this }).secretString;
    this.provider = new postgresql.Provider(`${name}-master`, {
      host: database.address,
      port: database.port,
      database: db,
      username: config.masterUsername,
      password: pulumi.secret(secretString.apply(masterPassword)),
      sslmode: "require",
      // The RDS master user is not a superuser: the provider must not use superuser-only paths.
      superuser: false,
      connectTimeout: 30,
      expectedVersion: config.engineVersion,
    }, { parent: this });
    const o = { parent: this, provider: this.provider };

    // CREATE ROLE duespark_owner NOLOGIN;
    const owner = new postgresql.Role(`${name}-owner`, { name: config.ownerRole, login: false }, o);
    // CREATE ROLE duespark_app NOLOGIN;
    const app = new postgresql.Role(`${name}-app`, { name: config.appRole, login: false }, o);
    // CREATE ROLE rds_pgaudit NOLOGIN;  (named by pgaudit.role; object audit via grants to it)
    new postgresql.Role(`${name}-pgaudit`, { name: PGAUDIT_ROLE, login: false }, o);

    // CREATE ROLE developer_readonly LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS
    //   CONNECTION LIMIT 5 IN ROLE rds_iam;
    // ALTER ROLE developer_readonly SET statement_timeout = 30000;
    // ALTER ROLE developer_readonly SET idle_in_transaction_session_timeout = 60000;
    const readonly = new postgresql.Role(`${name}-readonly`, {
      name: config.readonlyRole.name,
      login: true,
      superuser: false,
      createDatabase: false,
      createRole: false,
      replication: false,
      bypassRowLevelSecurity: false,
      inherit: true,
      connectionLimit: config.readonlyRole.connectionLimit,
      statementTimeout: config.readonlyRole.statementTimeoutMs,
      idleInTransactionSessionTimeout: 60_000,
      // IAM authentication: no password exists for this role.
      roles: [RDS_IAM_ROLE],
    }, o);

    // CREATE ROLE duespark_admins NOLOGIN IN ROLE rds_superuser, duespark_owner;
    const admins = new postgresql.Role(`${name}-admins`, {
      name: config.adminGroup,
      login: false,
      roles: ["rds_superuser", owner.name],
    }, o);
    // CREATE ROLE alice_nguyen LOGIN CONNECTION LIMIT 5 IN ROLE duespark_admins, rds_iam;
    const adminUsers = config.admins.map((admin) => new postgresql.Role(`${name}-admin-${admin}`, {
      name: admin,
      login: true,
      connectionLimit: 5,
      roles: [admins.name, RDS_IAM_ROLE],
    }, o));

    const grant = (n: string, g: Omit<postgresql.GrantArgs, "database">, deps: pulumi.Resource[] = []) =>
      new postgresql.Grant(`${name}-${n}`, { database: db, ...g }, { ...o, dependsOn: deps });
    const defaults = (n: string, d: Omit<postgresql.DefaultPrivilegesArgs, "database">) =>
      new postgresql.DefaultPrivileges(`${name}-${n}`, { database: db, ...d }, o);

    // REVOKE ALL ON DATABASE duespark FROM PUBLIC;  (CONNECT and TEMPORARY only by explicit grant)
    const revokeDbPublic = grant("revoke-public-database", { role: "public", objectType: "database", privileges: [] });
    // REVOKE ALL ON SCHEMA public FROM PUBLIC;  (no CREATE for everyone; USAGE by explicit grant)
    const revokeSchemaPublic = grant("revoke-public-schema", { role: "public", schema: "public", objectType: "schema", privileges: [] });
    const afterRevokes = [revokeDbPublic, revokeSchemaPublic];

    // GRANT CONNECT, TEMPORARY ON DATABASE duespark TO duespark_owner;  GRANT CREATE, USAGE ON SCHEMA public TO duespark_owner;
    grant("owner-database", { role: owner.name, objectType: "database", privileges: ["CONNECT", "TEMPORARY"] }, afterRevokes);
    grant("owner-schema", { role: owner.name, schema: "public", objectType: "schema", privileges: ["CREATE", "USAGE"] }, afterRevokes);

    // GRANT CONNECT ON DATABASE duespark TO duespark_app;  GRANT USAGE ON SCHEMA public TO duespark_app;
    grant("app-database", { role: app.name, objectType: "database", privileges: ["CONNECT"] }, afterRevokes);
    grant("app-schema", { role: app.name, schema: "public", objectType: "schema", privileges: ["USAGE"] }, afterRevokes);
    // GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO duespark_app;
    grant("app-tables", { role: app.name, schema: "public", objectType: "table", privileges: APP_TABLE_PRIVILEGES });
    // GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO duespark_app;
    grant("app-sequences", { role: app.name, schema: "public", objectType: "sequence", privileges: APP_SEQUENCE_PRIVILEGES });
    // ALTER DEFAULT PRIVILEGES FOR ROLE duespark_owner IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO duespark_app;
    defaults("app-default-tables", { owner: owner.name, role: app.name, schema: "public", objectType: "table", privileges: APP_TABLE_PRIVILEGES });
    // ALTER DEFAULT PRIVILEGES FOR ROLE duespark_owner IN SCHEMA public GRANT USAGE ON SEQUENCES TO duespark_app;
    defaults("app-default-sequences", { owner: owner.name, role: app.name, schema: "public", objectType: "sequence", privileges: APP_SEQUENCE_PRIVILEGES });

    // GRANT CONNECT ON DATABASE duespark TO developer_readonly;
    grant("readonly-database", { role: readonly.name, objectType: "database", privileges: ["CONNECT"] }, afterRevokes);
    // GRANT USAGE ON SCHEMA public TO developer_readonly;
    grant("readonly-schema", { role: readonly.name, schema: "public", objectType: "schema", privileges: ["USAGE"] }, afterRevokes);
    // GRANT SELECT ON ALL TABLES IN SCHEMA public TO developer_readonly;
    grant("readonly-tables", { role: readonly.name, schema: "public", objectType: "table", privileges: READONLY_PRIVILEGES });
    // GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO developer_readonly;
    grant("readonly-sequences", { role: readonly.name, schema: "public", objectType: "sequence", privileges: READONLY_PRIVILEGES });
    // ALTER DEFAULT PRIVILEGES FOR ROLE duespark_owner IN SCHEMA public GRANT SELECT ON TABLES TO developer_readonly;
    defaults("readonly-default-tables", { owner: owner.name, role: readonly.name, schema: "public", objectType: "table", privileges: READONLY_PRIVILEGES });
    // ALTER DEFAULT PRIVILEGES FOR ROLE duespark_owner IN SCHEMA public GRANT SELECT ON SEQUENCES TO developer_readonly;
    defaults("readonly-default-sequences", { owner: owner.name, role: readonly.name, schema: "public", objectType: "sequence", privileges: READONLY_PRIVILEGES });

    // GRANT CONNECT, TEMPORARY ON DATABASE duespark TO duespark_admins;
    grant("admins-database", { role: admins.name, objectType: "database", privileges: ["CONNECT", "TEMPORARY"] }, afterRevokes);

    // ALTER ROLE developer_readonly SET default_transaction_read_only = 'on';
    // ALTER ROLE developer_readonly SET pgaudit.log = 'all';  ALTER ROLE alice_nguyen SET pgaudit.log = 'all'; ...
    this.settings = new RoleSettings(`${name}-settings`, {
      settings: humanRoleSettings(config),
      database,
      network: args.network,
      kmsKey: args.kmsKey,
      roles: [readonly, ...adminUsers],
      tags: args.tags,
    }, { parent: this });

    this.readonlyRoleName = readonly.name;
    this.ownerRoleName = owner.name;
    this.appRoleName = app.name;
    this.adminGroupName = admins.name;
    this.adminRoleNames = adminUsers.map((u) => u.name);
    this.registerOutputs({ readonlyRoleName: this.readonlyRoleName, adminRoleNames: this.adminRoleNames });
  }
}

function validate(c: DatabaseConfig): void {
  if (c.admins.length < 1 || c.admins.length > 3) {
    throw new ConfigError(`DatabaseRoles: config.admins has ${c.admins.length} entries; the runbook allows 1 to 3 named database admins`);
  }
  if (c.readonlyRole.connectionLimit < 1) {
    throw new ConfigError(`DatabaseRoles: config.readonlyRole.connectionLimit is ${c.readonlyRole.connectionLimit}; it must be at least 1`);
  }
}
