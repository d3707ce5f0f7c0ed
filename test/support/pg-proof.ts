/**
 * Shared setup for the PostgreSQL proofs: the prod stack's declared
 * `postgresql:*` resources (captured from an update-mode run of the whole
 * program), RDS stand-ins, the realistic application schema, and helpers to
 * assert SQLSTATEs.
 */
import * as assert from "node:assert/strict";
import type { Client } from "pg";
import { applyStatements, ident, isRoleSettingsInvocation, literal, pgStatements, PgStatement } from "../../tools/proofs/pg-sql";
import type { StackConfig } from "../../config/schema";
import { runMocked, ROOT, stackConfig } from "./mocks";
import type { PgCluster } from "./postgres";

/** The prod stack's declared PostgreSQL resources as SQL, from an update-mode run of the whole program. */
export async function declaredProd(): Promise<{ cfg: StackConfig; statements: PgStatement[]; resources: Awaited<ReturnType<typeof runMocked>>["resources"] }> {
  const run = await runMocked(ROOT, { preview: false, stack: "prod" });
  const resources = run.resources.filter((r) => r.type.startsWith("postgresql:") || isRoleSettingsInvocation(r));
  return { cfg: stackConfig("prod"), statements: pgStatements(resources), resources };
}

/**
 * Roles RDS provides that a plain server lacks: rds_iam (IAM authentication
 * group) and rds_superuser (the master user's group: CREATEDB CREATEROLE,
 * member of pg_signal_backend and pg_monitor, not SUPERUSER). The master
 * user owns the database, as on RDS.
 */
export async function prepareRdsLikeCluster(pgc: PgCluster, cfg: StackConfig, masterPassword: string): Promise<void> {
  const db = cfg.database;
  await pgc.exec(`
    CREATE ROLE rds_iam NOLOGIN;
    CREATE ROLE rds_superuser NOLOGIN CREATEDB CREATEROLE;
    GRANT pg_signal_backend, pg_monitor TO rds_superuser;
    CREATE ROLE ${ident(db.masterUsername)} LOGIN CREATEDB CREATEROLE PASSWORD ${literal(masterPassword)} IN ROLE rds_superuser;
  `);
  // CREATE DATABASE cannot share a multi-statement (implicitly transactional) query.
  await pgc.exec(`CREATE DATABASE ${ident(db.databaseName)} OWNER ${ident(db.masterUsername)}`);
}

/** Tables, sequence and view a migration created before the grants were applied. */
export function schemaBeforeGrants(owner: string): string {
  return `
    CREATE TABLE public.users (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email text NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
    CREATE SEQUENCE public.invoice_number_seq START 1000;
    CREATE TABLE public.invoices (id bigserial PRIMARY KEY, user_id bigint NOT NULL REFERENCES public.users(id), number bigint NOT NULL DEFAULT nextval('public.invoice_number_seq'), amount_cents bigint NOT NULL, paid boolean NOT NULL DEFAULT false);
    CREATE TABLE public.payments (id bigserial PRIMARY KEY, invoice_id bigint NOT NULL REFERENCES public.invoices(id), amount_cents bigint NOT NULL);
    CREATE VIEW public.unpaid_invoices AS SELECT id, user_id, amount_cents FROM public.invoices WHERE NOT paid;
    INSERT INTO public.users (email) VALUES ('ana@example.com'), ('ben@example.com');
    INSERT INTO public.invoices (user_id, amount_cents) VALUES (1, 1200), (2, 5600);
    INSERT INTO public.payments (invoice_id, amount_cents) VALUES (1, 1200);
    ALTER TABLE public.users OWNER TO ${ident(owner)};
    ALTER SEQUENCE public.invoice_number_seq OWNER TO ${ident(owner)};
    ALTER TABLE public.invoices OWNER TO ${ident(owner)};
    ALTER TABLE public.payments OWNER TO ${ident(owner)};
    ALTER VIEW public.unpaid_invoices OWNER TO ${ident(owner)};
  `;
}

/** A later migration, run as the owner role (SET ROLE), after the grants. */
export function schemaAfterGrants(owner: string): string {
  return `
    SET ROLE ${ident(owner)};
    CREATE TABLE public.refunds (id bigserial PRIMARY KEY, payment_id bigint NOT NULL REFERENCES public.payments(id), amount_cents bigint NOT NULL);
    CREATE SEQUENCE public.refund_number_seq;
    INSERT INTO public.refunds (payment_id, amount_cents) VALUES (1, 200);
    RESET ROLE;
  `;
}

/**
 * Applies the declared SQL to the database: cluster phase (roles), the
 * schema that predates the grants, the database phase (grants, default
 * privileges), then a later migration as the owner role.
 */
export async function applyDeclared(pgc: PgCluster, cfg: StackConfig, statements: PgStatement[]): Promise<void> {
  const dbName = cfg.database.databaseName;
  const clients: Client[] = [];
  const open = async (database: string) => {
    const c = await pgc.connect({ database });
    clients.push(c);
    return c;
  };
  try {
    const cluster = await open("postgres");
    const db = await open(dbName);
    await applyStatements(statements, "cluster", cluster, async () => db, dbName);
    // On RDS the provider creates these roles as the master user (CREATEROLE), and PostgreSQL 16+
    // then gives the creator ADMIN on each, without inheriting or SET. Statements here run as the
    // bootstrap superuser, so that implicit grant is reproduced for tools that act as master.
    const declaredRoles = [...new Set(statements.filter((s) => /^CREATE ROLE /.test(s.sql)).map((s) => s.sql.match(/^CREATE ROLE "([^"]+)"/)![1]))];
    for (const role of declaredRoles) {
      await cluster.query(`GRANT ${ident(role)} TO ${ident(cfg.database.masterUsername)} WITH ADMIN TRUE, INHERIT FALSE, SET FALSE`);
    }
    await db.query(schemaBeforeGrants(cfg.database.ownerRole));
    const perDb = new Map<string, Client>([[dbName, db]]);
    await applyStatements(statements, "database", cluster, async (name) => perDb.get(name) ?? (perDb.set(name, await open(name)), perDb.get(name)!), dbName);
    await db.query(schemaAfterGrants(cfg.database.ownerRole));
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
}

/** Awaits a promise that must fail with the given SQLSTATE; returns the error. */
export async function rejectsWith(p: Promise<unknown>, code: string, what: string): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    const err = e as Error & { code?: string };
    assert.equal(err.code, code, `${what}: expected SQLSTATE ${code}, got ${err.code} (${err.message})`);
    return err;
  }
  assert.fail(`${what}: expected SQLSTATE ${code}, but it succeeded`);
}

export const SQLSTATE = {
  insufficientPrivilege: "42501",
  readOnlyTransaction: "25006",
  queryCanceled: "57014",
  tooManyConnections: "53300",
  invalidCatalogName: "3D000",
  invalidPassword: "28P01",
} as const;
