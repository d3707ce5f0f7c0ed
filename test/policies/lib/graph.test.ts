import assert from "node:assert/strict";
import { test } from "node:test";
import type { PolicyResource } from "@pulumi/policy";
import { StackGraph, stackOfUrn } from "../../../policies/lib/graph";

function res(type: string, name: string): PolicyResource {
  return { type, name, urn: `urn:pulumi:prod::p::${type}::${name}`, props: {}, opts: {} as never, dependencies: [], propertyDependencies: {}, isType: () => false, asType: () => undefined } as unknown as PolicyResource;
}

test("reverse links by property key, dependencies, types and children", () => {
  const vault = res("aws:backup/vault:Vault", "v");
  const lock = res("aws:backup/vaultLockConfiguration:VaultLockConfiguration", "l");
  const plan = res("aws:backup/plan:Plan", "p");
  lock.propertyDependencies = { backupVaultName: [vault, vault] };
  plan.propertyDependencies = { rules: [vault] };
  plan.dependencies = [vault];
  lock.parent = plan;
  const g = new StackGraph([vault, lock, plan]);
  assert.deepEqual(g.referencing(vault, "backupVaultName").map((r) => r.name), ["l"]);
  assert.deepEqual(g.referencing(vault, "rules", ["aws:backup/plan:Plan"]).map((r) => r.name), ["p"]);
  assert.deepEqual(g.referencing(vault, "rules", ["aws:backup/selection:Selection"]), []);
  assert.deepEqual(g.dependentsOf(vault).map((r) => r.name), ["p"]);
  assert.deepEqual(g.childrenOf(plan).map((r) => r.name), ["l"]);
  assert.equal(g.byUrn(vault.urn), vault);
  assert.equal(g.ofType("aws:backup/plan:Plan").length, 1);
  assert.equal(stackOfUrn(vault.urn), "prod");
});

test("20,000 resources with 60,000 edges index in linear time", () => {
  const build = (n: number) => {
    const vaults = Array.from({ length: n / 4 }, (_, i) => res("aws:backup/vault:Vault", `v${i}`));
    const others = Array.from({ length: (3 * n) / 4 }, (_, i) => {
      const r = res("aws:backup/vaultLockConfiguration:VaultLockConfiguration", `l${i}`);
      const v = vaults[i % vaults.length];
      r.propertyDependencies = { backupVaultName: [v] };
      r.dependencies = [v, vaults[(i + 1) % vaults.length]];
      return r;
    });
    return { all: [...vaults, ...others], vaults };
  };
  const time = (n: number) => {
    const { all, vaults } = build(n);
    const t = process.hrtime.bigint();
    const g = new StackGraph(all);
    let links = 0;
    for (const v of vaults) links += g.referencing(v, "backupVaultName").length;
    assert.equal(links, (3 * n) / 4);
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  time(2000); // warm-up
  const small = Math.max(time(5000), 1);
  const large = time(20000);
  // Quadratic growth would be ~16x for 4x the resources; allow generous noise above linear (4x).
  assert.ok(large < small * 10, `5k: ${small.toFixed(1)} ms, 20k: ${large.toFixed(1)} ms`);
  assert.ok(large < 2000, `20k resources took ${large.toFixed(1)} ms`);
});
