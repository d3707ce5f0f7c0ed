/**
 * Weekly backup integrity check (runbook: Backup Verification).
 *
 * AWS Backup restore testing restores the latest RDS recovery point into a
 * throw-away instance and emits "Restore Job State Change" COMPLETED. This
 * handler connects to the restored database over verified TLS with the
 * master credentials, runs the integrity checks, and reports the verdict
 * with PutRestoreValidationResult (the restored instance is deleted when
 * the validation window closes). A failed check is also published to the
 * critical topic (P1).
 */
import { BackupClient, PutRestoreValidationResultCommand } from "@aws-sdk/client-backup";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { pgConnector } from "../shared/pg";

export interface TableExpectation {
  name: string;
  minRows: number;
}

/** The part of pg.Client the checks use, so they run against any PostgreSQL connection. */
export interface Queryable {
  query<R extends Record<string, unknown> = Record<string, unknown>>(text: string, values?: unknown[]): Promise<{ rows: R[] }>;
}

export interface TableResult {
  table: string;
  exists: boolean;
  rows?: number;
  minRows: number;
  checksum?: string;
  ok: boolean;
  problem?: string;
}

export interface IntegrityReport {
  ok: boolean;
  tables: TableResult[];
  /** Short human-readable verdict (AWS Backup accepts up to 1,000 characters). */
  message: string;
}

/** Quotes a possibly schema-qualified name ("public.users") as a safe SQL identifier. */
export function quoteQualified(name: string): string {
  if (!/^[a-z_][a-z0-9_]*(\.[a-z_][a-z0-9_]*)?$/.test(name)) throw new Error(`invalid table name ${JSON.stringify(name)}`);
  return name.split(".").map((p) => `"${p}"`).join(".");
}

/**
 * Integrity checks on a restored database:
 *  - the database answers and is not in recovery;
 *  - every expected table exists and holds at least its minimum rows;
 *  - every row of each table can be read back (an order-independent md5
 *    checksum over all rows: a damaged page fails the scan).
 */
export async function runIntegrityChecks(db: Queryable, tables: TableExpectation[]): Promise<IntegrityReport> {
  const results: TableResult[] = [];
  const recovery = await db.query<{ in_recovery: boolean }>("select pg_is_in_recovery() as in_recovery");
  const problems: string[] = [];
  if (recovery.rows[0]?.in_recovery !== false) problems.push("database is still in recovery");

  for (const t of tables) {
    const quoted = quoteQualified(t.name);
    const reg = await db.query<{ oid: string | null }>("select to_regclass($1)::text as oid", [quoted]);
    if (!reg.rows[0]?.oid) {
      results.push({ table: t.name, exists: false, minRows: t.minRows, ok: false, problem: "table missing" });
      continue;
    }
    const counted = await db.query<{ n: string }>(`select count(*)::text as n from ${quoted}`);
    const rows = Number(counted.rows[0]?.n ?? NaN);
    const sum = await db.query<{ checksum: string | null }>(
      `select coalesce(md5(string_agg(h, '' order by h)), md5('')) as checksum from (select md5(t::text) as h from ${quoted} t) s`,
    );
    const checksum = sum.rows[0]?.checksum ?? undefined;
    const enough = Number.isFinite(rows) && rows >= t.minRows;
    const result: TableResult = { table: t.name, exists: true, rows, minRows: t.minRows, checksum, ok: enough && !!checksum };
    if (!enough) result.problem = `${rows} rows < minimum ${t.minRows}`;
    else if (!checksum) result.problem = "checksum scan returned nothing";
    results.push(result);
  }

  for (const r of results) if (!r.ok) problems.push(`${r.table}: ${r.problem}`);
  const ok = problems.length === 0;
  const summary = results.map((r) => (r.exists ? `${r.table}=${r.rows}` : `${r.table}=missing`)).join(", ");
  const message = (ok ? `integrity checks passed (${summary})` : `integrity checks FAILED: ${problems.join("; ")} (${summary})`).slice(0, 1000);
  return { ok, tables: results, message };
}

export interface RestoreJobEvent {
  "detail-type"?: string;
  detail: {
    restoreJobId: string;
    status: string;
    resourceType?: string;
    createdResourceArn?: string;
    restoreTestingPlanArn?: string;
  };
}

export interface Dependencies {
  backup: Pick<BackupClient, "send">;
  rds: Pick<RDSClient, "send">;
  secrets: Pick<SecretsManagerClient, "send">;
  sns: Pick<SNSClient, "send">;
  connect: (conn: { host: string; port: number; user: string; password: string; database: string }) => Promise<Queryable & { end(): Promise<void> }>;
  env: NodeJS.ProcessEnv;
}

const INVALID_PASSWORD = "28P01";

async function credentials(deps: Dependencies, stage: "AWSCURRENT" | "AWSPREVIOUS") {
  const out = await deps.secrets.send(new GetSecretValueCommand({ SecretId: deps.env.MASTER_SECRET_ARN, VersionStage: stage }));
  const parsed = JSON.parse(out.SecretString ?? "{}") as { username?: string; password?: string };
  if (!parsed.username || !parsed.password) throw new Error(`master secret ${stage} has no username/password`);
  return { user: parsed.username, password: parsed.password };
}

/** The snapshot may predate the last password rotation: fall back to the previous version once. */
async function connectRestored(deps: Dependencies, host: string, port: number) {
  const database = deps.env.DB_NAME ?? "postgres";
  try {
    return await deps.connect({ host, port, database, ...(await credentials(deps, "AWSCURRENT")) });
  } catch (e) {
    if ((e as { code?: string }).code !== INVALID_PASSWORD) throw e;
    return await deps.connect({ host, port, database, ...(await credentials(deps, "AWSPREVIOUS")) });
  }
}

export async function validateRestore(event: RestoreJobEvent, deps: Dependencies): Promise<IntegrityReport | undefined> {
  const d = event.detail;
  if (d.status !== "COMPLETED" || (d.resourceType && d.resourceType !== "RDS") || !d.createdResourceArn) return undefined;
  const identifier = d.createdResourceArn.split(":db:")[1];
  const tables = JSON.parse(deps.env.VALIDATION_TABLES ?? "[]") as TableExpectation[];

  let report: IntegrityReport;
  try {
    if (!identifier) throw new Error(`not an RDS instance ARN: ${d.createdResourceArn}`);
    const described = await deps.rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: identifier }));
    const endpoint = described.DBInstances?.[0]?.Endpoint;
    if (!endpoint?.Address || !endpoint.Port) throw new Error(`restored instance ${identifier} has no endpoint yet`);
    const db = await connectRestored(deps, endpoint.Address, endpoint.Port);
    try {
      report = await runIntegrityChecks(db, tables);
    } finally {
      await db.end().catch(() => undefined);
    }
  } catch (e) {
    report = { ok: false, tables: [], message: `validation could not run: ${(e as Error).message}`.slice(0, 1000) };
  }

  await deps.backup.send(new PutRestoreValidationResultCommand({
    RestoreJobId: d.restoreJobId,
    ValidationStatus: report.ok ? "SUCCESSFUL" : "FAILED",
    ValidationStatusMessage: report.message,
  }));
  if (!report.ok && deps.env.ALERT_TOPIC_ARN) {
    await deps.sns.send(new PublishCommand({
      TopicArn: deps.env.ALERT_TOPIC_ARN,
      Subject: "[P1] Backup restore validation failed",
      Message: `Restore job ${d.restoreJobId} (${d.createdResourceArn}): ${report.message}`,
    }));
  }
  return report;
}

const connectPg = pgConnector("duespark-restore-validation", { statementTimeoutMs: 120_000, connectTimeoutMs: 15_000 });

const defaultDeps = (): Dependencies => ({
  backup: new BackupClient({}),
  rds: new RDSClient({}),
  secrets: new SecretsManagerClient({}),
  sns: new SNSClient({}),
  env: process.env,
  // Checksum scans of a restored copy are long-running: a wider statement timeout.
  connect: async (conn) => (await connectPg(conn)) as unknown as Queryable & { end(): Promise<void> },
});

export async function handler(event: RestoreJobEvent): Promise<IntegrityReport | undefined> {
  return validateRestore(event, defaultDeps());
}
