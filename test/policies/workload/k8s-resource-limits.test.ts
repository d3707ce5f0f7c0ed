import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { apiContainer, deployment, DEPLOYMENT, STATEFUL_SET } from "./pod";

const POLICY = "k8s-resource-limits";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: requests 250m/512Mi, limits 1/1Gi", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment()));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: no memory limit", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment([apiContainer({ resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1" } } })])));
  assert.match(pack.mandatory(r, POLICY)[0].message, /container api has no resources\.limits\.memory\./);
});

test("non-compliant: StatefulSet container without any resources", async () => {
  const c = apiContainer();
  delete c.resources;
  const r = await pack.analyze(fixture(STATEFUL_SET, "worker", deployment([c])));
  assert.match(pack.mandatory(r, POLICY)[0].message, /container api has no resources\.requests\.cpu, resources\.requests\.memory, resources\.limits\.cpu, resources\.limits\.memory/);
});

test("unknown limits in a preview defer", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment([apiContainer({ resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: unknown } })])));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'k8s-resource-limits'.*during preview/);
});
