import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, secret, startPack, unknown } from "../../support/pack";

const POLICY = "secrets-no-plaintext-env";
const LAMBDA = "aws:lambda/function:Function";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";
const STRIPE = "sk_live_51HxQv2Lk9PzT0aBcDeFgHiJk";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const deployment = (env: unknown[]) => fixture(DEPLOYMENT, "api", { spec: { template: { spec: { containers: [{ name: "api", image: "api:1", env }] } } } });

test("compliant: references and non-secret settings only", async () => {
  const lambda = await pack.analyze(fixture(LAMBDA, "rotate", { environment: { variables: { DB_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:1:secret:db", LOG_LEVEL: "info", API_KEY_REFS: '[{"name":"stripe","secretId":"arn:aws:secretsmanager:us-east-1:1:secret:stripe"}]' } } }));
  assert.deepEqual(pack.of(lambda, POLICY), []);
  const dep = await pack.analyze(deployment([
    { name: "STRIPE_SECRET_KEY", valueFrom: { secretKeyRef: { name: "api-secrets", key: "STRIPE_SECRET_KEY" } } },
    { name: "PORT", value: "8080" },
  ]));
  assert.deepEqual(pack.of(dep, POLICY), []);
});

test("a Lambda env var holding a Pulumi secret: the message names the variable, never the value", async () => {
  const r = await pack.analyze(fixture(LAMBDA, "api", { environment: { variables: { STRIPE_SECRET_KEY: secret(STRIPE), LOG_LEVEL: "info" } } }));
  const [v, ...rest] = pack.mandatory(r, POLICY);
  assert.equal(rest.length, 0);
  assert.match(v.message, /Lambda environment variable STRIPE_SECRET_KEY: its value looks like a Stripe live key/);
  for (const d of r.diagnostics) {
    assert.ok(!d.message.includes(STRIPE), `${d.policyName} echoed the secret value`);
    assert.ok(!d.message.includes("sk_live_"), `${d.policyName} echoed part of the secret value`);
  }
});

test("non-compliant: container env with a literal DATABASE_URL and an innocent-named AWS key id", async () => {
  const r = await pack.analyze(deployment([
    { name: "DATABASE_URL", value: "postgres://app:hunter2@db.internal:5432/duespark" },
    { name: "UPLOADER", value: "AKIAIOSFODNN7EXAMPLE" },
  ]));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /container api env DATABASE_URL: its value looks like a connection string with a password/);
  assert.match(messages[1], /container api env UPLOADER: its value looks like an AWS access key id/);
  assert.ok(messages.every((m) => !m.includes("hunter2") && !m.includes("AKIAIOSFODNN7EXAMPLE")));
});

test("non-compliant: ConfigMap with a PEM private key and a literal password", async () => {
  const r = await pack.analyze(fixture(CONFIG_MAP, "cfg", { data: { "tls.key": "-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", SMTP_PASSWORD: "changeme", THEME: "dark" } }));
  // Struct keys arrive sorted: SMTP_PASSWORD, THEME, tls.key.
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /ConfigMap key SMTP_PASSWORD: its name marks it as a credential/);
  assert.match(messages[1], /ConfigMap key tls\.key: its value looks like a PEM private key/);
});

test("unknown value under a credential name defers; under other names it is ignored", async () => {
  const r = await pack.analyze(fixture(LAMBDA, "api", { environment: { variables: { API_TOKEN: unknown, BUCKET: unknown, SENTRY_DSN: "https://public@sentry.io/1" } } }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'secrets-no-plaintext-env'.*API_TOKEN can't be known during preview/);
  const benign = await pack.analyze(fixture(LAMBDA, "api", { environment: { variables: { BUCKET: unknown } } }));
  assert.deepEqual(pack.of(benign, POLICY), []);
});
