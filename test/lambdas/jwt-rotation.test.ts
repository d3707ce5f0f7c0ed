import assert from "node:assert/strict";
import { test } from "node:test";
import { handler, overlapFromEnv, rotateJwt } from "../../lambdas/jwt-rotation/index";
import { buildNextJwtSecret, validateJwtSecret } from "../../lambdas/jwt-rotation/jwt-secret";
import { RotationEvent, ROTATION_STEPS } from "../../lambdas/shared/rotation";
import { FakeSecretsManager } from "./fake-secrets-manager";

const ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:duespark/prod/jwt-signing-key-AbCdEf";
const quiet = { info: () => undefined };
const T0 = new Date("2026-12-01T09:00:00Z");

async function rotate(sm: FakeSecretsManager, token: string, overlapMinutes: number, now = T0) {
  sm.startRotation(ARN, token);
  for (const Step of ROTATION_STEPS) {
    await rotateJwt({ SecretId: ARN, ClientRequestToken: token, Step }, { sm: sm.client, overlapMinutes, now: () => now, log: quiet });
  }
}

test("first rotation of an empty secret creates a 64-byte base64url key and makes it AWSCURRENT", async () => {
  const sm = new FakeSecretsManager();
  await rotate(sm, "token-1", 0);
  const current = sm.stagedJson(ARN, "AWSCURRENT");
  assert.match(current.current, /^[A-Za-z0-9_-]{86}$/);
  assert.equal(Buffer.from(current.current, "base64url").length, 64);
  assert.equal(current.previous, "");
  assert.equal(current.previousValidUntil, "");
  assert.equal(current.rotatedAt, "2026-12-01T09:00:00.000Z");
  assert.deepEqual(sm.versions(ARN).get("token-1")!.stages.sort(), ["AWSCURRENT", "AWSPENDING"]);
});

test("runbook default (overlap 0): the old key is not kept; with overlap 30 it is kept until now+30 min", async () => {
  const sm = new FakeSecretsManager();
  await rotate(sm, "token-1", 0);
  const first = sm.stagedJson(ARN, "AWSCURRENT").current;
  await rotate(sm, "token-2", 0);
  const second = sm.stagedJson(ARN, "AWSCURRENT");
  assert.notEqual(second.current, first);
  assert.equal(second.previous, "");
  assert.deepEqual(sm.versions(ARN).get("token-1")!.stages, ["AWSPREVIOUS"]);

  const later = new Date("2027-03-01T09:00:00Z");
  await rotate(sm, "token-3", 30, later);
  const third = sm.stagedJson(ARN, "AWSCURRENT");
  assert.equal(third.previous, second.current);
  assert.equal(third.previousValidUntil, "2027-03-01T09:30:00.000Z");
});

test("createSecret is idempotent: a repeated call keeps the pending value and writes once", async () => {
  const sm = new FakeSecretsManager();
  sm.startRotation(ARN, "t");
  const ev: RotationEvent = { SecretId: ARN, ClientRequestToken: "t", Step: "createSecret" };
  const deps = { sm: sm.client, overlapMinutes: 0, log: quiet };
  await rotateJwt(ev, deps);
  const pending = sm.stagedJson(ARN, "AWSPENDING").current;
  await rotateJwt(ev, deps);
  assert.equal(sm.stagedJson(ARN, "AWSPENDING").current, pending);
  assert.equal(sm.calls.filter((c) => c === "PutSecretValue").length, 1);
});

test("a token that is already AWSCURRENT is a no-op; an unstaged or non-pending token is an error", async () => {
  const sm = new FakeSecretsManager();
  await rotate(sm, "done", 0);
  const before = sm.calls.length;
  await rotateJwt({ SecretId: ARN, ClientRequestToken: "done", Step: "createSecret" }, { sm: sm.client, overlapMinutes: 0, log: quiet });
  assert.deepEqual(sm.calls.slice(before), ["DescribeSecret"]);
  await assert.rejects(rotateJwt({ SecretId: ARN, ClientRequestToken: "unknown", Step: "createSecret" }, { sm: sm.client, overlapMinutes: 0, log: quiet }), /not staged for rotation/);
  sm.put(ARN, "old", { current: "x" }, ["AWSPREVIOUS"]);
  await assert.rejects(rotateJwt({ SecretId: ARN, ClientRequestToken: "old", Step: "testSecret" }, { sm: sm.client, overlapMinutes: 0, log: quiet }), /not AWSPENDING/);
});

test("testSecret refuses a short key or a key equal to the current one, so finishSecret is never reached", async () => {
  const sm = new FakeSecretsManager();
  sm.put(ARN, "bad", { current: Buffer.alloc(16, 1).toString("base64url"), previous: "", previousValidUntil: "", rotatedAt: T0.toISOString() }, ["AWSPENDING"]);
  await assert.rejects(rotateJwt({ SecretId: ARN, ClientRequestToken: "bad", Step: "testSecret" }, { sm: sm.client, overlapMinutes: 0, log: quiet }), /shorter than 32 bytes/);
  const key = Buffer.alloc(64, 7).toString("base64url");
  sm.put(ARN, "cur", { current: key, previous: "", previousValidUntil: "", rotatedAt: T0.toISOString() }, ["AWSCURRENT"]);
  sm.put(ARN, "same", { current: key, previous: "", previousValidUntil: "", rotatedAt: T0.toISOString() }, ["AWSPENDING"]);
  await assert.rejects(rotateJwt({ SecretId: ARN, ClientRequestToken: "same", Step: "testSecret" }, { sm: sm.client, overlapMinutes: 0, log: quiet }), /equals the current key/);
});

test("pure helpers: key generation uses the injected randomness; validation and env parsing reject bad values", () => {
  const s = buildNextJwtSecret({ current: "old" }, T0, 15, (n) => Buffer.alloc(n, 0xab));
  assert.equal(s.current, Buffer.alloc(64, 0xab).toString("base64url"));
  assert.equal(s.previous, "old");
  assert.equal(s.previousValidUntil, "2026-12-01T09:15:00.000Z");
  assert.throws(() => validateJwtSecret({ current: "not base64url!" }), /not base64url/);
  assert.throws(() => buildNextJwtSecret(undefined, T0, -1), /overlap minutes/);
  assert.equal(overlapFromEnv({}), 0);
  assert.equal(overlapFromEnv({ JWT_OVERLAP_MINUTES: "45" }), 45);
  assert.throws(() => overlapFromEnv({ JWT_OVERLAP_MINUTES: "1.5" }), /whole number/);
});

test("the handler rejects events that are not rotation events", async () => {
  await assert.rejects(handler({ Step: "dropDatabase", SecretId: ARN, ClientRequestToken: "t" }), /not a Secrets Manager rotation event/);
});
