/**
 * Every stack under stacks/ (each Pulumi.<name>.yaml, nothing hard-coded)
 * goes through the offline preview in dry-run and in update mode, with the
 * real policy pack and the stack's policy config, and passes with no
 * mandatory violation. The assertions are on the JSON report (what CI
 * reads). For prod, the preview's resource list is compared with an
 * in-process capture of the same program: the preview must analyse every
 * resource the program declares.
 *
 * The previews start together, a few at a time (each forks a program worker
 * and a pack process); PREVIEW_TEST_PARALLEL overrides the default of 3.
 */
import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { PACK_POLICIES } from "../../policies/registry";
import { buildJsonReport } from "../../tools/preview/reports/json";
import { PreviewResult, runPreview } from "../../tools/preview/run-preview";
import { listStacks, readProject } from "../../tools/preview/stack-file";
import { limiter } from "../support/limit";
import { MockedRun, ROOT, runMocked } from "../support/mocks";

const project = readProject(ROOT);
const STACKS = listStacks(project);
const MODES = [
  { label: "dry run", dryRun: true },
  { label: "update", dryRun: false },
] as const;

const slot = limiter();

/** A promise awaited later by a test: keep its rejection from counting as unhandled meanwhile. */
function later<T>(p: Promise<T>): Promise<T> {
  p.catch(() => undefined);
  return p;
}

const previews = new Map<string, Promise<PreviewResult>>();
const key = (stack: string, dryRun: boolean) => `${stack}/${dryRun ? "dry-run" : "update"}`;
// prod first: the capture comparison waits on it.
for (const stack of [...STACKS].sort((a, b) => (a === "prod" ? -1 : b === "prod" ? 1 : 0))) {
  for (const mode of MODES) previews.set(key(stack, mode.dryRun), later(slot(() => runPreview({ stack, dryRun: mode.dryRun }))));
}
const prodCapture: Promise<MockedRun> = later(runMocked(ROOT, { preview: false, stack: "prod" }));

function preview(stack: string, dryRun: boolean): Promise<PreviewResult> {
  const p = previews.get(key(stack, dryRun));
  if (!p) throw new Error(`no preview started for ${key(stack, dryRun)}`);
  return p;
}

test("stacks are listed from the stack folder", () => {
  for (const s of ["dev", "staging", "prod", "prod-dr"]) assert.ok(STACKS.includes(s), `${s} is missing`);
  assert.equal(previews.size, STACKS.length * MODES.length);
});

for (const stack of STACKS) {
  for (const mode of MODES) {
    test(`${stack} (${mode.label}): no mandatory violation, every policy evaluated, stack policy config used`, async () => {
      const result = await preview(stack, mode.dryRun);
      const report = buildJsonReport(result);
      const mandatory = report.violations.filter((v) => v.enforcementLevel === "mandatory");
      assert.deepEqual(
        mandatory.map((v) => `${v.policy} ${v.urn}: ${v.message}`),
        [],
        `mandatory violations in ${stack} (${mode.label})`,
      );
      assert.equal(report.summary.mandatory, 0);
      assert.equal(report.summary.passed, true);
      assert.equal(report.stack, stack);
      assert.equal(report.dryRun, mode.dryRun);
      assert.equal(report.summary.policies, PACK_POLICIES.length);
      assert.deepEqual(report.policies.map((p) => p.name).sort(), PACK_POLICIES.map((p) => p.meta.name).sort());
      assert.deepEqual(
        report.policies.filter((p) => p.enforcementLevel !== "mandatory").map((p) => p.name),
        [],
        "the stack's policy config must not lower an enforcement level",
      );
      assert.equal(report.policyPack.configFile, path.join(ROOT, project.stackConfigDir, `policy-config.${stack}.json`));
      // No advisory complaint either (deferrals and the RPO report are not violations).
      assert.deepEqual(
        report.violations.filter((v) => v.enforcementLevel === "advisory").map((v) => `${v.policy} ${v.urn}: ${v.message}`),
        [],
      );
      assert.ok(report.summary.resources > 100, `${stack} declares only ${report.summary.resources} resources`);
    });
  }
}

test("prod: more than 200 resources in both modes, and the same URNs in both", async () => {
  const [dry, update] = await Promise.all([preview("prod", true), preview("prod", false)]);
  const dryReport = buildJsonReport(dry);
  const updateReport = buildJsonReport(update);
  assert.ok(dryReport.summary.resources > 200, `dry run: ${dryReport.summary.resources} resources`);
  assert.ok(updateReport.summary.resources > 200, `update: ${updateReport.summary.resources} resources`);
  assert.deepEqual(dryReport.resources.map((r) => r.urn).sort(), updateReport.resources.map((r) => r.urn).sort());
});

test("prod (update): the preview analysed exactly the resources the program declares", async () => {
  const [result, capture] = await Promise.all([preview("prod", false), prodCapture]);
  const report = buildJsonReport(result);
  const previewUrns = report.resources.map((r) => r.urn).sort();
  const capturedUrns = capture.resources.map((r) => r.urn).sort();
  assert.ok(capturedUrns.length > 200, `the capture holds ${capturedUrns.length} resources`);
  assert.deepEqual(previewUrns, capturedUrns);
  const previewTypes = new Set(report.resources.map((r) => r.type));
  const missingTypes = [...new Set(capture.resources.map((r) => r.type))].filter((t) => !previewTypes.has(t)).sort();
  assert.deepEqual(missingTypes, []);
  // Every registration got an Analyze verdict, as under the CLI.
  const analysed = new Set(result.verdicts.filter(Boolean).map((v) => v.resource.urn));
  assert.deepEqual(capturedUrns.filter((u) => !analysed.has(u)), []);
});
