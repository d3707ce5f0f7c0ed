/**
 * The default "bundle" loader starts the pack from JavaScript compiled
 * ahead of time; "ts-node" starts it from its TypeScript sources through
 * the SDK's run-policy-pack entry, exactly as `pulumi preview --policy-pack`
 * does. Both must produce the same verdicts for the same stack, or the
 * offline preview would not stand for the CLI.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { runPreview } from "../../tools/preview/run-preview";
import type { Diagnostic } from "../../tools/preview/analyzer";

const key = (d: Diagnostic) => `${d.policyName}|${d.enforcementLevel}|${d.severity}|${d.urn}|${d.message}`;

test("prod: the bundled pack and the pack run by ts-node give identical verdicts and pack info", { timeout: 600_000 }, async () => {
  // One after the other: two previews at once double the memory and CPU of a small CI machine.
  const bundled = await runPreview({ stack: "prod", dryRun: false, loader: "bundle" });
  const tsNode = await runPreview({ stack: "prod", dryRun: false, loader: "ts-node" });
  assert.equal(tsNode.pack.name, bundled.pack.name);
  assert.equal(tsNode.pack.version, bundled.pack.version);
  assert.deepEqual(tsNode.pack.policies.map((p) => [p.name, p.enforcementLevel, p.severity, p.url]), bundled.pack.policies.map((p) => [p.name, p.enforcementLevel, p.severity, p.url]));
  assert.ok(bundled.pack.policies.length >= 40, `expected the whole pack, got ${bundled.pack.policies.length} policies`);
  assert.deepEqual(tsNode.diagnostics.map(key).sort(), bundled.diagnostics.map(key).sort());
  // The RPO report is a diagnostic too: both runs must carry it, so the comparison above is not vacuous.
  assert.ok(bundled.diagnostics.some((d) => /RPO report:/.test(d.message)), "the prod preview reports the RPO");
  const notApplicable = (r: typeof bundled) => r.verdicts.map((v) => v.notApplicable.map((n) => `${v.resource.urn}|${n.policyName}`).sort().join(",")).join(";");
  assert.equal(notApplicable(tsNode), notApplicable(bundled));
});
