import assert from "node:assert/strict";
import { test } from "node:test";
import { BackupClient, PutRestoreValidationResultCommand } from "@aws-sdk/client-backup";
import { DescribeDBInstancesCommand, RDSClient } from "@aws-sdk/client-rds";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { Dependencies, quoteQualified, Queryable, runIntegrityChecks, validateRestore } from "../../lambdas/restore-validation";

/** A fake PostgreSQL: tables with row counts, answering the queries the checks send. */
function fakeDb(tables: Record<string, number>, opts: { inRecovery?: boolean } = {}) {
  const sent: string[] = [];
  const db: Queryable & { end(): Promise<void>; sent: string[] } = {
    sent,
    async end() {},
    async query(text: string, values?: unknown[]) {
      sent.push(text);
      if (text.includes("pg_is_in_recovery")) return { rows: [{ in_recovery: opts.inRecovery ?? false }] as any };
      if (text.includes("to_regclass")) {
        const name = String(values?.[0]).replace(/"/g, "");
        return { rows: [{ oid: name in tables ? name : null }] as any };
      }
      const m = /from ("[a-z_]+"(?:\."[a-z_]+")?)/.exec(text);
      const name = m ? m[1].replace(/"/g, "") : "";
      if (text.startsWith("select count(*)")) return { rows: [{ n: String(tables[name]) }] as any };
      if (text.includes("md5")) return { rows: [{ checksum: `sum-${name}` }] as any };
      throw new Error(`unexpected query ${text}`);
    },
  };
  return db;
}

const expected = [{ name: "users", minRows: 1 }, { name: "invoices", minRows: 1 }, { name: "payments", minRows: 0 }];

test("passes when every table exists with its minimum rows and scans fully", async () => {
  const db = fakeDb({ users: 12, invoices: 40, payments: 0 });
  const report = await runIntegrityChecks(db, expected);
  assert.equal(report.ok, true);
  assert.deepEqual(report.tables.map((t) => [t.table, t.rows, t.checksum]), [["users", 12, "sum-users"], ["invoices", 40, "sum-invoices"], ["payments", 0, "sum-payments"]]);
  assert.match(report.message, /^integrity checks passed \(users=12, invoices=40, payments=0\)$/);
  assert.ok(db.sent.some((q) => q === 'select count(*)::text as n from "users"'));
});

test("fails on a missing table, too few rows, or a database still in recovery", async () => {
  const report = await runIntegrityChecks(fakeDb({ users: 0, payments: 3 }, { inRecovery: true }), expected);
  assert.equal(report.ok, false);
  assert.equal(report.tables.find((t) => t.table === "invoices")?.problem, "table missing");
  assert.equal(report.tables.find((t) => t.table === "users")?.problem, "0 rows < minimum 1");
  assert.match(report.message, /database is still in recovery/);
});

test("identifiers are quoted and anything else is refused", () => {
  assert.equal(quoteQualified("billing.invoices"), '"billing"."invoices"');
  assert.throws(() => quoteQualified('users"; drop table users; --'), /invalid table name/);
});

function deps(db: ReturnType<typeof fakeDb>, connectFails?: { code: string }) {
  const backup = mockClient(BackupClient);
  const rds = mockClient(RDSClient);
  const secrets = mockClient(SecretsManagerClient);
  const sns = mockClient(SNSClient);
  rds.on(DescribeDBInstancesCommand, { DBInstanceIdentifier: "awsbackup-restore-test-abc" }).resolves({ DBInstances: [{ Endpoint: { Address: "restored.example.rds.amazonaws.com", Port: 5432 } }] });
  secrets.on(GetSecretValueCommand, { VersionStage: "AWSCURRENT" }).resolves({ SecretString: JSON.stringify({ username: "duespark_master", password: "new" }) });
  secrets.on(GetSecretValueCommand, { VersionStage: "AWSPREVIOUS" }).resolves({ SecretString: JSON.stringify({ username: "duespark_master", password: "old" }) });
  backup.on(PutRestoreValidationResultCommand).resolves({});
  sns.on(PublishCommand).resolves({});
  const logins: string[] = [];
  const d: Dependencies = {
    backup: new BackupClient({ region: "us-east-1" }),
    rds: new RDSClient({ region: "us-east-1" }),
    secrets: new SecretsManagerClient({ region: "us-east-1" }),
    sns: new SNSClient({ region: "us-east-1" }),
    env: { MASTER_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-x", DB_NAME: "duespark", VALIDATION_TABLES: JSON.stringify(expected), ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:critical" },
    connect: async (c) => {
      logins.push(c.password);
      if (connectFails && c.password === "new") throw Object.assign(new Error("password authentication failed"), connectFails);
      assert.equal(c.host, "restored.example.rds.amazonaws.com");
      assert.equal(c.database, "duespark");
      return db;
    },
  };
  return { d, backup, sns, logins, restore: () => [backup, rds, secrets, sns].forEach((m) => m.restore()) };
}

const event = { "detail-type": "Restore Job State Change", detail: { restoreJobId: "job-1", status: "COMPLETED", resourceType: "RDS", createdResourceArn: "arn:aws:rds:us-east-1:123456789012:db:awsbackup-restore-test-abc" } };

test("reports SUCCESSFUL to AWS Backup when the checks pass, without paging", async () => {
  const m = deps(fakeDb({ users: 1, invoices: 1, payments: 0 }));
  try {
    const report = await validateRestore(event, m.d);
    assert.equal(report?.ok, true);
    const calls = m.backup.commandCalls(PutRestoreValidationResultCommand);
    assert.equal(calls.length, 1);
    assert.equal(calls[0].args[0].input.RestoreJobId, "job-1");
    assert.equal(calls[0].args[0].input.ValidationStatus, "SUCCESSFUL");
    assert.equal(m.sns.commandCalls(PublishCommand).length, 0);
  } finally { m.restore(); }
});

test("reports FAILED and pages (P1) when a check fails; retries with the previous password once", async () => {
  const m = deps(fakeDb({ users: 0, invoices: 1, payments: 0 }), { code: "28P01" });
  try {
    const report = await validateRestore(event, m.d);
    assert.equal(report?.ok, false);
    assert.deepEqual(m.logins, ["new", "old"]);
    assert.equal(m.backup.commandCalls(PutRestoreValidationResultCommand)[0].args[0].input.ValidationStatus, "FAILED");
    const page = m.sns.commandCalls(PublishCommand)[0].args[0].input;
    assert.equal(page.TopicArn, "arn:aws:sns:us-east-1:123456789012:critical");
    assert.match(page.Subject ?? "", /^\[P1\]/);
    assert.match(page.Message ?? "", /users: 0 rows < minimum 1/);
  } finally { m.restore(); }
});

test("ignores jobs that did not complete or are not RDS", async () => {
  const m = deps(fakeDb({}));
  try {
    assert.equal(await validateRestore({ detail: { ...event.detail, status: "FAILED" } }, m.d), undefined);
    assert.equal(await validateRestore({ detail: { ...event.detail, resourceType: "EBS" } }, m.d), undefined);
    assert.equal(m.backup.commandCalls(PutRestoreValidationResultCommand).length, 0);
  } finally { m.restore(); }
});
