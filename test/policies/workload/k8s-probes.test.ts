import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { apiContainer, deployment, DEPLOYMENT, STATEFUL_SET } from "./pod";

const POLICY = "k8s-probes";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: probes on the named port and on the port number", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment()));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: StatefulSet container without readiness probe", async () => {
  const r = await pack.analyze(fixture(STATEFUL_SET, "worker", deployment([apiContainer({ readinessProbe: undefined })].map(strip))));
  assert.match(pack.mandatory(r, POLICY)[0].message, /container api has no readinessProbe/);
});

test("non-compliant: liveness probe on a port the container does not declare", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment([apiContainer({ livenessProbe: { tcpSocket: { port: 9000 } } })])));
  assert.match(pack.mandatory(r, POLICY)[0].message, /container api livenessProbe targets port 9000, which is not one of its containerPorts \(8000; names http\)/);
});

test("non-compliant: probe on an undeclared port name", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment([apiContainer({ readinessProbe: { httpGet: { path: "/health", port: "metrics" } } })])));
  assert.match(pack.mandatory(r, POLICY)[0].message, /readinessProbe targets port "metrics"/);
});

test("unknown container list in a preview defers", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment(unknown as never)));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'k8s-probes'.*during preview/);
});

function strip(c: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined));
}
