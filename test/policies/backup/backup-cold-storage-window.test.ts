import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { T } from "./stack";

const POLICY = "backup-cold-storage-window";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const plan = (...rules: Record<string, unknown>[]) => fixture(T.plan, "plan", { rules: rules.map((r, i) => ({ ruleName: `r${i}`, targetVaultName: "v", ...r })) });

test("compliant: {coldStorageAfter: 90, deleteAfter: 2555}", async () => {
  const r = await pack.analyze(plan({ schedule: "cron(0 2 1 1 ? *)", lifecycle: { coldStorageAfter: 90, deleteAfter: 2555 } }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: {coldStorageAfter: 7, deleteAfter: 84} leaves 77 days in cold storage", async () => {
  const r = await pack.analyze(plan({ lifecycle: { coldStorageAfter: 7, deleteAfter: 84 } }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /rule "r0": deleteAfter 84 days is less than coldStorageAfter 7 \+ 90 = 97 days/);
});

test("non-compliant: the same window applies to copy action lifecycles", async () => {
  const r = await pack.analyze(plan({ lifecycle: { deleteAfter: 365 }, copyActions: [{ destinationVaultArn: "arn:x", lifecycle: { coldStorageAfter: 30, deleteAfter: 100 } }] }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /rule "r0" copy action #1: deleteAfter 100 days is less than coldStorageAfter 30 \+ 90 = 120 days/);
});

test("non-compliant: continuous backup moved to cold storage and kept 60 days", async () => {
  const r = await pack.analyze(plan({ enableContinuousBackup: true, lifecycle: { coldStorageAfter: 10, deleteAfter: 60 } }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /continuous backups cannot move to cold storage \(coldStorageAfter 10\)/);
  assert.match(messages, /continuous backups are kept at most 35 days, not 60/);
});

test("compliant: continuous backup kept 35 days", async () => {
  const r = await pack.analyze(plan({ enableContinuousBackup: true, lifecycle: { deleteAfter: 35 } }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("unknown deleteAfter in a preview defers", async () => {
  const r = await pack.analyze(plan({ lifecycle: { coldStorageAfter: 7, deleteAfter: unknown } }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /during preview/);
});
