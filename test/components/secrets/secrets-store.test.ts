import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { durationMinutes, rotationSchedule, SecretsStore } from "../../../components/secrets/secrets-store";
import { TAG_KEYS } from "../../../components/shared/tags";
import { inputsOf, jsonInput, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { buildSecrets } from "../data-plane";

const cfg = stackConfig("prod");
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const FN = "aws:lambda/function:Function";

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`secrets: CMK, DR replica under the replica key, 30-day recovery, class tags, no value in state (${mode})`, async () => {
    const run = await runMocked(() => buildSecrets(cfg), { preview });
    const secrets = run.all(SECRET).map((s) => ({ r: s, i: inputsOf(s) }));
    assert.deepEqual(secrets.map((s) => s.i.name), ["duespark/prod/jwt-signing-key", "duespark/prod/database/app", "duespark/prod/api-keys/stripe", "duespark/prod/api-keys/email-provider"]);
    assert.deepEqual(secrets.map((s) => s.i.tags[TAG_KEYS.secretClass]), ["jwt", "database", "api-key", "api-key"]);
    assert.deepEqual(secrets.map((s) => s.i.tags["duespark:rotation-days"]), ["90", "180", "365", "365"]);
    const key = run.one("aws:kms/key:Key");
    const replicaKey = run.one("aws:kms/replicaKey:ReplicaKey");
    for (const { r, i } of secrets) {
      assert.equal(i.recoveryWindowInDays, 30);
      assert.equal(r.protect, true);
      assert.equal(i.replicas.length, 1);
      assert.equal(i.replicas[0].region, "us-west-2");
      assert.deepEqual(r.propertyDependencies.kmsKeyId, [key.urn]);
      assert.ok(r.propertyDependencies.replicas.includes(replicaKey.urn));
      if (!preview) {
        assert.match(i.kmsKeyId, /^arn:aws:kms:us-east-1:123456789012:key\/mrk-/);
        assert.match(i.replicas[0].kmsKeyId, /^arn:aws:kms:us-west-2:123456789012:key\/mrk-/);
      }
    }
    assert.equal(run.all("aws:secretsmanager/secretVersion:SecretVersion").length, 0, "no secret value is ever written by the program");
    for (const p of run.all("aws:secretsmanager/secretPolicy:SecretPolicy")) {
      const doc = jsonInput(p, "policy");
      const outside = doc.Statement.find((s: any) => s.Sid === "DenyPrincipalsOutsideTheAccount");
      assert.deepEqual([outside.Effect, outside.Principal, outside.Condition.StringNotEquals["aws:PrincipalAccount"]], ["Deny", "*", "123456789012"]);
      const tls = doc.Statement.find((s: any) => s.Sid === "DenyWithoutTls");
      assert.deepEqual([tls.Effect, tls.Condition.Bool["aws:SecureTransport"]], ["Deny", "false"]);
      assert.equal(inputsOf(p).blockPublicPolicy, true);
    }
    assert.equal(run.all("aws:secretsmanager/secretPolicy:SecretPolicy").length, 4);
  });

  test(`rotation: rate(90 days) JWT, rate(180 days) database, via their Lambdas, schedule expressions only (${mode})`, async () => {
    const run = await runMocked(() => buildSecrets(cfg), { preview });
    const rotations = run.all(ROTATION);
    assert.deepEqual(rotations.map((r) => inputsOf(r).rotationRules), [{ scheduleExpression: "rate(90 days)" }, { scheduleExpression: "rate(180 days)" }]);
    const jwtFn = run.one(FN, "jwt-rotation");
    const dbFn = run.one(FN, "db-rotation");
    assert.deepEqual(rotations[0].propertyDependencies.rotationLambdaArn, [jwtFn.urn]);
    assert.deepEqual(rotations[1].propertyDependencies.rotationLambdaArn, [dbFn.urn]);
    assert.ok(rotations.every((r) => inputsOf(r).rotateImmediately === true));
    // A component dependency expands to its children: every role and grant must exist first.
    const pgResources = run.resources.filter((r) => r.type.startsWith("postgresql:index/"));
    assert.ok(pgResources.length > 10);
    for (const r of pgResources) assert.ok(rotations[1].dependencies.includes(r.urn), `the first database rotation waits for ${r.name}`);
    assert.ok(!rotations[0].dependencies.some((d) => d.includes("postgresql:index/")));
    for (const perm of run.all("aws:lambda/permission:Permission")) {
      const p = inputsOf(perm);
      assert.equal(p.principal, "secretsmanager.amazonaws.com");
      assert.equal(p.action, "lambda:InvokeFunction");
      assert.equal(perm.propertyDependencies.sourceArn.length, 1);
      if (!preview) assert.equal(p.sourceAccount, "123456789012");
    }
    const jwt = inputsOf(jwtFn);
    assert.deepEqual(jwt.environment.variables, { JWT_OVERLAP_MINUTES: "0" });
    assert.equal(jwt.runtime, "nodejs22.x");
    assert.equal(jwt.vpcConfig, undefined);

    const db = inputsOf(dbFn);
    const env = db.environment.variables;
    assert.deepEqual(Object.keys(env).sort(), ["APP_ROLE", "CONNECTION_LIMIT", "DB_HOST", "DB_NAME", "DB_PORT", "GRACE_MINUTES", "MASTER_SECRET_ARN", "OWNER_ROLE", "SECRET_ARN", "USER_PREFIX"]);
    assert.deepEqual([env.APP_ROLE, env.OWNER_ROLE, env.USER_PREFIX, env.GRACE_MINUTES, env.DB_NAME], ["duespark_app", "duespark_owner", "duespark_app_", "75", "duespark"]);
    assert.deepEqual(dbFn.propertyDependencies.vpcConfig.sort(), [...run.all("aws:ec2/subnet:Subnet").map((s) => s.urn), run.one("aws:ec2/securityGroup:SecurityGroup", "network-app").urn].sort());
    if (!preview) {
      assert.match(env.MASTER_SECRET_ARN, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
      assert.equal(db.vpcConfig.subnetIds.length, 3);
    } else {
      assert.equal(env.MASTER_SECRET_ARN, UNKNOWN);
    }
    const sweep = run.all("aws:scheduler/schedule:Schedule").map(inputsOf).find((s) => s.scheduleExpression === "rate(1 hour)");
    assert.equal(sweep.target.input, '{"action":"sweep"}');
  });

  test(`least privilege: each rotation role reaches its own secret; KMS only through Secrets Manager (${mode})`, async () => {
    const run = await runMocked(() => buildSecrets(cfg), { preview });
    if (preview) {
      // Policies reference secret ARNs, unknown until the secrets exist.
      assert.equal(inputsOf(run.one("aws:iam/rolePolicy:RolePolicy", "secrets-jwt-rotation")).policy, UNKNOWN);
      return;
    }
    const arnOf = (n: string) => inputsOf(run.all(SECRET).find((s) => inputsOf(s).name === n)!);
    const jwtPolicy = jsonInput(run.one("aws:iam/rolePolicy:RolePolicy", "secrets-jwt-rotation"), "policy");
    const own = jwtPolicy.Statement.find((s: any) => s.Sid === "RotateOwnSecret");
    assert.match(own.Resource, /:secret:duespark\/prod\/jwt-signing-key-[A-Za-z]{6}$/);
    assert.ok(arnOf("duespark/prod/jwt-signing-key"));
    const kms = jwtPolicy.Statement.find((s: any) => s.Sid === "UseKeyThroughSecretsManager");
    assert.equal(kms.Condition.StringEquals["kms:ViaService"], "secretsmanager.us-east-1.amazonaws.com");
    assert.ok(!JSON.stringify(jwtPolicy).includes('"*"') || jwtPolicy.Statement.every((s: any) => s.Resource !== "*"));
    const dbPolicy = jsonInput(run.one("aws:iam/rolePolicy:RolePolicy", "secrets-db-rotation"), "policy");
    assert.match(dbPolicy.Statement.find((s: any) => s.Sid === "ReadMasterUserSecret").Resource, /secret:rds!db-/);
    assert.deepEqual(dbPolicy.Statement.find((s: any) => s.Sid === "ManageVpcNetworkInterfaces").Resource, "*");
  });

  test(`API keys: no rotation resource, daily age check routing P2 overdue / P3 due soon (${mode})`, async () => {
    const run = await runMocked(() => buildSecrets(cfg), { preview });
    const schedule = run.all("aws:scheduler/schedule:Schedule").find((s) => inputsOf(s).scheduleExpression === "rate(1 day)")!;
    const fn = run.one(FN, "api-key-age");
    assert.ok(schedule.propertyDependencies.target.includes(fn.urn));
    assert.deepEqual(inputsOf(schedule).flexibleTimeWindow, { mode: "OFF" });
    const env = inputsOf(fn).environment.variables;
    assert.deepEqual([env.ROTATION_DAYS, env.REMINDER_DAYS, env.OVERDUE_PRIORITY, env.DUE_SOON_PRIORITY], ["365", "30", "P2", "P3"]);
    const warning = run.all("aws:sns/topic:Topic").find((t) => t.name.includes("warning"))!;
    assert.ok(fn.propertyDependencies.environment.includes(warning.urn));
    if (!preview) {
      assert.equal(env.OVERDUE_TOPIC_ARN, env.DUE_SOON_TOPIC_ARN);
      assert.match(env.OVERDUE_TOPIC_ARN, /warning/);
      assert.deepEqual(JSON.parse(env.API_KEY_REFS).map((k: any) => [k.name, k.envVar]), [["stripe", "STRIPE_SECRET_KEY"], ["email-provider", "EMAIL_API_KEY"]]);
    }
    const rotated = run.all(ROTATION).map((r) => r.propertyDependencies.secretId[0]);
    for (const s of run.all(SECRET).filter((x) => inputsOf(x).name.includes("/api-keys/"))) assert.ok(!rotated.includes(s.urn));
  });
}

test("secretArns: the four secrets plus the RDS-managed master secret", async () => {
  let arns: string[] = [];
  await runMocked(() => {
    const { secrets } = buildSecrets(cfg);
    pulumi.all(secrets.secretArns).apply((a) => (arns = a));
  }, { preview: false });
  assert.equal(arns.length, 5);
  assert.ok(arns.every((a) => a.startsWith("arn:aws:secretsmanager:us-east-1:123456789012:secret:")));
  assert.match(arns[4], /secret:rds!db-/);
});

test("without DatabaseRoles the first database rotation is not started at deploy time", async () => {
  const run = await runMocked(() => buildSecrets(cfg, { withRoles: false }), { preview: true });
  assert.deepEqual(run.all(ROTATION).map((r) => inputsOf(r).rotateImmediately), [true, false]);
});

test("helpers and validation", () => {
  assert.equal(rotationSchedule(90), "rate(90 days)");
  assert.equal(rotationSchedule(1), "rate(1 day)");
  assert.throws(() => rotationSchedule(0), /1 to 1000 days/);
  assert.deepEqual([durationMinutes("1h"), durationMinutes("15m"), durationMinutes("90s")], [60, 15, 2]);
  const base = { database: { config: cfg.database } as any, network: {} as any, kmsKey: {} as any, drKmsKey: {} as any, drRegion: "us-west-2", alerts: {} as any, protect: true };
  assert.throws(() => new SecretsStore("s", { ...base, config: { ...cfg.secrets, apiKeyReminderDays: 400 } }), /apiKeyReminderDays \(400\) must be shorter/);
  assert.throws(() => new SecretsStore("s", { ...base, config: { ...cfg.secrets, apiKeys: [{ name: "x", envVar: "DATABASE_URL", vendor: "X" }] } }), /reserved/);
});
