import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { resolvePolicyConfig } from "../../../tools/preview/policy-config";
import { fixture, PackHarness, startPack, urnOf } from "../../support/pack";

const DB = "aws:rds/instance:Instance";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const exception = (id: string, expires: string, resource = urnOf(DB, "legacy")) => ({
  id,
  resource,
  reason: "legacy reporting replica being decommissioned in Q3",
  approver: "security-lead",
  expires,
});

test("an unexpired exception turns the rds-deletion-protection violation into an advisory naming the exception", async () => {
  await pack.configure({ "rds-deletion-protection": { exceptions: [exception("SEC-1234", "2099-12-31")] } });
  try {
    const r = await pack.analyze(fixture(DB, "legacy", { deletionProtection: false }));
    assert.deepEqual(pack.mandatory(r, "rds-deletion-protection"), []);
    const [note] = pack.advisory(r, "rds-deletion-protection");
    assert.match(note.message, /deletionProtection is not true/);
    assert.match(note.message, /\[exempted by exception "SEC-1234": legacy reporting replica .* \(approved by security-lead, expires 2099-12-31\)\]/);
    // Other resources are not covered by the exception.
    const other = await pack.analyze(fixture(DB, "primary", { deletionProtection: false }));
    assert.equal(pack.mandatory(other, "rds-deletion-protection").length, 1);
  } finally {
    await pack.configure({});
  }
});

test("a glob on the resource name matches too", async () => {
  await pack.configure({ "rds-deletion-protection": { exceptions: [exception("SEC-77", "2099-01-01", "legacy-*")] } });
  try {
    const r = await pack.analyze(fixture(DB, "legacy-reports", { deletionProtection: false }));
    assert.match(pack.advisory(r, "rds-deletion-protection")[0].message, /exception "SEC-77"/);
  } finally {
    await pack.configure({});
  }
});

test("an expired exception leaves the violation mandatory and says it expired", async () => {
  await pack.configure({ "rds-deletion-protection": { exceptions: [exception("SEC-999", "2020-01-31")] } });
  try {
    const r = await pack.analyze(fixture(DB, "legacy", { deletionProtection: false }));
    const [v] = pack.mandatory(r, "rds-deletion-protection");
    assert.match(v.message, /deletionProtection is not true/);
    assert.match(v.message, /\[exception "SEC-999" expired on 2020-01-31 and no longer applies\]/);
    assert.deepEqual(pack.advisory(r, "rds-deletion-protection"), []);
  } finally {
    await pack.configure({});
  }
});

test("a never-exemptible policy (access-no-ssh-ingress) has no exceptions in its schema: the config is rejected", async () => {
  const raw = { "access-no-ssh-ingress": { exceptions: [exception("SEC-22", "2099-12-31", "*")] } };
  assert.throws(() => resolvePolicyConfig(pack.info, raw, "test"), /access-no-ssh-ingress\.exceptions: unknown property/);
  await assert.rejects(pack.configure(raw), /access-no-ssh-ingress\.exceptions: unknown property/);
  // The pack keeps enforcing it: port 22 stays mandatory.
  const r = await pack.analyze(fixture("aws:ec2/securityGroup:SecurityGroup", "sg", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }] }));
  assert.equal(pack.mandatory(r, "access-no-ssh-ingress").length, 1);
});

test("exception entries are validated (reason at least 10 characters, YYYY-MM-DD expiry)", async () => {
  const raw = { "rds-deletion-protection": { exceptions: [{ id: "X", resource: "*", reason: "because", approver: "me", expires: "next week" }] } };
  assert.throws(() => resolvePolicyConfig(pack.info, raw, "test"), /exceptions\[0\]\.reason: must be at least 10 characters[\s\S]*exceptions\[0\]\.expires: got "next week"/);
});
