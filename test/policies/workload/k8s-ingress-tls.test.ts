import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "k8s-ingress-tls";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const backend = { http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { name: "http" } } } }] } };
const ingress = (spec: Record<string, unknown>, annotations: Record<string, string> = {}) => ({ metadata: { name: "api", annotations }, spec: { ingressClassName: "nginx", ...spec } });

test("compliant: exact host and wildcard-covered host", async () => {
  const r = await pack.analyze(fixture(INGRESS, "api", ingress({
    tls: [{ hosts: ["api.duespark.com", "*.internal.duespark.com"], secretName: "duespark-api-tls" }],
    rules: [{ host: "api.duespark.com", ...backend }, { host: "admin.internal.duespark.com", ...backend }],
  }, { "nginx.ingress.kubernetes.io/ssl-redirect": "true" })));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: host not covered (a wildcard covers one label only)", async () => {
  const r = await pack.analyze(fixture(INGRESS, "api", ingress({
    tls: [{ hosts: ["*.duespark.com"], secretName: "t" }],
    rules: [{ host: "a.b.duespark.com", ...backend }],
  })));
  assert.match(pack.mandatory(r, POLICY)[0].message, /host a\.b\.duespark\.com is not covered by any spec\.tls hosts \(\*\.duespark\.com\)/);
});

test("non-compliant: no tls and the redirect switched off", async () => {
  const r = await pack.analyze(fixture(INGRESS, "api", ingress({ rules: [{ host: "api.duespark.com", ...backend }] }, { "nginx.ingress.kubernetes.io/ssl-redirect": "false" })));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message).join("\n");
  assert.match(messages, /spec\.tls is empty: the Ingress serves plain HTTP/);
  assert.match(messages, /annotation nginx\.ingress\.kubernetes\.io\/ssl-redirect: "false" turns the HTTP -> HTTPS redirect off/);
});

test("non-compliant: a rule without host", async () => {
  const r = await pack.analyze(fixture(INGRESS, "api", ingress({ tls: [{ hosts: ["api.duespark.com"], secretName: "t" }], rules: [backend] })));
  assert.match(pack.mandatory(r, POLICY)[0].message, /rule #1 has no host: it matches every host/);
});

test("unknown tls hosts in a preview defer", async () => {
  const r = await pack.analyze(fixture(INGRESS, "api", ingress({ tls: [{ hosts: unknown, secretName: "t" }], rules: [{ host: "api.duespark.com", ...backend }] })));
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'k8s-ingress-tls'.*during preview/);
});
