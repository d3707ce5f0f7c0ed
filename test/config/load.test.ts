import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError, parseStackConfig } from "../../config/load";
import { stackEngineConfig } from "../support/mocks";

/** prod's engine config with one structured section edited. */
function withSection(section: string, edit: (v: any) => void, extra: Record<string, string> = {}) {
  const { config, secretKeys } = stackEngineConfig("prod");
  const key = `duespark-ops:${section}`;
  const value = JSON.parse(config[key]);
  edit(value);
  return { values: { ...config, [key]: JSON.stringify(value), ...extra }, secretKeys: new Set(secretKeys) };
}

function expectError(raw: { values: Record<string, string>; secretKeys: Set<string> }, ...patterns: RegExp[]) {
  assert.throws(
    () => parseStackConfig(raw, "prod"),
    (e: unknown) => {
      assert.ok(e instanceof ConfigError, `expected ConfigError, got ${e}`);
      for (const p of patterns) assert.match((e as Error).message, p);
      return true;
    },
  );
}

test("every committed stack parses", () => {
  for (const stack of ["dev", "staging", "prod", "prod-dr"]) {
    const { config, secretKeys } = stackEngineConfig(stack);
    const cfg = parseStackConfig({ values: config, secretKeys: new Set(secretKeys) }, stack);
    assert.notEqual(cfg.region, cfg.drRegion, stack);
    assert.ok(cfg.database.admins.length <= 3, stack);
  }
});

test("stacks differ by config: prod protects stateful resources, staging does not", () => {
  const prod = stackEngineConfig("prod");
  const staging = stackEngineConfig("staging");
  assert.equal(parseStackConfig({ values: prod.config, secretKeys: new Set(prod.secretKeys) }, "prod").protectStateful, true);
  assert.equal(parseStackConfig({ values: staging.config, secretKeys: new Set(staging.secretKeys) }, "staging").protectStateful, false);
});

test("retention days as a string names the key, the value and the rule", () => {
  expectError(withSection("backup", (b) => (b.retentionDays.daily = "30")), /duespark-ops:backup\.retentionDays\.daily: got "30" \(string\)/, /whole number of days/);
});

test("a region that does not exist is rejected with the allowed list", () => {
  const raw = withSection("network", () => undefined, { "aws:region": "us-east-3" });
  expectError(raw, /aws:region: got "us-east-3"/, /allowed: us-east-1, us-east-2/);
});

test("a DR region equal to the primary region is rejected", () => {
  expectError(withSection("network", () => undefined, { "duespark-ops:drRegion": "us-east-1" }), /duespark-ops:drRegion: got "us-east-1".*must differ from aws:region/);
});

test("more than 3 database admins is rejected", () => {
  expectError(withSection("database", (d) => (d.admins = ["a1", "a2", "a3", "a4"])), /duespark-ops:database\.admins: got \["a1","a2","a3","a4"\] \(array\); the runbook allows at most 3 database admins/);
});

test("a rotation period of 0 is rejected", () => {
  expectError(withSection("secrets", (s) => (s.rotationDays.jwt = 0)), /duespark-ops:secrets\.rotationDays\.jwt: got 0 \(number\); secrets\.rotationDays\.jwt must be at least 1 day/);
});

test("an unknown top-level key and an unknown nested key are both rejected", () => {
  const raw = withSection("backup", (b) => (b.retentionDay = 3), { "duespark-ops:nonsense": "1" });
  expectError(raw, /duespark-ops:nonsense: unknown key; allowed keys: duespark-ops:environment/, /duespark-ops:backup: unknown key\(s\) retentionDay/);
});

test("vault lock minimum above the shortest rule is rejected", () => {
  expectError(withSection("backup", (b) => (b.vaultLock.minRetentionDays = 35)), /backup\.vaultLock\.minRetentionDays: got 35.*shortest retention rule \(30 days\)/);
});

test("cold storage without 90 days before deletion is rejected", () => {
  expectError(withSection("backup", (b) => (b.coldStorageAfterDays = { weekly: 7 })), /backup\.retentionDays\.weekly: got 84.*coldStorageAfterDays\.weekly \+ 90 = 97/);
});

test("secret values are never echoed in config errors", () => {
  const { config, secretKeys } = stackEngineConfig("prod");
  const raw = { values: { ...config, "duespark-ops:kubeconfig": "" }, secretKeys: new Set(secretKeys) };
  expectError(raw, /duespark-ops:kubeconfig: got \[secret\]/);
});

test("all problems are reported in one message", () => {
  const raw = withSection("database", (d) => {
    d.admins = [];
    d.backupRetentionDays = 3;
  });
  expectError(raw, /database\.admins: .*at least 1 database admin/, /database\.backupRetentionDays: got 3.*at least 7 days/);
});
