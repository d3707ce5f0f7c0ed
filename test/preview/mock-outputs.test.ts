/**
 * How provider functions are answered offline: canned answers for common
 * functions, result-type-shaped answers for the rest.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { answerInvoke, MockEnvironment, renderPolicyDocument } from "../../tools/preview/mock-outputs";

const env: MockEnvironment = { region: "eu-west-1", accountId: "210987654321", partition: "aws", preview: true };

test("caller identity, region, partition and AZs follow the stack's region and account", () => {
  assert.equal(answerInvoke("aws:index/getCallerIdentity:getCallerIdentity", {}, env).accountId, "210987654321");
  assert.equal(answerInvoke("aws:index/getRegion:getRegion", {}, env).region, "eu-west-1");
  assert.equal(answerInvoke("aws:index/getPartition:getPartition", {}, env).dnsSuffix, "amazonaws.com");
  const azs = answerInvoke("aws:index/getAvailabilityZones:getAvailabilityZones", {}, { ...env, region: "us-east-1" });
  assert.deepEqual(azs.names, ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]);
  assert.deepEqual(azs.zoneIds, ["use1-az1", "use1-az2", "use1-az3", "use1-az4"]);
});

test("getAmi answers one consistent image id; getAmiIds lists it", () => {
  const ami = answerInvoke("aws:ec2/getAmi:getAmi", { owners: ["amazon"], mostRecent: true }, env);
  assert.match(String(ami.id), /^ami-0[0-9a-f]{16}$/);
  assert.equal(ami.imageId, ami.id);
  assert.deepEqual(answerInvoke("aws:ec2/getAmiIds:getAmiIds", { owners: ["amazon"], mostRecent: true }, env).ids, [ami.id]);
  // Fields the canned answer leaves out still come back, typed from the SDK's result type.
  assert.deepEqual(ami.blockDeviceMappings, []);
});

test("an uncanned function answers every required field with its type, inputs echoed", () => {
  const r = answerInvoke("aws:ec2/getInstanceType:getInstanceType", { instanceType: "m7g.large" }, env);
  assert.equal(r.instanceType, "m7g.large");
  assert.equal(r.defaultVcpus, 0);
  assert.equal(r.bareMetal, false);
  assert.deepEqual(r.supportedArchitectures, []);
  const addon = answerInvoke("aws:eks/getAddonVersion:getAddonVersion", { addonName: "vpc-cni", kubernetesVersion: "1.31" }, env);
  assert.equal(typeof addon.version, "string");
  assert.equal(addon.addonName, "vpc-cni");
  // Not a function of an installed SDK: nothing to shape, an empty answer.
  assert.deepEqual(answerInvoke("nosuch:mod/getThing:getThing", {}, env), {});
});

test("getPolicyDocument renders the JSON AWS would, single values unwrapped", () => {
  const doc = JSON.parse(
    renderPolicyDocument({
      statements: [
        { sid: "A", actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"], principals: [{ type: "AWS", identifiers: ["arn:aws:iam::1:root"] }] },
        { effect: "Deny", notActions: ["iam:*"], resources: ["*"], conditions: [{ test: "StringNotEquals", variable: "aws:RequestedRegion", values: ["eu-west-1", "eu-central-1"] }] },
      ],
    }),
  );
  assert.deepEqual(doc, {
    Version: "2012-10-17",
    Statement: [
      { Sid: "A", Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" }, Action: "s3:GetObject", Resource: ["arn:aws:s3:::b/*", "arn:aws:s3:::b"] },
      { Effect: "Deny", NotAction: "iam:*", Resource: "*", Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1", "eu-central-1"] } } },
    ],
  });
});

test("Kubernetes manifests are decoded, List kinds expanded", () => {
  const text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n---\n---\napiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Secret, metadata: {name: b}}\n";
  const r = answerInvoke("kubernetes:yaml:decode", { text }, env);
  assert.deepEqual((r.result as { kind: string }[]).map((o) => o.kind), ["ConfigMap", "Secret"]);
  assert.deepEqual(answerInvoke("kubernetes:helm:template", { jsonOpts: "{}" }, env).result, []);
});
