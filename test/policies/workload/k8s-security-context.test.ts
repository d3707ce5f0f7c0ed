import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";
import { apiContainer, deployment, DEPLOYMENT } from "./pod";

const POLICY = "k8s-security-context";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: runAsNonRoot on the pod, hardened container", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment()));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: container overrides runAsNonRoot to false and keeps capabilities", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment([apiContainer({ securityContext: { runAsNonRoot: false, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true } })])));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /container api: runAsNonRoot is not true/);
  assert.match(messages, /container api: capabilities.drop does not include ALL/);
});

test("non-compliant: privileged init container with a writable root filesystem", async () => {
  const init = { name: "migrate", image: "x", securityContext: { privileged: true, capabilities: { drop: ["ALL"] } } };
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment([apiContainer()], { initContainers: [init] })));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /init container migrate: privileged is true/);
  assert.match(messages, /init container migrate: allowPrivilegeEscalation is not false/);
  assert.match(messages, /init container migrate: readOnlyRootFilesystem is not true/);
});

test("unknown security context in a preview defers", async () => {
  const r = await pack.analyze(fixture(DEPLOYMENT, "api", deployment([apiContainer({ securityContext: unknown })])));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'k8s-security-context'.*during preview/);
});
