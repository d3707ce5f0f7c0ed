import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PackHarness, startPack, unknown } from "../../support/pack";
import { backupStack, rule, TIERS, URN } from "./stack";

const POLICY = "backup-vault-lock-compliance";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: both vaults locked in compliance mode with min 30 / max 2555", async () => {
  const r = await pack.analyzeStack(backupStack());
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: lock without changeableForDays is governance mode", async () => {
  const r = await pack.analyzeStack(backupStack({ lock: { changeableForDays: undefined } }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Vault "duespark-prod": the lock has no changeableForDays, so it is in governance mode/);
  assert.equal(v.urn, URN.lock);
});

test("non-compliant: minRetentionDays 35 rejects the 30-day daily rule (and its DR copies)", async () => {
  const r = await pack.analyzeStack(backupStack({ lock: { minRetentionDays: 35 }, drLock: { minRetentionDays: 35 } }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.ok(messages.some((m) => /Vault "duespark-prod": lock minRetentionDays 35 is longer than rule "daily" of plan "duespark-runbook" \(deleteAfter 30 days\)/.test(m)), messages.join("\n"));
  assert.ok(messages.some((m) => /Vault "duespark-prod-dr": lock minRetentionDays 35 is longer than copy action #1 of rule "daily"/.test(m)), messages.join("\n"));
});

test("non-compliant: maxRetentionDays 365 below the annual 2555-day rule", async () => {
  const r = await pack.analyzeStack(backupStack({ lock: { maxRetentionDays: 365 } }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /lock maxRetentionDays 365 is shorter than rule "annual" of plan "duespark-runbook" \(deleteAfter 2555 days\)/);
});

test("non-compliant: a vault without any lock", async () => {
  const r = await pack.analyzeStack(backupStack({ drLock: null }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Vault "duespark-prod-dr" has no VaultLockConfiguration/);
  assert.equal(v.urn, URN.drVault);
});

test("non-compliant: a rule without lifecycle keeps points forever, beyond maxRetentionDays", async () => {
  const rules = [...TIERS.map(rule), { ruleName: "forever", targetVaultName: "duespark-prod", schedule: "cron(0 5 * * ? *)" }];
  const r = await pack.analyzeStack(backupStack({ rules }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /rule "forever" of plan "duespark-runbook" keeps recovery points forever \(no lifecycle.deleteAfter\) but the lock allows at most 2555 days/);
});

test("unknown changeableForDays in a preview defers", async () => {
  const r = await pack.analyzeStack(backupStack({ lock: { changeableForDays: unknown } }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'backup-vault-lock-compliance'.*during preview/);
});
