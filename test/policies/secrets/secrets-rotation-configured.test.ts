import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";

const POLICY = "secrets-rotation-configured";
const SECRET = "aws:secretsmanager/secret:Secret";
const ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const secret = (name: string, cls?: string, extraTags: Record<string, string> = {}) =>
  fixture(SECRET, name, { kmsKeyId: "k", tags: { ...(cls ? { "duespark:secret-class": cls } : {}), ...extraTags } });
/** A rotation linked by URN, as in a preview where the secret's id is unknown. */
const rotation = (name: string, secretName: string, props: Record<string, unknown> = {}, omit: string[] = []) => {
  const all: Record<string, unknown> = { secretId: unknown, rotationLambdaArn: LAMBDA, rotationRules: { automaticallyAfterDays: 30 }, ...props };
  for (const k of omit) delete all[k];
  return fixture(ROTATION, name, all, {
    propertyDependencies: { secretId: [urnOf(SECRET, secretName)] },
    dependencies: [urnOf(SECRET, secretName)],
  });
};

test("compliant: jwt and database secrets each with one rotation (Lambda ARN unknown in preview), managed skipped, api-key with obligation and age check", async () => {
  const r = await pack.analyzeStack([
    secret("jwt", "jwt"),
    rotation("jwt-rotation", "jwt", { rotationLambdaArn: unknown }),
    secret("db", "database"),
    rotation("db-rotation", "db"),
    secret("rds-master", "managed"),
    secret("stripe", "api-key", { "duespark:rotation-days": "365" }),
    fixture("aws:scheduler/schedule:Schedule", "api-key-age-check", { scheduleExpression: "rate(1 day)" }),
  ]);
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: a secret with no rotation linked to it", async () => {
  const r = await pack.analyzeStack([secret("jwt", "jwt"), secret("db", "database"), rotation("db-rotation", "db")]);
  const [v, ...rest] = pack.mandatory(r, POLICY);
  assert.equal(rest.length, 0);
  assert.equal(v.urn, urnOf(SECRET, "jwt"));
  assert.match(v.message, /Secret jwt has no SecretRotation linked to it \(class jwt\)/);
});

test("non-compliant: two rotations for one secret, and a rotation without a Lambda", async () => {
  const r = await pack.analyzeStack([
    secret("jwt", "jwt"), rotation("a", "jwt"), rotation("b", "jwt"),
    secret("db", "database"), rotation("db-rotation", "db", {}, ["rotationLambdaArn"]),
  ]);
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).sort();
  assert.equal(messages.length, 2);
  assert.match(messages[0], /Secret db: SecretRotation db-rotation has no rotationLambdaArn/);
  assert.match(messages[1], /Secret jwt has 2 SecretRotation resources \(a, b\); exactly one is allowed/);
});

test("non-compliant: api-key secret over the 365-day obligation and without an age-check schedule", async () => {
  const r = await pack.analyzeStack([secret("stripe", "api-key", { "duespark:rotation-days": "400" })]);
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /rotation obligation of 400 days; the runbook allows at most 365/);
  assert.match(messages[1], /no age-check schedule/);
});

test("unknown tags on one secret defer it while the others are still checked", async () => {
  const r = await pack.analyzeStack([fixture(SECRET, "later", { tags: unknown }), secret("jwt", "jwt")]);
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Secret jwt has no SecretRotation/);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'secrets-rotation-configured'.*during preview/);
});
