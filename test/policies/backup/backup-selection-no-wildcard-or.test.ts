import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { T } from "./stack";

const POLICY = "backup-selection-no-wildcard-or";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const base = { planId: "p", iamRoleArn: "arn:aws:iam::123456789012:role/backup" };
const tag = [{ type: "STRINGEQUALS", key: "duespark:backup-plan", value: "runbook" }];

test("compliant: wildcard resources filtered by conditions (AND)", async () => {
  const r = await pack.analyze(fixture(T.selection, "s", { ...base, resources: ["*"], conditions: [{ stringEquals: [{ key: "aws:ResourceTag/duespark:backup-plan", value: "runbook" }] }] }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("compliant: selectionTags alone", async () => {
  const r = await pack.analyze(fixture(T.selection, "s", { ...base, selectionTags: tag }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: resources [\"*\"] with selectionTags backs up everything", async () => {
  const r = await pack.analyze(fixture(T.selection, "s", { ...base, resources: ["*"], selectionTags: tag }));
  const [v] = pack.mandatory(r, POLICY);
  assert.match(v.message, /resources \["\*"\] combined with selectionTags selects every resource matching either \(OR\)/);
});

test("non-compliant: a partial wildcard ARN is a wildcard too", async () => {
  const r = await pack.analyze(fixture(T.selection, "s", { ...base, resources: ["arn:aws:rds:*:*:db:*"], selectionTags: tag }));
  assert.match(pack.mandatory(r, POLICY)[0].message, /arn:aws:rds:\*:\*:db:\*/);
});

test("unknown resource ARN (an output) is not a wildcard: no violation, no deferral", async () => {
  const r = await pack.analyze(fixture(T.selection, "s", { ...base, resources: [unknown], selectionTags: tag }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("unknown resources list with selectionTags defers", async () => {
  const r = await pack.analyze(fixture(T.selection, "s", { ...base, resources: unknown, selectionTags: tag }));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'backup-selection-no-wildcard-or'.*during preview/);
});
