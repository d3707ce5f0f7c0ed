import assert from "node:assert/strict";
import { test } from "node:test";
import * as k8s from "@pulumi/kubernetes";
import { SecretDelivery } from "../../../components/secrets/secret-delivery";
import { inputsOf, runMocked, stackConfig } from "../../support/mocks";
import { buildSecrets } from "../data-plane";

const ES = "kubernetes:external-secrets.io/v1:ExternalSecret";

function program(overlapMinutes = 0, capture?: (name: string) => void) {
  return () => {
    const cfg = stackConfig("prod");
    cfg.secrets.jwtVerificationOverlapMinutes = overlapMinutes;
    const { secrets } = buildSecrets(cfg);
    const cluster = new k8s.Provider("cluster", { kubeconfig: "offline" });
    const delivery = new SecretDelivery("secret-delivery", {
      namespace: cfg.workload.namespace,
      clusterSecretStore: cfg.workload.clusterSecretStore,
      refreshInterval: cfg.secrets.refreshInterval,
      secrets,
    }, { provider: cluster });
    delivery.kubernetesSecretName.apply((n) => capture?.(n));
  };
}

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";
  test(`one ExternalSecret (v1) templating SECRET_KEY, DATABASE_URL and the API keys from Secrets Manager names (${mode})`, async () => {
    let secretName: string | undefined;
    const run = await runMocked(program(0, (n) => (secretName = n)), { preview });
    assert.equal(secretName, "duespark-api-secrets");
    const es = run.one(ES);
    assert.ok(es.provider?.startsWith(run.one("pulumi:providers:kubernetes").urn), "the cluster provider comes from the parent's options");
    const i = inputsOf(es);
    assert.equal(i.apiVersion, "external-secrets.io/v1");
    assert.deepEqual(i.metadata.name, "duespark-api-secrets");
    assert.equal(i.metadata.namespace, "duespark");
    assert.equal(i.spec.refreshInterval, "1h");
    assert.deepEqual(i.spec.secretStoreRef, { kind: "ClusterSecretStore", name: "aws-secrets-manager" });
    assert.deepEqual([i.spec.target.name, i.spec.target.creationPolicy], ["duespark-api-secrets", "Owner"]);
    const t = i.spec.target.template.data;
    assert.deepEqual(Object.keys(t).sort(), ["DATABASE_URL", "EMAIL_API_KEY", "SECRET_KEY", "STRIPE_SECRET_KEY"]);
    assert.equal(t.SECRET_KEY, "{{ .jwt_current }}");
    assert.equal(t.DATABASE_URL, "postgresql://{{ .db_username }}:{{ .db_password | urlquery }}@{{ .db_host }}:{{ .db_port }}/{{ .db_dbname }}?sslmode=require");
    const refs = Object.fromEntries(i.spec.data.map((d: any) => [d.secretKey, d.remoteRef]));
    assert.deepEqual(refs.jwt_current, { key: "duespark/prod/jwt-signing-key", property: "current", conversionStrategy: "Default", decodingStrategy: "None" });
    assert.deepEqual(["username", "password", "host", "port", "dbname"].map((p) => [refs[`db_${p}`].key, refs[`db_${p}`].property]), ["username", "password", "host", "port", "dbname"].map((p) => ["duespark/prod/database/app", p]));
    assert.equal(refs.key_stripe_secret_key.key, "duespark/prod/api-keys/stripe");
    assert.equal(refs.key_stripe_secret_key.property, undefined);
    // Every template variable has a data entry, and nothing but names and templates is in the manifest.
    for (const v of Object.values<string>(t).flatMap((x) => [...x.matchAll(/\.(\w+)/g)].map((m) => m[1]))) assert.ok(refs[v], `template variable ${v} has a source`);
    for (const d of i.spec.data) assert.match(d.remoteRef.key, /^duespark\/prod\//);
    const secretUrns = run.all("aws:secretsmanager/secret:Secret").map((x) => x.urn);
    for (const u of secretUrns) assert.ok(es.dependencies.includes(u), "the ExternalSecret is created after the secrets");
    assert.ok(!("stringData" in i.spec.target.template) && !("data" in i.spec && typeof i.spec.data === "string"));
  });
}

test("a JWT verification overlap also delivers the previous key and its deadline", async () => {
  const run = await runMocked(program(30), { preview: true });
  const i = inputsOf(run.one(ES));
  assert.equal(i.spec.target.template.data.SECRET_KEY_PREVIOUS, "{{ .jwt_previous }}");
  assert.equal(i.spec.target.template.data.SECRET_KEY_PREVIOUS_VALID_UNTIL, "{{ .jwt_previous_valid_until }}");
  const prev = i.spec.data.find((d: any) => d.secretKey === "jwt_previous");
  assert.deepEqual([prev.remoteRef.key, prev.remoteRef.property], ["duespark/prod/jwt-signing-key", "previous"]);
});

test("a malformed refresh interval is rejected before anything is declared", () => {
  assert.throws(() => new SecretDelivery("d", { namespace: "duespark", clusterSecretStore: "s", refreshInterval: "hourly", secrets: {} as any }), /refreshInterval is "hourly"/);
});
