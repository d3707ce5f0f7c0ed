import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PackHarness, startPack, unknown } from "../../support/pack";
import { awsProvider, backupStack, DR_VAULT_ARN, rule, TIERS, URN } from "./stack";

const POLICY = "backup-cross-region-copy";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: every rule copies to the us-west-2 vault with its own expiry", async () => {
  const r = await pack.analyzeStack(backupStack());
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("compliant: destination ARN unknown in a preview is resolved through the URN link", async () => {
  const rules = TIERS.map(rule).map((r) => ({ ...r, copyActions: [{ destinationVaultArn: unknown, lifecycle: { deleteAfter: 30 } }] }));
  const r = await pack.analyzeStack(backupStack({ rules }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: a rule without copyActions", async () => {
  const rules = TIERS.map((t) => rule(t.ruleName === "monthly" ? { ...t, copy: false } : t));
  const r = await pack.analyzeStack(backupStack({ rules }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /Plan "duespark-runbook" rule "monthly" has no copyActions: recovery points stay in one region/);
  assert.equal(v.urn, URN.plan);
});

test("non-compliant: copy without lifecycle keeps copies forever", async () => {
  const rules = TIERS.map(rule).map((r) => ({ ...r, copyActions: [{ destinationVaultArn: DR_VAULT_ARN }] }));
  const r = await pack.analyzeStack(backupStack({ rules }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /rule "daily": copy action #1 has no lifecycle.deleteAfter, so copies are kept forever/);
});

test("non-compliant: the 'DR' vault is on a provider in the same region", async () => {
  const rules = TIERS.map(rule).map((r) => ({ ...r, copyActions: [{ destinationVaultArn: unknown, lifecycle: { deleteAfter: 30 } }] }));
  const r = await pack.analyzeStack(backupStack({ rules, drVaultProvider: awsProvider("dr-region", "us-east-1") }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /copy action #1 copies to vault "duespark-prod-dr" in the same region \(us-east-1\)/);
});

test("unknown copy lifecycle in a preview defers", async () => {
  const rules = TIERS.map(rule).map((r) => ({ ...r, copyActions: [{ destinationVaultArn: DR_VAULT_ARN, lifecycle: unknown }] }));
  const r = await pack.analyzeStack(backupStack({ rules }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'backup-cross-region-copy'.*during preview/);
});
