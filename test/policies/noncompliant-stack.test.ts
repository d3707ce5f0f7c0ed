/**
 * The pack against a deliberately non-compliant program
 * (test/fixtures/programs/noncompliant): a small production stack with one
 * realistic mistake per policy. Run through the offline preview in both
 * modes, the set of policies with mandatory violations must be exactly the
 * expected set, each flagging exactly the resources made wrong for it, and
 * the CLI must fail the stack (exit 1).
 *
 * A policy missing from the set means it lets a known mistake through; an
 * extra one means it flags something it should not.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { PACK_POLICIES } from "../../policies/registry";
import { PreviewResult, ROOT, runPreview } from "../../tools/preview/run-preview";
import { isDeferred } from "../../tools/preview/text-report";
import { explain, program, runCli } from "../preview/cli-harness";

const PROGRAM = path.join(ROOT, program("noncompliant"));

/** Every policy of the pack, sorted: the fixture triggers all of them. */
const EXPECTED: readonly string[] = [
  "access-mfa-for-shell",
  "access-no-ssh-ingress",
  "access-session-logging",
  "alarm-actions",
  "alarm-routing",
  "alarm-topic-encryption",
  "alarm-topic-key-grants-cloudwatch",
  "audit-bucket-object-lock",
  "audit-log-retention",
  "backup-cold-storage-window",
  "backup-cross-region-copy",
  "backup-plan-tiers",
  "backup-protected-database",
  "backup-restore-testing",
  "backup-selection-no-wildcard-or",
  "backup-vault-cmk",
  "backup-vault-lock-compliance",
  "chatbot-guardrails",
  "cloudtrail-multi-region",
  "data-safety-protect",
  "k8s-ingress-tls",
  "k8s-probes",
  "k8s-resource-limits",
  "k8s-security-context",
  "kms-deletion-window",
  "kms-key-policy-no-wildcard",
  "kms-key-rotation",
  "log-group-encryption",
  "network-db-no-public-ingress",
  "network-sg-linked-rules",
  "pagerduty-escalation",
  "pg-admin-group-size",
  "pg-readonly-default-owner",
  "pg-readonly-privileges",
  "pg-readonly-role-attributes",
  "rds-backup-retention",
  "rds-deletion-protection",
  "rds-encrypted-cmk",
  "rds-force-ssl",
  "rds-iam-auth",
  "rds-log-exports",
  "rds-not-public",
  "rds-parameter-group-linked",
  "recovery-rpo",
  "secrets-cmk-encryption",
  "secrets-no-plaintext-env",
  "secrets-replicated",
  "secrets-rotation-configured",
  "secrets-rotation-schedule",
];

/**
 * Policies the fixture cannot trigger with a realistic resource, with why.
 * None today: every policy of the pack has a deliberate mistake in the fixture.
 */
const NOT_TRIGGERED: Readonly<Record<string, string>> = {};

/** Logical names of the resources each policy must flag (the mistakes made for it). */
const FLAGGED: Readonly<Record<string, readonly string[]>> = {
  "access-mfa-for-shell": ["shell-without-mfa"],
  "access-no-ssh-ingress": ["bastion"],
  "access-session-logging": ["session-preferences"],
  "alarm-actions": ["cpu-high"],
  "alarm-routing": ["cpu-high"],
  "alarm-topic-encryption": ["alerts"],
  "alarm-topic-key-grants-cloudwatch": ["alerts"],
  "audit-bucket-object-lock": ["audit-logs"],
  "audit-log-retention": ["trail-events"],
  "backup-cold-storage-window": ["partial"],
  "backup-cross-region-copy": ["partial"],
  "backup-plan-tiers": ["partial"],
  "backup-protected-database": ["public-db"],
  "backup-restore-testing": ["partial"],
  "backup-selection-no-wildcard-or": ["everything"],
  "backup-vault-cmk": ["unlocked"],
  "backup-vault-lock-compliance": ["unlocked"],
  "chatbot-guardrails": ["ops-channel"],
  "cloudtrail-multi-region": ["trail"],
  // Nothing is protected: every stateful resource of the production stack is flagged.
  "data-safety-protect": ["audit-logs", "cmk", "db-credentials", "jwt-signing", "open-policy", "partial", "public-db", "short-window", "unlocked", "unrotated"],
  "k8s-ingress-tls": ["api-ingress"],
  "k8s-probes": ["api"],
  "k8s-resource-limits": ["api"],
  "k8s-security-context": ["api"],
  "kms-deletion-window": ["short-window"],
  "kms-key-policy-no-wildcard": ["open-policy"],
  "kms-key-rotation": ["unrotated"],
  "log-group-encryption": ["trail-events"],
  "network-db-no-public-ingress": ["db"],
  "network-sg-linked-rules": ["db"],
  "pagerduty-escalation": ["on-call"],
  "pg-admin-group-size": ["admin-group"],
  "pg-readonly-default-owner": ["readonly-future-tables"],
  "pg-readonly-privileges": ["readonly-tables"],
  "pg-readonly-role-attributes": ["readonly"],
  "rds-backup-retention": ["public-db"],
  "rds-deletion-protection": ["public-db"],
  "rds-encrypted-cmk": ["public-db"],
  "rds-force-ssl": ["postgres16"],
  "rds-iam-auth": ["public-db"],
  "rds-log-exports": ["public-db"],
  "rds-not-public": ["public-db"],
  "rds-parameter-group-linked": ["public-db"],
  "recovery-rpo": ["public-db"],
  "secrets-cmk-encryption": ["jwt-signing"],
  "secrets-no-plaintext-env": ["api-settings"],
  "secrets-replicated": ["jwt-signing"],
  "secrets-rotation-configured": ["jwt-signing"],
  "secrets-rotation-schedule": ["db-credentials-rotation"],
};

function later<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

const update = later(runPreview({ programDir: PROGRAM, stack: "test", dryRun: false }));
const dryRun = later(runPreview({ programDir: PROGRAM, stack: "test", dryRun: true }));
const cli = later(runCli(["--stack", "test", "--program", program("noncompliant"), "--quiet", "--no-progress"]));

function violated(result: PreviewResult): string[] {
  return [...new Set(result.diagnostics.filter((d) => d.enforcementLevel === "mandatory").map((d) => d.policyName))].sort();
}

function flagged(result: PreviewResult): Record<string, string[]> {
  const names = new Map(result.resources.map((r) => [r.urn, r.name]));
  const out: Record<string, Set<string>> = {};
  for (const d of result.diagnostics.filter((x) => x.enforcementLevel === "mandatory")) {
    (out[d.policyName] ??= new Set()).add(names.get(d.urn) ?? `(stack: ${d.urn || "no urn"})`);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, [...v].sort()]));
}

test("the expected set is the whole pack minus the documented untriggerable policies", () => {
  assert.deepEqual([...EXPECTED].sort(), EXPECTED, "keep EXPECTED sorted");
  const all = PACK_POLICIES.map((p) => p.meta.name).sort();
  assert.deepEqual(
    all.filter((n) => !(n in NOT_TRIGGERED)),
    EXPECTED,
    "a policy added to the pack needs a deliberate mistake in the fixture (or an entry in NOT_TRIGGERED saying why not)",
  );
  assert.deepEqual(Object.keys(FLAGGED).sort(), EXPECTED);
});

test("update mode: exactly the expected policies have mandatory violations", async () => {
  const result = await update;
  assert.equal(result.pack.policies.length, PACK_POLICIES.length);
  assert.deepEqual(violated(result), EXPECTED);
});

test("update mode: each policy flags exactly the resources made wrong for it", async () => {
  assert.deepEqual(flagged(await update), FLAGGED);
});

test("dry run: the same verdicts while ARNs and ids are still unknown", async () => {
  const result = await dryRun;
  assert.deepEqual(violated(result), EXPECTED);
  assert.deepEqual(flagged(result), FLAGGED);
  // The one value the dry run cannot judge: db-credentials' key ARN is computed (its other secret is still flagged).
  assert.deepEqual(result.diagnostics.filter(isDeferred).map((d) => d.policyName), ["secrets-cmk-encryption"]);
});

test("production is recognised from the stack's environment config, not the stack name", async () => {
  const result = await update;
  assert.equal(result.stack, "test");
  const notes = result.diagnostics.filter((d) => d.policyName === "data-safety-protect").map((d) => d.message);
  assert.equal(notes.length, FLAGGED["data-safety-protect"].length);
  assert.ok(notes.every((m) => /not protected \(protect: true\) in production stack test/.test(m)), notes.join("\n"));
});

test("the CLI fails the stack with exit 1", async () => {
  const run = await cli;
  assert.equal(run.code, 1, explain(run));
  assert.match(run.stdout, /Result: FAILED/);
  assert.match(run.stdout, /\[mandatory\] kms-key-rotation \(high\)\s+aws:kms\/key:Key::unrotated/);
  assert.match(run.stdout, /\[mandatory\] access-no-ssh-ingress \(critical\)\s+aws:ec2\/securityGroup:SecurityGroup::bastion/);
  // The literal ConfigMap value is never echoed: only the key is named.
  assert.doesNotMatch(run.stdout, /not-a-real-password/);
});
