import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";

const POLICY = "secrets-rotation-schedule";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const secret = (name: string, cls: string) => fixture(SECRET, name, { tags: { "duespark:secret-class": cls } });
const rotation = (name: string, secretName: string | undefined, rotationRules: unknown) =>
  fixture(ROTATION, name, { secretId: secretName ? unknown : "arn:aws:secretsmanager:us-east-1:123456789012:secret:elsewhere-AbCdEf", rotationLambdaArn: "arn:aws:lambda:us-east-1:1:function:r", rotationRules }, {
    propertyDependencies: secretName ? { secretId: [urnOf(SECRET, secretName)] } : {},
  });

test("compliant: jwt 90 days, database cron on the 1st of every month (31-day gap), api-key rate(365 days)", async () => {
  const r = await pack.analyzeStack([
    secret("jwt", "jwt"), rotation("jwt-rot", "jwt", { automaticallyAfterDays: 90 }),
    secret("db", "database"), rotation("db-rot", "db", { scheduleExpression: "cron(0 4 1 * ? *)" }),
    secret("stripe", "api-key"), rotation("stripe-rot", "stripe", { scheduleExpression: "rate(365 days)" }),
  ]);
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: 180 days is fine for a database secret but not for a JWT key", async () => {
  const r = await pack.analyzeStack([
    secret("jwt", "jwt"), rotation("jwt-rot", "jwt", { automaticallyAfterDays: 180 }),
    secret("db", "database"), rotation("db-rot", "db", { automaticallyAfterDays: 180 }),
  ]);
  const [v, ...rest] = pack.mandatory(r, POLICY);
  assert.equal(rest.length, 0);
  assert.equal(v.urn, urnOf(ROTATION, "jwt-rot"));
  assert.match(v.message, /SecretRotation jwt-rot \(jwt secret jwt\) rotates every 180 days at most \(automaticallyAfterDays 180\); the runbook allows 90/);
});

test("non-compliant: a quarterly cron on day-of-week leaves a JWT key up to 92 days", async () => {
  // 1st Monday of Jan/Apr/Jul/Oct (AWS day-of-week 2 = MON): gaps of 13 weeks = 91 days or more.
  const r = await pack.analyzeStack([secret("jwt", "jwt"), rotation("jwt-rot", "jwt", { scheduleExpression: "cron(0 4 ? 1,4,7,10 2#1 *)" })]);
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /rotates every (9[1-9]) days at most \(cron\(0 4 \? 1,4,7,10 2#1 \*\)\); the runbook allows 90/);
});

test("non-compliant: both automaticallyAfterDays and scheduleExpression, and rotation disabled", async () => {
  const r = await pack.analyzeStack([
    secret("db", "database"), rotation("db-rot", "db", { automaticallyAfterDays: 30, scheduleExpression: "rate(30 days)" }),
    secret("jwt", "jwt"), fixture(ROTATION, "off", { rotationEnabled: false, rotationRules: { automaticallyAfterDays: 30 } }, { propertyDependencies: { secretId: [urnOf(SECRET, "jwt")] } }),
  ]);
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /db-rot: rotationRules sets both automaticallyAfterDays and scheduleExpression; set exactly one/);
  assert.match(messages[1], /SecretRotation off has rotationEnabled false/);
});

test("unlinked rotation uses defaultClass (jwt: 90), overridable by config", async () => {
  const stack = [rotation("orphan", undefined, { scheduleExpression: "rate(120 days)" })];
  assert.match(pack.mandatory(await pack.analyzeStack(stack), POLICY)[0].message, /orphan \(jwt secret\) rotates every 120 days .* allows 90/);
  await pack.configure({ [POLICY]: { defaultClass: "database", maxDays: { database: 150 } } });
  try {
    assert.deepEqual(pack.of(await pack.analyzeStack(stack), POLICY), []);
    const longer = [rotation("orphan", undefined, { scheduleExpression: "rate(160 days)" })];
    assert.match(pack.mandatory(await pack.analyzeStack(longer), POLICY)[0].message, /\(database secret\) rotates every 160 days .* allows 150/);
  } finally {
    await pack.configure({});
  }
});

test("unknown rotation rules defer in a preview", async () => {
  const r = await pack.analyzeStack([secret("jwt", "jwt"), rotation("jwt-rot", "jwt", unknown)]);
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'secrets-rotation-schedule'.*rotationRules can't be known during preview/);
});
