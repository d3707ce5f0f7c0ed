/**
 * Programs written elsewhere, in the style of public examples: they call
 * provider functions (caller identity, region, partition, AZs, AMI lookup,
 * policy documents, and functions no canned answer covers) and must run
 * through the preview to a verdict (exit 0 or 1), in both modes.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, test } from "node:test";
import { CliRun, explain, program, runCli, tempDir } from "./cli-harness";

const dir = tempDir("preview-foreign");
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function preview(name: string, stack: string, update: boolean) {
  const json = path.join(dir, `${name}-${update ? "update" : "preview"}.json`);
  const args = ["--stack", stack, "--program", program(name), "--quiet", "--no-progress", "--json", json];
  return { json, run: runCli(update ? [...args, "--update"] : args) };
}

const siteDry = preview("static-site", "dev", false);
const siteUpdate = preview("static-site", "dev", true);
const webDry = preview("webserver", "dev", false);
const eksUpdate = preview("eks-app", "dev", true);

async function report(p: { json: string; run: Promise<CliRun> }) {
  const run = await p.run;
  assert.ok(run.code === 0 || run.code === 1, explain(run));
  assert.doesNotMatch(run.stderr, /error:/);
  assert.match(run.stdout, /Result: (PASSED|FAILED)/);
  return JSON.parse(fs.readFileSync(p.json, "utf8"));
}

const byName = (r: { resources: { type: string; name: string; inputs: any; parent: string | null; urn: string }[] }, type: string, name: string) => {
  const found = r.resources.find((x) => x.type === type && x.name === name);
  assert.ok(found, `${type} ${name} registered`);
  return found;
};

test("S3 static site, dry run: policy documents with unknown ARNs stay unknown, known ones render", async () => {
  const r = await report(siteDry);
  assert.equal(byName(r, "aws:s3/bucketPolicy:BucketPolicy", "site").inputs.policy, "(unknown)");
  const trust = JSON.parse(byName(r, "aws:iam/role:Role", "site-deployer").inputs.assumeRolePolicy);
  assert.deepEqual(trust.Statement, [
    { Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole", Condition: { Bool: { "aws:MultiFactorAuthPresent": "true" } } },
  ]);
  assert.deepEqual(byName(r, "aws:s3/bucketObject:BucketObject", "index.html").inputs.contentType, "text/html; charset=utf-8");
  assert.equal(r.outputs.regionName, "us-west-2");
  assert.equal(r.outputs.canonicalUserIdKind, "string");
});

test("S3 static site, update: the bucket policy is real IAM JSON over the bucket's ARN", async () => {
  const r = await report(siteUpdate);
  const bucket = r.outputs.bucketName as string;
  assert.match(bucket, /^site-[0-9a-f]{7}$/);
  const policy = JSON.parse(byName(r, "aws:s3/bucketPolicy:BucketPolicy", "site").inputs.policy);
  assert.equal(policy.Version, "2012-10-17");
  assert.deepEqual(policy.Statement[0], { Sid: "PublicRead", Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `arn:aws:s3:::${bucket}/*` });
  assert.deepEqual(policy.Statement[1].Condition, { Bool: { "aws:SecureTransport": "false" } });
  assert.deepEqual(policy.Statement[1].Resource, [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`]);
  assert.equal(r.outputs.websiteEndpoint, `${bucket}.s3-website-us-west-2.amazonaws.com`);
});

test("EC2 web server and Lambda, dry run: AMI, AZ, default VPC and an uncanned function answer", async () => {
  const r = await report(webDry);
  const server = byName(r, "aws:ec2/instance:Instance", "web-server");
  assert.match(server.inputs.ami, /^ami-0[0-9a-f]{16}$/);
  assert.equal(server.inputs.availabilityZone, "eu-central-1a");
  assert.equal(server.inputs.subnetId, "subnet-0aaaaaaaaaaaaaaa1");
  assert.equal(byName(r, "aws:ec2/securityGroup:SecurityGroup", "web").inputs.vpcId, "vpc-0defaultoffline00");
  const trust = JSON.parse(byName(r, "aws:iam/role:Role", "handler").inputs.assumeRolePolicy);
  assert.deepEqual(trust.Statement[0].Principal, { Service: "lambda.amazonaws.com" });
  assert.equal(byName(r, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "handler-logs").inputs.policyArn, "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
  assert.equal(r.outputs.account, "123456789012");
  assert.equal(r.outputs.zoneCount, 4);
  // getInstanceType has no canned answer: its result type says defaultVcpus is a number.
  assert.equal(typeof r.outputs.vcpus, "number");
});

test("EKS and Kubernetes, update: cluster, provider, workload and decoded manifests", async () => {
  const r = await report(eksUpdate);
  assert.match(r.outputs.clusterName, /^cluster-[0-9a-f]{7}$/);
  assert.equal(r.outputs.addonVersionKind, "string");
  const provider = byName(r, "pulumi:providers:kubernetes", "cluster");
  assert.equal(provider.inputs.kubeconfig, "[secret]");
  const deployment = byName(r, "kubernetes:apps/v1:Deployment", "nginx");
  assert.equal(deployment.inputs.spec.replicas, 2);
  assert.equal(deployment.inputs.metadata.namespace, "apps");
  const configFile = byName(r, "kubernetes:yaml:ConfigFile", "settings");
  // Both documents of the manifest, the List expanded, are children of the ConfigFile.
  assert.equal(byName(r, "kubernetes:core/v1:ConfigMap", "apps/app-settings").parent, configFile.urn);
  assert.equal(byName(r, "kubernetes:core/v1:ServiceAccount", "apps/app").parent, configFile.urn);
  assert.equal(byName(r, "kubernetes:core/v1:ConfigMap", "apps/app-settings").inputs.data.LOG_LEVEL, "info");
});
