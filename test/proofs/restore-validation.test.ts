/**
 * Proof: the restore-validation Lambda's checks against real "restored"
 * databases (copies of a seeded database made with CREATE DATABASE ...
 * TEMPLATE), healthy and damaged. AWS Backup, RDS, Secrets Manager and SNS
 * are faked at the SDK boundary; the PostgreSQL side is real.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { BackupClient, PutRestoreValidationResultCommand } from "@aws-sdk/client-backup";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { Client } from "pg";
import { runIntegrityChecks, validateRestore } from "../../lambdas/restore-validation/index";
import { stackConfig } from "../support/mocks";
import { schemaBeforeGrants } from "../support/pg-proof";
import { PgCluster, startPostgres } from "../support/postgres";

const cfg = stackConfig("prod");
const TABLES = cfg.backup.validation.tables;
const MASTER_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-restore-Ab12Cd";
const TOPIC_ARN = "arn:aws:sns:us-east-1:123456789012:duespark-prod-critical";
let pgc: PgCluster;

const aws = { credentials: { accessKeyId: "test", secretAccessKey: "test" }, region: "us-east-1" };
const backup = new BackupClient(aws);
const rds = new RDSClient(aws);
const secrets = new SecretsManagerClient(aws);
const sns = new SNSClient(aws);
const backupMock = mockClient(backup);
const rdsMock = mockClient(rds);
const secretsMock = mockClient(secrets);
const snsMock = mockClient(sns);

/** Restored copies: CREATE DATABASE <name> TEMPLATE the seeded source, then the damage. */
const COPIES: Record<string, string | undefined> = {
  restored_healthy: undefined,
  restored_missing_table: "DROP TABLE public.payments",
  restored_few_rows: "DELETE FROM public.payments; DELETE FROM public.invoices; DELETE FROM public.users",
  // Catalog damage: a row holds an enum value whose pg_enum entry is gone. Counting rows still
  // works; reading the rows back (the checksum query) fails.
  restored_bad_checksum: "DELETE FROM pg_enum WHERE enumlabel = 'open' AND enumtypid = 'public.invoice_status'::regtype",
};

async function withDb<T>(database: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = await pgc.connect({ database });
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

function event(database: string) {
  return {
    "detail-type": "Restore Job State Change",
    detail: {
      restoreJobId: `job-${database}`,
      status: "COMPLETED",
      resourceType: "RDS",
      createdResourceArn: `arn:aws:rds:us-east-1:123456789012:db:${database.replace(/_/g, "-")}`,
    },
  };
}

function depsFor(database: string) {
  return {
    backup, rds, secrets, sns,
    env: { MASTER_SECRET_ARN: MASTER_ARN, DB_NAME: database, VALIDATION_TABLES: JSON.stringify(TABLES), ALERT_TOPIC_ARN: TOPIC_ARN },
    connect: async (conn: { host: string; port: number; user: string; password: string; database: string }) => {
      const c = new Client(conn);
      await c.connect();
      return c as unknown as Parameters<typeof runIntegrityChecks>[0] & { end(): Promise<void> };
    },
  };
}

before(async () => {
  pgc = await startPostgres();
  await pgc.exec(`CREATE ROLE ${cfg.database.ownerRole} NOLOGIN`);
  await pgc.exec("CREATE DATABASE restore_source");
  await withDb("restore_source", async (c) => {
    await c.query(schemaBeforeGrants(cfg.database.ownerRole));
    await c.query("CREATE TYPE public.invoice_status AS ENUM ('open', 'paid'); ALTER TABLE public.invoices ADD COLUMN status public.invoice_status NOT NULL DEFAULT 'open'");
  });
  for (const [name, damage] of Object.entries(COPIES)) {
    await pgc.exec(`CREATE DATABASE ${name} TEMPLATE restore_source`);
    if (damage) await withDb(name, (c) => c.query(damage));
  }
  rdsMock.on(DescribeDBInstancesCommand).callsFake((i) => ({ DBInstances: [{ DBInstanceIdentifier: i.DBInstanceIdentifier, Endpoint: { Address: pgc.host, Port: pgc.port } }] }));
  secretsMock.on(GetSecretValueCommand, { SecretId: MASTER_ARN, VersionStage: "AWSCURRENT" }).resolves({ SecretString: JSON.stringify({ username: pgc.superuser, password: pgc.superuserPassword }) });
  backupMock.on(PutRestoreValidationResultCommand).resolves({});
  snsMock.on(PublishCommand).resolves({ MessageId: "m-1" });
});

after(async () => {
  backupMock.restore();
  rdsMock.restore();
  secretsMock.restore();
  snsMock.restore();
  await pgc?.stop();
});

async function validate(database: string) {
  backupMock.resetHistory();
  snsMock.resetHistory();
  const report = await validateRestore(event(database), depsFor(database));
  const puts = backupMock.commandCalls(PutRestoreValidationResultCommand).map((c) => c.args[0].input);
  const alerts = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
  return { report, puts, alerts };
}

describe("restore validation on real restored copies", () => {
  it("reports SUCCESSFUL for a healthy copy, with row counts and checksums", async () => {
    const { report, puts, alerts } = await validate("restored_healthy");
    assert.equal(report?.ok, true, report?.message);
    assert.deepEqual(report?.tables.map((t) => [t.table, t.rows, /^[0-9a-f]{32}$/.test(t.checksum ?? "")]), [["users", 2, true], ["invoices", 2, true], ["payments", 1, true]]);
    assert.deepEqual(puts, [{ RestoreJobId: "job-restored_healthy", ValidationStatus: "SUCCESSFUL", ValidationStatusMessage: "integrity checks passed (users=2, invoices=2, payments=1)" }]);
    assert.deepEqual(alerts, []);
  });

  it("the checksum matches the source database (same rows read back)", async () => {
    const source = await withDb("restore_source", (c) => runIntegrityChecks(c as never, TABLES));
    const copy = await withDb("restored_healthy", (c) => runIntegrityChecks(c as never, TABLES));
    assert.deepEqual(copy.tables.map((t) => t.checksum), source.tables.map((t) => t.checksum));
  });

  it("reports FAILED for a missing table and alerts the critical topic", async () => {
    const { report, puts, alerts } = await validate("restored_missing_table");
    assert.equal(report?.ok, false);
    assert.equal(puts[0].ValidationStatus, "FAILED");
    assert.match(String(puts[0].ValidationStatusMessage), /payments: table missing/);
    assert.equal(alerts.length, 1);
    assert.equal(alerts[0].TopicArn, TOPIC_ARN);
    assert.match(String(alerts[0].Message), /job-restored_missing_table/);
  });

  it("reports FAILED when a table has fewer rows than its minimum", async () => {
    const { puts } = await validate("restored_few_rows");
    assert.equal(puts[0].ValidationStatus, "FAILED");
    assert.match(String(puts[0].ValidationStatusMessage), /users: 0 rows < minimum 1/);
    assert.match(String(puts[0].ValidationStatusMessage), /invoices: 0 rows < minimum 1/);
    // payments has minRows 0: empty is acceptable there.
    assert.doesNotMatch(String(puts[0].ValidationStatusMessage), /payments: /);
  });

  it("reports FAILED when the checksum query cannot read the rows back", async () => {
    const counted = await withDb("restored_bad_checksum", (c) => c.query("SELECT count(*)::int AS n FROM public.invoices"));
    assert.equal(counted.rows[0].n, 2);
    const { puts, alerts } = await validate("restored_bad_checksum");
    assert.equal(puts[0].ValidationStatus, "FAILED");
    assert.match(String(puts[0].ValidationStatusMessage), /validation could not run: .*invalid internal value for enum/);
    assert.equal(alerts.length, 1);
  });
});
