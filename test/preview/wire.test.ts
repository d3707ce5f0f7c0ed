/**
 * The preview encodes Analyze / AnalyzeStack requests itself
 * (tools/preview/wire.ts); the pack must receive byte for byte what the
 * generated google-protobuf messages would have carried.
 */
import assert from "node:assert/strict";
import * as path from "path";
import { test } from "node:test";
import { AnalyzerResourceInput, PolicyPackProcess } from "../../tools/preview/analyzer";
import { SECRET_SIG_KEY, SECRET_SIG_VALUE } from "../../tools/preview/engine";
import { UNKNOWN } from "../../tools/preview/mock-outputs";
import { toAnalyzerInputs } from "../../tools/preview/resources";
import { encodeStruct } from "../../tools/preview/wire";
import { syntheticStack, toCaptured } from "../../tools/bench/synthetic";

/* eslint-disable @typescript-eslint/no-require-imports, @typescript-eslint/no-explicit-any */
const sdkRoot = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const analyzerPb = require(path.join(sdkRoot, "proto", "analyzer_pb"));
const structPb = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdkRoot] }));

const reference = (obj: unknown) => Buffer.from(structPb.Struct.fromJavaScript(obj).serializeBinary());

test("Struct bytes equal google-protobuf's for every kind of value", () => {
  const long = "x".repeat(20_000);
  const cases: Record<string, unknown>[] = [
    {},
    { b: 1, a: 2, C: 3, "ä": 4, _: 5, "10": 6, "9": 7 },
    { zero: 0, negZero: -0, nan: NaN, inf: Infinity, ninf: -Infinity, tiny: 5e-324, big: 1e300, frac: -12.375, int: 2555 },
    { t: true, f: false, n: null, s: "", u: "ünïcødé ✓ 🔐", nl: "a\nb\u0000c" },
    { list: [], nested: { deeper: { deepest: [1, "two", false, null, { k: [[], {}] }] } } },
    { secret: { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value: "s3cr3t" }, unknown: UNKNOWN, arr: [UNKNOWN, { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value: [1, 2] }] },
    { long, longList: Array.from({ length: 300 }, (_, i) => ({ i, s: `item-${i}` })), longKey: { [long.slice(0, 200)]: long.slice(0, 150) } },
  ];
  for (const c of cases) assert.deepEqual(encodeStruct(c), reference(c), JSON.stringify(c).slice(0, 80));
});

test("values google-protobuf rejects are rejected the same way", () => {
  assert.throws(() => reference({ f: () => 1 }), /Unexpected struct type/);
  assert.throws(() => encodeStruct({ f: () => 1 }), /Unexpected struct type/);
  assert.throws(() => encodeStruct({ u: undefined }), /Unexpected struct type/);
});

/** What the analyzer client sent before it encoded requests itself: the generated messages. */
function referenceOptions(r: AnalyzerResourceInput): any {
  const o = new analyzerPb.AnalyzerResourceOptions();
  o.setProtect(r.options.protect);
  o.setIgnorechangesList(r.options.ignoreChanges);
  o.setDeletebeforereplace(r.options.deleteBeforeReplace);
  o.setDeletebeforereplacedefined(r.options.deleteBeforeReplace);
  o.setAdditionalsecretoutputsList(r.options.additionalSecretOutputs);
  o.setAliasesList(r.options.aliases);
  if (r.options.parent) o.setParent(r.options.parent);
  return o;
}

function referenceProvider(r: AnalyzerResourceInput): any {
  if (!r.provider) return undefined;
  const p = new analyzerPb.AnalyzerProviderResource();
  p.setType(r.provider.type);
  p.setUrn(r.provider.urn);
  p.setName(r.provider.name);
  p.setProperties(structPb.Struct.fromJavaScript(r.provider.properties));
  return p;
}

function referenceAnalyze(r: AnalyzerResourceInput): Buffer {
  const req = new analyzerPb.AnalyzeRequest();
  req.setType(r.type);
  req.setUrn(r.urn);
  req.setName(r.name);
  req.setProperties(structPb.Struct.fromJavaScript(r.properties));
  req.setOptions(referenceOptions(r));
  const provider = referenceProvider(r);
  if (provider) req.setProvider(provider);
  return Buffer.from(req.serializeBinary());
}

function referenceAnalyzeStack(resources: AnalyzerResourceInput[]): Buffer {
  const req = new analyzerPb.AnalyzeStackRequest();
  req.setResourcesList(
    resources.map((r) => {
      const a = new analyzerPb.AnalyzerResource();
      a.setType(r.type);
      a.setUrn(r.urn);
      a.setName(r.name);
      a.setProperties(structPb.Struct.fromJavaScript(r.properties));
      a.setOptions(referenceOptions(r));
      const provider = referenceProvider(r);
      if (provider) a.setProvider(provider);
      if (r.parent) a.setParent(r.parent);
      a.setDependenciesList(r.dependencies);
      const pd = a.getPropertydependenciesMap();
      for (const [k, urns] of Object.entries(r.propertyDependencies)) {
        const deps = new analyzerPb.AnalyzerPropertyDependencies();
        deps.setUrnsList(urns);
        pd.set(k, deps);
      }
      return a;
    }),
  );
  return Buffer.from(req.serializeBinary());
}

/** A client whose transport records the request bytes instead of sending them. */
function recordingClient(): { proc: PolicyPackProcess; sent: Buffer[] } {
  const sent: Buffer[] = [];
  const proc = Object.create(PolicyPackProcess.prototype) as any;
  proc.encoded = new WeakMap();
  proc.call = async (_method: string, req: Buffer) => {
    sent.push(Buffer.from(req));
    return new analyzerPb.AnalyzeResponse();
  };
  return { proc, sent };
}

const ctx = { stack: "bench", project: "duespark-bench", config: { "aws:region": "us-east-1", "aws:defaultTags": '{"tags":{"Project":"duespark"}}' }, secretKeys: [] };

test("Analyze and AnalyzeStack requests are byte-identical to the generated messages", async () => {
  const captured = toCaptured(syntheticStack(400).resources, ctx.stack, ctx.project);
  // One explicit provider and a resource using it, besides default providers and components.
  captured.push({ ...captured[1], urn: "urn:pulumi:bench::duespark-bench::pulumi:providers:aws::dr", type: "pulumi:providers:aws", name: "dr", custom: true, id: "prov-id", inputs: { region: "us-west-2" }, parent: undefined });
  captured.push({ ...captured[2], urn: `${captured[2].urn}-dr`, provider: "urn:pulumi:bench::duespark-bench::pulumi:providers:aws::dr::prov-id", protect: true, ignoreChanges: ["tags"], aliases: ["urn:old"], deleteBeforeReplace: true });
  const inputs = toAnalyzerInputs(captured, ctx);
  assert.ok(inputs.some((r) => r.provider?.name === "dr") && inputs.some((r) => r.provider?.name === "default") && inputs.some((r) => !r.provider));

  const { proc, sent } = recordingClient();
  for (const r of inputs) await proc.analyze(r);
  inputs.forEach((r, i) => assert.deepEqual(sent[i], referenceAnalyze(r), r.urn));

  await proc.analyzeStack(inputs);
  const stackBytes = sent[sent.length - 1];
  assert.deepEqual(stackBytes, referenceAnalyzeStack(inputs));
  // And the pack's decoder reads the resources back with their links.
  const decoded = analyzerPb.AnalyzeStackRequest.deserializeBinary(new Uint8Array(stackBytes));
  const withDeps = inputs.findIndex((r) => Object.keys(r.propertyDependencies).length > 1 && r.dependencies.length > 0);
  const d = decoded.getResourcesList()[withDeps];
  assert.equal(d.getUrn(), inputs[withDeps].urn);
  assert.deepEqual(d.getDependenciesList(), inputs[withDeps].dependencies);
  assert.deepEqual(d.getProperties().toJavaScript(), structPb.Struct.fromJavaScript(inputs[withDeps].properties).toJavaScript());
});
