import assert from "node:assert/strict";
import { test } from "node:test";
import { ApiWorkload } from "../../../components/workload/api-workload";
import { WorkloadNamespace } from "../../../components/workload/workload-namespace";
import { inputsOf, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";

const cfg = stackConfig("prod");
const program = () => {
  const namespace = new WorkloadNamespace("workload-namespace", { config: cfg.workload });
  new ApiWorkload("api", { config: cfg.workload, namespace: namespace.name, secretName: "duespark-api-env" });
};

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`${mode}: namespace enforces restricted Pod Security and denies all traffic by default`, async () => {
    const run = await runMocked(program, { preview });
    const ns = inputsOf(run.one("kubernetes:core/v1:Namespace")).metadata;
    assert.equal(ns.name, "duespark");
    for (const mode of ["enforce", "audit", "warn"]) assert.equal(ns.labels[`pod-security.kubernetes.io/${mode}`], "restricted");
    const deny = inputsOf(run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "default-deny")).spec;
    assert.deepEqual(deny, { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
  });

  test(`${mode}: API pods probe /health, /health/live, /health/ready on port "http" (8000) and run hardened`, async () => {
    const run = await runMocked(program, { preview });
    const dep = inputsOf(run.one("kubernetes:apps/v1:Deployment"));
    assert.equal(dep.metadata.annotations["secret.reloader.stakater.com/reload"], "duespark-api-env");
    const pod = dep.spec.template.spec;
    const c = pod.containers[0];
    assert.deepEqual(c.ports, [{ name: "http", containerPort: 8000, protocol: "TCP" }]);
    assert.deepEqual(c.readinessProbe.httpGet, { path: "/health/ready", port: "http", scheme: "HTTP" });
    assert.deepEqual(c.livenessProbe.httpGet, { path: "/health/live", port: "http", scheme: "HTTP" });
    assert.deepEqual(c.startupProbe.httpGet, { path: "/health", port: "http", scheme: "HTTP" });
    assert.deepEqual(c.envFrom, [{ secretRef: { name: "duespark-api-env" } }]);
    assert.equal(c.env, undefined, "no plaintext environment");
    assert.deepEqual(c.command.slice(0, 2), ["uvicorn", "app.main:app"]);
    assert.equal(c.securityContext.readOnlyRootFilesystem, true);
    assert.equal(c.securityContext.allowPrivilegeEscalation, false);
    assert.deepEqual(c.securityContext.capabilities, { drop: ["ALL"] });
    assert.equal(pod.securityContext.runAsUser, 10001);
    assert.equal(pod.securityContext.runAsNonRoot, true);
    assert.deepEqual(pod.securityContext.seccompProfile, { type: "RuntimeDefault" });
    assert.equal(pod.automountServiceAccountToken, false);
    assert.deepEqual(pod.volumes, [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
    assert.deepEqual(c.resources, { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } });
    assert.equal(dep.spec.template.metadata.annotations["prometheus.io/scrape"], "true");
    assert.equal(c.image, "123456789012.dkr.ecr.us-east-1.amazonaws.com/duespark/api:2026.12.1");
    assert.equal(dep.metadata.namespace, preview ? UNKNOWN : "duespark");
  });

  test(`${mode}: only the ingress controller reaches port 8000; egress is PostgreSQL, AWS endpoints and DNS; no port 22`, async () => {
    const run = await runMocked(program, { preview });
    const ingress = inputsOf(run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "api-ingress")).spec;
    assert.deepEqual(ingress.ingress, [{ from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "ingress-nginx" } } }], ports: [{ protocol: "TCP", port: 8000 }] }]);
    const egress = inputsOf(run.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "api-egress")).spec.egress;
    assert.deepEqual(egress[0], { to: [{ ipBlock: { cidr: "10.40.0.0/16" } }], ports: [{ protocol: "TCP", port: 5432 }, { protocol: "TCP", port: 443 }] });
    assert.deepEqual(egress[1].ports, [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }]);
    assert.equal(egress[1].to[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"], "kube-system");
    assert.ok(!JSON.stringify(run.resources.map((r) => r.inputs)).match(/"port":22\b/));
    assert.equal(inputsOf(run.one("kubernetes:policy/v1:PodDisruptionBudget")).spec.maxUnavailable, 1);
  });

  test(`${mode}: ingress terminates TLS for the API host and forces HTTPS`, async () => {
    const run = await runMocked(program, { preview });
    const ing = inputsOf(run.one("kubernetes:networking.k8s.io/v1:Ingress"));
    assert.equal(ing.metadata.annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"], "true");
    assert.deepEqual(ing.spec.tls, [{ hosts: ["api.duespark.com"], secretName: "duespark-api-tls" }]);
    assert.equal(ing.spec.ingressClassName, "nginx");
    const backend = ing.spec.rules[0].http.paths[0].backend.service;
    assert.equal(backend.name, preview ? UNKNOWN : "duespark-api");
    assert.equal(inputsOf(run.one("kubernetes:core/v1:Service")).spec.ports[0].targetPort, "http");
  });
}
