/**
 * Proof: every Kubernetes object the prod stack renders is valid against
 * the Kubernetes API JSON schemas (kubernetes-models), and ExternalSecrets
 * against the External Secrets Operator CRD schema
 * (@kubernetes-models/external-secrets). Manifests are rebuilt from the
 * captured resources of an update-mode run: type token -> apiVersion/kind,
 * plus the inputs.
 */
import * as assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { CapturedResource } from "../../tools/preview/engine";
import { inputsOf, ROOT, runMocked, UNKNOWN } from "../support/mocks";

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [k: string]: unknown };
  [k: string]: unknown;
}

/** "kubernetes:apps/v1:Deployment" -> apps/v1 Deployment; the core group has no prefix ("v1"). */
export function manifestOf(r: CapturedResource): Manifest {
  const [, groupVersion, kind] = r.type.split(":");
  const [group, version] = groupVersion.split("/");
  const apiVersion = group === "core" ? version : `${group}/${version}`;
  const inputs = inputsOf(r);
  return { ...inputs, apiVersion, kind };
}

type ModelClass = new (data: unknown) => { validate(): void };

// The ESO models are ES modules only; TypeScript's CommonJS output would turn import() into require().
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, unknown>>;
const models = new Map<string, ModelClass>();

/** Loads the model class of a manifest: Kubernetes API types, or ESO's CRDs. */
async function loadModel(m: Manifest): Promise<void> {
  const key = `${m.apiVersion} ${m.kind}`;
  if (models.has(key)) return;
  const [group, version] = m.apiVersion.includes("/") ? m.apiVersion.split("/") : ["", m.apiVersion];
  const mod = group.endsWith("external-secrets.io")
    ? await importEsm(`@kubernetes-models/external-secrets/${group}/${version}`)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    : (require(`kubernetes-models/${group ? `${group}/` : ""}${version}/${m.kind}`) as Record<string, unknown>);
  const cls = mod[m.kind] as ModelClass | undefined;
  if (!cls) throw new Error(`no schema model for ${key}`);
  models.set(key, cls);
}

function validate(m: Manifest): void {
  const Model = models.get(`${m.apiVersion} ${m.kind}`);
  if (!Model) throw new Error(`model for ${m.apiVersion} ${m.kind} not loaded`);
  new Model(m).validate();
}

/** Asserts that validation fails with a schema error (not a loading or programming error). */
function assertInvalid(m: Manifest, path: RegExp): void {
  assert.throws(() => validate(m), (e: Error) => {
    assert.match(e.message, path);
    return true;
  });
}

let manifests: Manifest[];

before(async () => {
  const run = await runMocked(ROOT, { preview: false, stack: "prod" });
  manifests = run.resources.filter((r) => r.type.startsWith("kubernetes:") && r.custom).map(manifestOf);
  for (const m of manifests) await loadModel(m);
});

describe("Kubernetes objects of the prod stack", () => {
  it("renders the API objects of the workload", () => {
    const kinds = manifests.map((m) => `${m.apiVersion} ${m.kind}`).sort();
    for (const expected of ["apps/v1 Deployment", "v1 Namespace", "v1 Service", "networking.k8s.io/v1 Ingress", "networking.k8s.io/v1 NetworkPolicy", "policy/v1 PodDisruptionBudget"]) {
      assert.ok(kinds.includes(expected), `${expected} missing from ${kinds.join(", ")}`);
    }
    assert.ok(kinds.some((k) => /^external-secrets\.io\/v1(beta1)? ExternalSecret$/.test(k)), kinds.join(", "));
  });

  it("has no unknown values left in update mode", () => {
    assert.ok(!JSON.stringify(manifests).includes(UNKNOWN));
  });

  it("every object validates against its API schema", () => {
    const failures: string[] = [];
    for (const m of manifests) {
      try {
        validate(m);
      } catch (e) {
        failures.push(`${m.apiVersion} ${m.kind} ${m.metadata?.name ?? "?"}: ${(e as Error).message}`);
      }
    }
    assert.deepEqual(failures, []);
    assert.ok(manifests.length >= 7);
  });

  it("the ExternalSecret validates against the ESO schema and reads the declared store", () => {
    const es = manifests.filter((m) => m.kind === "ExternalSecret");
    assert.ok(es.length >= 1);
    for (const m of es) {
      validate(m);
      const spec = m.spec as { secretStoreRef: { kind: string; name: string }; refreshInterval: string };
      assert.deepEqual(spec.secretStoreRef, { kind: "ClusterSecretStore", name: "aws-secrets-manager" });
      assert.equal(spec.refreshInterval, "1h");
    }
  });
});

describe("the validators reject broken objects (they can fail)", () => {
  it("a Deployment with a string replica count and a container without a name", () => {
    const d = manifests.find((m) => m.kind === "Deployment")!;
    const broken = structuredClone(d) as any;
    broken.spec.replicas = "three";
    validate(d);
    assertInvalid(broken, /replicas/);
    const unnamed = structuredClone(d) as any;
    delete unnamed.spec.template.spec.containers[0].name;
    assertInvalid(unnamed, /name/);
  });

  it("an ExternalSecret with an unknown store kind or without remote keys", () => {
    const es = manifests.find((m) => m.kind === "ExternalSecret")!;
    const badKind = structuredClone(es) as any;
    badKind.spec.secretStoreRef.kind = "VaultStore";
    validate(es);
    assertInvalid(badKind, /kind/);
    const noKey = structuredClone(es) as any;
    const entries = noKey.spec.data ?? noKey.spec.dataFrom;
    if (noKey.spec.data) delete entries[0].remoteRef.key;
    else delete entries[0].extract.key;
    assertInvalid(noKey, /key/);
  });

  it("a NetworkPolicy with an unknown policy type", () => {
    const np = manifests.find((m) => m.kind === "NetworkPolicy")!;
    const broken = structuredClone(np) as any;
    broken.spec.policyTypes = ["Sideways"];
    validate(np);
    assertInvalid(broken, /policyTypes/);
  });
});
