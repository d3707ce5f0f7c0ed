import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { catchAllReason, ExceptionEntry, findException, inactiveNote, isActive, isCalendarDate, matchesResource } from "../../../policies/lib/exceptions";
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

test("catch-all patterns never match, even when a config holding one reaches the pack", () => {
  const urn = urnOf(DB, "legacy");
  for (const resource of ["*", "**", "*::*", "urn:pulumi:*", "?*?", "*-*_*.*", "ab*"]) {
    assert.ok(catchAllReason(resource), resource);
    assert.equal(matchesResource(exception("SEC-1", "2099-12-31", resource), urn, "legacy"), false, resource);
    assert.equal(findException([exception("SEC-1", "2099-12-31", resource)], urn, "legacy", new Date("2030-01-01T00:00:00Z")), undefined, resource);
  }
  // Specific patterns keep matching.
  for (const resource of ["legacy", "leg*", "urn:pulumi:test::fixture::*::legacy", urn]) {
    assert.equal(catchAllReason(resource), undefined, resource);
    assert.equal(matchesResource(exception("SEC-1", "2099-12-31", resource), urn, "legacy"), true, resource);
  }
});

test("an expiry that is not a real calendar date never applies (fail closed) and the violation says why", () => {
  const now = new Date("2024-01-01T00:00:00Z");
  for (const expires of ["2026-13-45", "2020-02-30", "2099-00-10", "2099-1-1"]) {
    assert.equal(isCalendarDate(expires), false, expires);
    assert.equal(isActive(exception("SEC-5", expires), now), false, expires);
  }
  assert.equal(isCalendarDate("2024-02-29"), true);
  assert.equal(isActive(exception("SEC-5", "2024-02-29"), now), true);
  const match = findException([exception("SEC-5", "2026-13-45")], urnOf(DB, "legacy"), "legacy", now);
  assert.equal(match?.state, "invalid");
  assert.equal(inactiveNote(match as { state: "invalid"; entry: ExceptionEntry }), '[exception "SEC-5" has an invalid expiry date "2026-13-45" (not a real YYYY-MM-DD day) and does not apply]');
});

test("the policy config refuses catch-all patterns and impossible dates, naming the policy and the exception", () => {
  const raw = {
    "rds-deletion-protection": { exceptions: [exception("SEC-8", "2099-12-31", "urn:pulumi:*"), exception("SEC-9", "2020-02-30")] },
  };
  assert.throws(
    () => resolvePolicyConfig(pack.info, raw, "test"),
    /rds-deletion-protection\.exceptions\[0\] \(id "SEC-8"\)\.resource: got "urn:pulumi:\*"; a resource pattern must name something specific[\s\S]*rds-deletion-protection\.exceptions\[1\] \(id "SEC-9"\)\.expires: got "2020-02-30"; not a real calendar date/,
  );
});

test("never-exemptible policies cannot be weakened by config; exemptible ones are listed as weakened", () => {
  assert.throws(() => resolvePolicyConfig(pack.info, { all: "disabled" }, "test"), /all: got "disabled"; "all" may only be "mandatory"/);
  assert.throws(() => resolvePolicyConfig(pack.info, { "access-mfa-for-shell": { enforcementLevel: "advisory" } }, "test"), /access-mfa-for-shell\.enforcementLevel: got "advisory"; access-mfa-for-shell is never-exemptible/);
  const ok = resolvePolicyConfig(pack.info, { all: "mandatory", "rds-deletion-protection": "disabled", "access-no-ssh-ingress": "mandatory" }, "test");
  assert.deepEqual(ok.weakened, [{ policy: "rds-deletion-protection", level: "disabled", default: "mandatory" }]);
  assert.equal(ok.entries["access-no-ssh-ingress"].enforcementLevel, "mandatory");
});

test("prototype-named keys and non-array exceptions are validation errors, not crashes or silent passes", () => {
  assert.throws(() => resolvePolicyConfig(pack.info, { "rds-iam-auth": { constructor: 1, toString: "x" } }, "test"), /rds-iam-auth\.constructor: unknown property[\s\S]*rds-iam-auth\.toString: unknown property/);
  assert.throws(() => resolvePolicyConfig(pack.info, JSON.parse('{"__proto__": "disabled"}'), "test"), /__proto__: no such policy/);
  assert.throws(() => resolvePolicyConfig(pack.info, { "rds-iam-auth": { exceptions: { id: "x" } } }, "test"), /rds-iam-auth\.exceptions: got \{"id":"x"\} \(object\); expected array/);
});
