/**
 * Policy coverage against the real program: every policy of the pack
 * targets at least one resource type the prod stack declares (update mode,
 * captured under the mock engine). A policy that targets nothing in prod
 * guards nothing the runbook deploys: usually a misspelt or outdated type
 * token, or a component that stopped declaring what the policy expects.
 * Policies target provider types only, never components (duespark:*).
 */
import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { PackPolicy } from "../../policies/lib/define";
import { PACK_POLICIES } from "../../policies/registry";
import { MockedRun, ROOT, runMocked } from "../support/mocks";

/** Policies none of whose resource types occur in `types`, with what they target. */
function untargeted(policies: readonly PackPolicy[], types: ReadonlySet<string>): string[] {
  return policies.filter((p) => !p.resourceTypes.some((t) => types.has(t))).map((p) => `${p.meta.name} (targets ${p.resourceTypes.join(", ")})`);
}

let prod: MockedRun;
let prodTypes: Set<string>;
before(async () => {
  prod = await runMocked(ROOT, { preview: false, stack: "prod" });
  prodTypes = new Set(prod.resources.map((r) => r.type));
});

test("the prod capture is the whole program", () => {
  assert.ok(prod.resources.length > 200, `${prod.resources.length} resources`);
  for (const t of ["aws:kms/key:Key", "aws:rds/instance:Instance", "aws:backup/plan:Plan", "kubernetes:apps/v1:Deployment", "postgresql:index/role:Role"]) {
    assert.ok(prodTypes.has(t), `${t} is not in the prod capture`);
  }
});

test("every policy targets at least one resource type the prod stack declares", () => {
  const idle = untargeted(PACK_POLICIES, prodTypes);
  assert.deepEqual(idle, [], `policies that target nothing in prod:\n  ${idle.join("\n  ")}`);
});

test("each policy's targets in prod (printed), and the coverage check can fail", () => {
  for (const p of PACK_POLICIES) {
    const hits = p.resourceTypes.filter((t) => prodTypes.has(t));
    const count = prod.resources.filter((r) => hits.includes(r.type)).length;
    assert.ok(count > 0, p.meta.name);
    console.log(`${p.meta.name}: ${count} resource(s) of ${hits.join(", ")}`);
  }
  // A policy targeting a type the program never declares is flagged by name.
  const fake = { ...PACK_POLICIES[0], meta: { ...PACK_POLICIES[0].meta, name: "fake-policy" }, resourceTypes: ["aws:dynamodb/table:Table"] };
  assert.deepEqual(untargeted([...PACK_POLICIES, fake], prodTypes), ["fake-policy (targets aws:dynamodb/table:Table)"]);
});

test("no policy targets a component type (duespark:*) and the program's components are not targeted", () => {
  const components = PACK_POLICIES.flatMap((p) => p.resourceTypes.filter((t) => t.startsWith("duespark:")).map((t) => `${p.meta.name}: ${t}`));
  assert.deepEqual(components, []);
  const componentTypes = new Set(prod.resources.filter((r) => !r.custom).map((r) => r.type));
  assert.ok([...componentTypes].some((t) => t.startsWith("duespark:")), "the program declares duespark:* components");
  const targeting = PACK_POLICIES.flatMap((p) => p.resourceTypes.filter((t) => componentTypes.has(t)).map((t) => `${p.meta.name}: ${t}`));
  assert.deepEqual(targeting, []);
});
