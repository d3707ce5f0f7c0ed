/**
 * What the mock engine answers for resources and provider functions.
 *
 * Update mode: realistic outputs (ARNs in the stack's partition, region and
 * account, ids shaped like the provider's). Preview (dry-run) mode: computed
 * outputs are unknown, exactly as a real `pulumi preview` shows them, so
 * programs and policies meet the same unknowns they meet in CI.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { parseAllDocuments } from "yaml";

/** The SDK's wire sentinel for an unknown value; the SDK turns it into an unknown Output in dry runs. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export interface MockEnvironment {
  /** Region of the default AWS provider (aws:region). */
  region: string;
  accountId: string;
  partition: string;
  preview: boolean;
  /** Directory the program's provider SDKs resolve from (for result shapes of unlisted invokes). */
  resolveFrom?: string;
  /** Engine config of the stack (namespaced keys, structured values as JSON text). */
  config?: Record<string, string>;
}

export const DEFAULT_ACCOUNT_ID = "123456789012";

/** Deterministic pseudo-random hex, so repeated runs of a stack produce identical plans. */
function hex(seed: string, length: number): string {
  let out = "";
  for (let i = 0; out.length < length; i++) out += createHash("sha256").update(`${seed}#${i}`).digest("hex");
  return out.slice(0, length);
}

function uuid(seed: string): string {
  const h = hex(seed, 32);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

const SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
function secretSuffix(seed: string): string {
  const h = hex(seed, 12);
  let s = "";
  for (let i = 0; i < 6; i++) s += SUFFIX_ALPHABET[parseInt(h.slice(i * 2, i * 2 + 2), 16) % SUFFIX_ALPHABET.length];
  return s;
}

/** The physical name AWS would use: the explicit name input, or Pulumi's auto-name (logical name + 7 hex chars). */
function physicalName(args: pulumi.runtime.MockResourceArgs, key = "name"): string {
  const explicit = args.inputs?.[key];
  if (typeof explicit === "string" && explicit.length > 0) return explicit;
  return `${args.name}-${hex(args.name + args.type, 7)}`;
}

interface Computed {
  id: string;
  state: Record<string, unknown>;
}

/**
 * Computed outputs per resource type. Anything not listed gets a generic
 * id and, for AWS types, a generic ARN in the resource's service.
 */
function computedFor(args: pulumi.runtime.MockResourceArgs, env: MockEnvironment, region: string): Computed {
  const { type } = args;
  const seed = `${type}::${args.name}`;
  const acct = env.accountId;
  const p = env.partition;
  const arn = (service: string, resource: string, r: string = region, a: string = acct) => `arn:${p}:${service}:${r}:${a}:${resource}`;
  switch (type) {
    case "aws:kms/key:Key":
    case "aws:kms/replicaKey:ReplicaKey": {
      const keyId = args.inputs?.primaryKeyArn ? String(args.inputs.primaryKeyArn).split("/").pop()! : args.inputs?.multiRegion ? `mrk-${hex(seed, 32)}` : uuid(seed);
      return { id: keyId, state: { keyId, arn: arn("kms", `key/${keyId}`) } };
    }
    case "aws:kms/alias:Alias": {
      const name = physicalName(args);
      return { id: name, state: { arn: arn("kms", name), targetKeyArn: args.inputs?.targetKeyId } };
    }
    case "aws:secretsmanager/secret:Secret": {
      const name = physicalName(args);
      const a = arn("secretsmanager", `secret:${name}-${secretSuffix(seed)}`);
      return { id: a, state: { arn: a, name } };
    }
    case "aws:secretsmanager/secretVersion:SecretVersion":
      return { id: `${args.inputs?.secretId ?? "secret"}|${uuid(seed)}`, state: { versionId: uuid(seed), arn: args.inputs?.secretId } };
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2": {
      const bucket = physicalName(args, "bucket");
      return {
        id: bucket,
        state: { bucket, arn: `arn:${p}:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com`, bucketRegionalDomainName: `${bucket}.s3.${region}.amazonaws.com`, region },
      };
    }
    case "aws:iam/role:Role":
    case "aws:iam/group:Group":
    case "aws:iam/user:User":
    case "aws:iam/policy:Policy":
    case "aws:iam/instanceProfile:InstanceProfile": {
      const kind = { Role: "role", Group: "group", User: "user", Policy: "policy", InstanceProfile: "instance-profile" }[type.split(":").pop()!]!;
      const name = physicalName(args);
      const path = typeof args.inputs?.path === "string" ? args.inputs.path : "/";
      return { id: kind === "policy" ? `arn:${p}:iam::${acct}:policy${path}${name}` : name, state: { name, arn: `arn:${p}:iam::${acct}:${kind}${path}${name}`, uniqueId: `AROA${hex(seed, 17).toUpperCase()}` } };
    }
    case "aws:rds/instance:Instance": {
      const identifier = physicalName(args, "identifier");
      const address = `${identifier}.c${hex(seed, 11)}.${region}.rds.amazonaws.com`;
      const port = args.inputs?.port ?? 5432;
      return {
        id: `db-${hex(seed, 26).toUpperCase()}`,
        state: {
          identifier, address, port, endpoint: `${address}:${port}`, arn: arn("rds", `db:${identifier}`),
          resourceId: `db-${hex(seed, 26).toUpperCase()}`, hostedZoneId: "Z2R2ITUGPM61AM",
          masterUserSecrets: args.inputs?.manageMasterUserPassword
            ? [{ secretArn: arn("secretsmanager", `secret:rds!db-${uuid(seed)}-${secretSuffix(seed + "m")}`), secretStatus: "active", kmsKeyId: args.inputs?.masterUserSecretKmsKeyId }]
            : [],
        },
      };
    }
    case "aws:rds/parameterGroup:ParameterGroup":
    case "aws:rds/subnetGroup:SubnetGroup": {
      const name = physicalName(args);
      return { id: name, state: { name, arn: arn("rds", `${type.includes("parameter") ? "pg" : "subgrp"}:${name}`) } };
    }
    case "aws:ec2/instance:Instance": {
      const id = `i-0${hex(seed, 16)}`;
      const n = parseInt(hex(seed + "ip", 4), 16);
      const privateIp = `172.31.${(n >> 8) % 256}.${(n % 250) + 4}`;
      const publicIp = `3.${(n >> 8) % 256}.${n % 256}.${(n % 200) + 10}`;
      return {
        id,
        state: {
          arn: arn("ec2", `instance/${id}`), privateIp, publicIp, instanceState: "running",
          privateDns: `ip-${privateIp.replace(/\./g, "-")}.${region}.compute.internal`, publicDns: `ec2-${publicIp.replace(/\./g, "-")}.${region}.compute.amazonaws.com`,
          primaryNetworkInterfaceId: `eni-0${hex(seed + "eni", 16)}`,
        },
      };
    }
    case "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration": {
      const bucket = String(args.inputs?.bucket ?? physicalName(args));
      return { id: bucket, state: { websiteEndpoint: `${bucket}.s3-website-${region}.amazonaws.com`, websiteDomain: `s3-website-${region}.amazonaws.com` } };
    }
    case "aws:eks/cluster:Cluster": {
      const name = physicalName(args);
      return {
        id: name,
        state: {
          name, arn: arn("eks", `cluster/${name}`), endpoint: `https://${hex(seed, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
          certificateAuthority: { data: Buffer.from(`offline certificate authority for ${name}`).toString("base64") }, status: "ACTIVE", platformVersion: "eks.1",
          identities: [{ oidcs: [{ issuer: `https://oidc.eks.${region}.amazonaws.com/id/${hex(seed + "oidc", 32).toUpperCase()}` }] }],
        },
      };
    }
    case "aws:ec2/vpc:Vpc":
      return { id: `vpc-${hex(seed, 17)}`, state: { arn: arn("ec2", `vpc/vpc-${hex(seed, 17)}`), defaultSecurityGroupId: `sg-${hex(seed + "d", 17)}`, mainRouteTableId: `rtb-${hex(seed, 17)}` } };
    case "aws:ec2/subnet:Subnet":
      return { id: `subnet-${hex(seed, 17)}`, state: { arn: arn("ec2", `subnet/subnet-${hex(seed, 17)}`) } };
    case "aws:ec2/securityGroup:SecurityGroup":
      return { id: `sg-${hex(seed, 17)}`, state: { arn: arn("ec2", `security-group/sg-${hex(seed, 17)}`), name: physicalName(args) } };
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return { id: `vpce-${hex(seed, 17)}`, state: { arn: arn("ec2", `vpc-endpoint/vpce-${hex(seed, 17)}`), dnsEntries: [] } };
    case "aws:sns/topic:Topic": {
      const name = physicalName(args);
      return { id: arn("sns", name), state: { arn: arn("sns", name), name } };
    }
    case "aws:sns/topicSubscription:TopicSubscription":
      return { id: `${args.inputs?.topic ?? arn("sns", "topic")}:${uuid(seed)}`, state: { arn: `${args.inputs?.topic ?? arn("sns", "topic")}:${uuid(seed)}` } };
    case "aws:lambda/function:Function": {
      const name = physicalName(args);
      return { id: name, state: { arn: arn("lambda", `function:${name}`), invokeArn: `arn:${p}:apigateway:${region}:lambda:path/2015-03-31/functions/${arn("lambda", `function:${name}`)}/invocations`, qualifiedArn: arn("lambda", `function:${name}:$LATEST`), version: "$LATEST" } };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const name = physicalName(args);
      return { id: name, state: { arn: arn("logs", `log-group:${name}`), name } };
    }
    case "aws:cloudwatch/metricAlarm:MetricAlarm": {
      const name = physicalName(args);
      return { id: name, state: { arn: arn("cloudwatch", `alarm:${name}`), name } };
    }
    case "aws:cloudwatch/eventRule:EventRule": {
      const name = physicalName(args);
      return { id: `default/${name}`, state: { arn: arn("events", `rule/${name}`), name } };
    }
    case "aws:backup/vault:Vault": {
      const name = physicalName(args);
      return { id: name, state: { arn: arn("backup", `backup-vault:${name}`), name, recoveryPoints: 0 } };
    }
    case "aws:backup/plan:Plan": {
      const id = uuid(seed);
      return { id, state: { arn: arn("backup", `backup-plan:${id}`), version: hex(seed, 32) } };
    }
    case "aws:cloudtrail/trail:Trail": {
      const name = physicalName(args);
      return { id: name, state: { arn: arn("cloudtrail", `trail/${name}`), homeRegion: region } };
    }
    case "aws:ssm/document:Document": {
      const name = physicalName(args);
      return { id: name, state: { arn: arn("ssm", `document/${name}`), name } };
    }
    case "aws:route53/record:Record": {
      const fqdn = String(args.inputs?.name ?? args.name).replace(/\.$/, "");
      return { id: `${String(args.inputs?.zoneId ?? "Z")}_${fqdn}_${String(args.inputs?.type ?? "A")}${args.inputs?.setIdentifier ? `_${String(args.inputs.setIdentifier)}` : ""}`, state: { fqdn } };
    }
    case "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
      // The id is the ARN of the replicated automated backups in the destination region.
      return { id: arn("rds", `auto-backup:ab-${hex(seed, 26)}`), state: {} };
    case "aws:route53/healthCheck:HealthCheck":
      return { id: uuid(seed), state: { arn: `arn:${p}:route53:::healthcheck/${uuid(seed)}` } };
    case "aws:route53/zone:Zone":
      return { id: `Z${hex(seed, 20).toUpperCase()}`, state: { zoneId: `Z${hex(seed, 20).toUpperCase()}`, arn: `arn:${p}:route53:::hostedzone/Z${hex(seed, 20).toUpperCase()}`, nameServers: ["ns-1.awsdns-01.org"] } };
    case "aws:guardduty/detector:Detector":
      return { id: hex(seed, 32), state: { arn: arn("guardduty", `detector/${hex(seed, 32)}`), accountId: acct } };
    case "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration":
      return { id: arn("chatbot", `chat-configuration/slack-channel/${physicalName(args, "configurationName")}`, "", acct), state: { chatConfigurationArn: arn("chatbot", `chat-configuration/slack-channel/${physicalName(args, "configurationName")}`, "", acct) } };
    case "pagerduty:index/service:Service":
    case "pagerduty:index/schedule:Schedule":
    case "pagerduty:index/escalationPolicy:EscalationPolicy":
    case "pagerduty:index/serviceIntegration:ServiceIntegration": {
      const id = `P${hex(seed, 6).toUpperCase()}`;
      const extra: Record<string, unknown> = type.endsWith("ServiceIntegration")
        ? { integrationKey: hex(seed + "key", 32), integrationEmail: `${id.toLowerCase()}@duespark.pagerduty.com` }
        : { htmlUrl: `https://duespark.pagerduty.com/${type.split(":").pop()!.toLowerCase()}s/${id}` };
      return { id, state: extra };
    }
  }
  if (type.startsWith("kubernetes:")) {
    const meta = (args.inputs?.metadata ?? {}) as Record<string, unknown>;
    const name = typeof meta.name === "string" ? meta.name : physicalName(args);
    const ns = typeof meta.namespace === "string" ? meta.namespace : undefined;
    const state: Record<string, unknown> = { metadata: { ...meta, name, uid: uuid(seed) } };
    // The ingress controller publishes its load balancer (a network load balancer in the stack's region).
    if (type === "kubernetes:networking.k8s.io/v1:Ingress") state.status = { loadBalancer: { ingress: [{ hostname: `k8s-ingress-${hex(seed, 10)}-${hex(seed + "lb", 16)}.elb.${region}.amazonaws.com` }] } };
    return { id: ns ? `${ns}/${name}` : name, state };
  }
  if (type.startsWith("postgresql:")) {
    return { id: String(args.inputs?.name ?? args.inputs?.role ?? args.name), state: {} };
  }
  if (type.startsWith("aws:")) {
    // aws:<module>/<resource>:<Name> -> generic ARN in that service.
    const module = type.slice(4, type.indexOf("/"));
    const id = `${args.name}-${hex(seed, 8)}`;
    // The provider auto-names resources that take a name; outputs the type does not declare are ignored by the SDK.
    return { id, state: { arn: arn(module, `${type.split(":").pop()!.toLowerCase()}/${id}`), name: physicalName(args) } };
  }
  return { id: `${args.name}-${hex(seed, 8)}`, state: {} };
}

/** Replaces every computed value with the unknown sentinel (a preview does not know them yet). */
function unknownOutputs(computed: Computed): Computed {
  const state: Record<string, unknown> = {};
  for (const key of Object.keys(computed.state)) state[key] = UNKNOWN;
  return { id: "", state };
}

/**
 * Region a resource lives in: its explicit provider's region, otherwise the
 * stack's. Explicit providers are remembered as they are registered.
 */
export class MockAnswers implements pulumi.runtime.Mocks {
  private readonly providerRegions = new Map<string, string>();

  constructor(private readonly env: MockEnvironment) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    if (args.type === STACK_REFERENCE_TYPE) {
      // A read of existing state: known in a preview too.
      const name = String(args.inputs?.name ?? args.id ?? args.name);
      return { id: name, state: { name, outputs: stackReferenceOutputs(name, this.env.config ?? {}), secretOutputNames: [] } };
    }
    if (args.type.startsWith("pulumi:providers:")) {
      const id = uuid(`${args.type}::${args.name}`);
      return { id, state: { ...args.inputs } };
    }
    const region = this.regionOf(args.provider);
    let computed = computedFor(args, this.env, region);
    if (this.env.preview) computed = unknownOutputs(computed);
    // Inputs echo back as outputs (what the engine does for known inputs); computed outputs are added.
    return { id: computed.id || undefined, state: { ...args.inputs, ...computed.state } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return answerInvoke(args.token, args.inputs ?? {}, { ...this.env, region: this.regionOf(args.provider) });
  }

  /** Called by the capture layer with each registered provider's reference and inputs. */
  rememberProvider(ref: string, inputs: Record<string, unknown>): void {
    if (typeof inputs.region === "string") this.providerRegions.set(ref, inputs.region);
  }

  regionOf(providerRef: string | undefined): string {
    return (providerRef && this.providerRegions.get(providerRef)) || this.env.region;
  }
}

type Json = Record<string, unknown>;

export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

/**
 * Offline there is no state backend. A stack that references another one
 * keeps the values it relies on in its config as a fallback: any config
 * object with `primaryStack: <the referenced name>` and a `primaryOutputs`
 * map (duespark-ops:dr does). Those values, already in this stack's
 * region, are the referenced stack's outputs here; otherwise it has none.
 */
export function stackReferenceOutputs(name: string, config: Record<string, string>): Json {
  for (const text of Object.values(config)) {
    if (!/^\s*\{/.test(text)) continue;
    try {
      const value = JSON.parse(text) as Json;
      if (value?.primaryStack === name && value.primaryOutputs && typeof value.primaryOutputs === "object") return { ...(value.primaryOutputs as Json) };
    } catch {
      // Not structured config.
    }
  }
  return {};
}

/**
 * Plausible answers for the provider functions programs call, so that
 * programs written elsewhere (public examples) run instead of crashing:
 * a canned answer for the common ones, laid over a value for every
 * required field of the function's result type (read from the provider
 * SDK's generated typings), so that unlisted functions answer in shape too.
 */
export function answerInvoke(token: string, inputs: Json, env: MockEnvironment): Json {
  const canned = Object.entries(cannedInvoke(token, inputs, env)).filter(([, v]) => v !== undefined);
  return { ...shapedInvoke(token, inputs, env), ...Object.fromEntries(canned) };
}

function cannedInvoke(token: string, inputs: Json, env: MockEnvironment): Json {
  const { region, accountId, partition } = env;
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return { accountId, arn: `arn:${partition}:sts::${accountId}:assumed-role/deployer/offline-preview`, userId: "AROAEXAMPLEOFFLINE:offline-preview", id: accountId };
    case "aws:index/getRegion:getRegion":
      return { name: region, region, id: region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
    case "aws:index/getPartition:getPartition":
      return { partition, dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: partition };
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const names = ["a", "b", "c", "d"].map((s) => `${region}${s}`);
      // us-east-1 -> use1-az1 (the AZ id format).
      const short = region.replace(/-([a-z])[a-z]*-?/g, "$1").replace(/-/g, "");
      return { names, zoneIds: names.map((_, i) => `${short}-az${i + 1}`), id: region, groupNames: [region], state: inputs.state ?? "available" };
    }
    case "aws:ec2/getAmi:getAmi":
    case "aws:ec2/getAmiIds:getAmiIds": {
      const ami = `ami-0${hex(region + JSON.stringify(inputs), 16)}`;
      const owner = Array.isArray(inputs.owners) && typeof inputs.owners[0] === "string" && /^\d{12}$/.test(inputs.owners[0]) ? inputs.owners[0] : "137112412989";
      return {
        id: token.endsWith("getAmiIds") ? region : ami, ids: [ami], imageId: ami, architecture: "x86_64",
        name: "al2023-ami-2023.6.20241212.0-kernel-6.1-x86_64", ownerId: owner, rootDeviceName: "/dev/xvda",
        arn: `arn:${partition}:ec2:${region}::image/${ami}`, state: "available", virtualizationType: "hvm", platform: "", public: true,
      };
    }
    case "aws:ec2/getSubnet:getSubnet":
      return { id: inputs.id ?? "subnet-0aaaaaaaaaaaaaaa1", vpcId: inputs.vpcId ?? "vpc-0defaultoffline00", cidrBlock: "172.31.0.0/20", availabilityZone: `${region}a`, arn: `arn:${partition}:ec2:${region}:${accountId}:subnet/subnet-0aaaaaaaaaaaaaaa1` };
    case "aws:ec2/getSecurityGroup:getSecurityGroup":
      return { id: inputs.id ?? "sg-0defaultoffline00", name: inputs.name ?? "default", vpcId: "vpc-0defaultoffline00", arn: `arn:${partition}:ec2:${region}:${accountId}:security-group/sg-0defaultoffline00` };
    case "aws:iam/getRole:getRole":
      return { name: inputs.name, id: inputs.name, arn: `arn:${partition}:iam::${accountId}:role/${inputs.name}`, path: "/", uniqueId: `AROA${hex(String(inputs.name), 17).toUpperCase()}` };
    case "aws:iam/getPolicy:getPolicy": {
      const name = String(inputs.name ?? String(inputs.arn ?? "").split("/").pop() ?? "policy");
      const arn = typeof inputs.arn === "string" ? inputs.arn : `arn:${partition}:iam::${accountId}:policy/${name}`;
      return { name, arn, id: arn, path: "/", policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }) };
    }
    case "aws:kms/getKey:getKey":
    case "aws:kms/getAlias:getAlias": {
      const keyId = uuid(`${token}::${JSON.stringify(inputs)}`);
      const arn = `arn:${partition}:kms:${region}:${accountId}:key/${keyId}`;
      return { id: keyId, keyId, arn, targetKeyId: keyId, targetKeyArn: arn, name: inputs.name, enabled: true, keyState: "Enabled" };
    }
    case "aws:elb/getServiceAccount:getServiceAccount":
      return { id: "127311923021", arn: `arn:${partition}:iam::127311923021:root` };
    case "aws:eks/getClusterAuth:getClusterAuth":
      return { id: inputs.name, name: inputs.name, token: "offline-eks-token" };
    case "aws:cloudfront/getCachePolicy:getCachePolicy":
    case "aws:cloudfront/getOriginRequestPolicy:getOriginRequestPolicy":
    case "aws:cloudfront/getResponseHeadersPolicy:getResponseHeadersPolicy":
      return { id: uuid(`${token}::${String(inputs.name ?? inputs.id)}`), name: inputs.name };
    case "aws:ec2/getVpc:getVpc":
      return { id: "vpc-0defaultoffline00", cidrBlock: "172.31.0.0/16", arn: `arn:${partition}:ec2:${region}:${accountId}:vpc/vpc-0defaultoffline00`, default: true };
    case "aws:ec2/getSubnets:getSubnets":
    case "aws:ec2/getSubnetIds:getSubnetIds":
      return { ids: ["subnet-0aaaaaaaaaaaaaaa1", "subnet-0aaaaaaaaaaaaaaa2"], id: region };
    case "aws:iam/getPolicyDocument:getPolicyDocument":
      return { json: renderPolicyDocument(inputs), minifiedJson: JSON.stringify(JSON.parse(renderPolicyDocument(inputs))), id: "offline" };
    case "aws:secretsmanager/getSecretVersion:getSecretVersion":
      return { arn: inputs.secretId, id: String(inputs.secretId), secretString: UNKNOWN_SECRET_PLACEHOLDER, versionId: "offline", versionStages: ["AWSCURRENT"] };
    case "aws:ssm/getParameter:getParameter":
      return { name: inputs.name, value: "offline-placeholder", type: "String", arn: `arn:${partition}:ssm:${region}:${accountId}:parameter/${String(inputs.name ?? "").replace(/^\//, "")}`, version: 1 };
    case "aws:route53/getZone:getZone":
      return { zoneId: "Z0OFFLINEZONE00000000", name: inputs.name, id: "Z0OFFLINEZONE00000000", nameServers: [] };
    case "aws:ecr/getAuthorizationToken:getAuthorizationToken":
      return { authorizationToken: "offline", proxyEndpoint: `https://${accountId}.dkr.ecr.${region}.amazonaws.com`, userName: "AWS", password: "offline" };
    case "aws:eks/getCluster:getCluster":
      return { name: inputs.name, endpoint: `https://OFFLINE.gr7.${region}.eks.amazonaws.com`, certificateAuthorities: [{ data: "" }], vpcConfig: [{ vpcId: "vpc-0offline" }] };
    case "kubernetes:yaml:decode":
      // ConfigFile/ConfigGroup (v1) decode their manifests through the provider; decode them here so their resources register.
      return { result: decodeManifests(String(inputs.text ?? "")) };
    case "kubernetes:helm:template":
    case "kubernetes:kustomize:directory":
      // Rendering a chart needs the chart sources and helm; offline it renders nothing.
      return { result: [] };
  }
  return {};
}

function decodeManifests(text: string): unknown[] {
  const out: unknown[] = [];
  for (const doc of parseAllDocuments(text)) {
    const value = doc.toJS();
    if (!value || typeof value !== "object") continue;
    if (value.kind?.endsWith?.("List") && Array.isArray(value.items)) out.push(...value.items);
    else out.push(value);
  }
  return out;
}

type FieldKind = "string" | "number" | "boolean" | "array" | "object" | "any";
const shapeCache = new Map<string, Record<string, FieldKind> | null>();

/**
 * Required fields of a provider function's result, read from the SDK's
 * generated typings: `<pkg>:<module>/<fn>:<fn>` lives in
 * `@pulumi/<pkg>/<module>/<fn>.d.ts` (`index` is the package root) and
 * declares `interface <Fn>Result { readonly <field>: <type>; ... }`.
 */
function resultShape(token: string, resolveFrom: string | undefined): Record<string, FieldKind> | null {
  const key = `${resolveFrom ?? ""}|${token}`;
  if (shapeCache.has(key)) return shapeCache.get(key)!;
  let shape: Record<string, FieldKind> | null = null;
  const m = /^([\w-]+):([\w.-]+)(?:\/[\w.-]+)?:(\w+)$/.exec(token);
  if (m) {
    const [, pkg, mod, fn] = m;
    try {
      const root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`, resolveFrom ? { paths: [resolveFrom] } : undefined));
      const file = [path.join(root, mod === "index" ? "" : mod.replace(/\./g, "/"), `${fn}.d.ts`)].find((f) => fs.existsSync(f));
      if (file) {
        const text = fs.readFileSync(file, "utf8");
        const name = `${fn[0].toUpperCase()}${fn.slice(1)}Result`;
        const start = text.indexOf(`export interface ${name} {`);
        if (start >= 0) {
          const body = text.slice(start, text.indexOf("\n}", start));
          shape = {};
          for (const f of body.matchAll(/^ {4}readonly (\w+): (.+);$/gm)) {
            const t = f[2].trim();
            shape[f[1]] = t.endsWith("[]") ? "array" : t.startsWith("{") || t.startsWith("outputs.") ? "object" : t === "string" || t === "number" || t === "boolean" ? t : "any";
          }
        }
      }
    } catch {
      shape = null;
    }
  }
  shapeCache.set(key, shape);
  return shape;
}

/** A value for every required result field: inputs echoed back, otherwise shaped by the field's name and type. */
function shapedInvoke(token: string, inputs: Json, env: MockEnvironment): Json {
  const shape = resultShape(token, env.resolveFrom);
  if (!shape) return {};
  const [pkg, modPath] = token.split(":");
  const mod = modPath.split("/")[0];
  const seed = `${token}::${JSON.stringify(inputs)}`;
  const global = ["iam", "s3", "route53", "cloudfront", "organizations"].includes(mod);
  const out: Json = {};
  for (const [field, kind] of Object.entries(shape)) {
    if (field in inputs && inputs[field] !== undefined) {
      out[field] = inputs[field];
      continue;
    }
    switch (kind) {
      case "number":
        out[field] = 0;
        break;
      case "boolean":
        out[field] = false;
        break;
      case "array":
        out[field] = [];
        break;
      case "object":
        out[field] = {};
        break;
      case "any":
        out[field] = null;
        break;
      default:
        if (field === "id") out[field] = typeof inputs.name === "string" ? inputs.name : `${token.split(":").pop()}-${hex(seed, 8)}`;
        else if (/arn$/i.test(field) && pkg === "aws") out[field] = `arn:${env.partition}:${mod}:${global ? "" : env.region}:${env.accountId}:${token.split(":").pop()!.replace(/^get/, "").toLowerCase()}/${hex(seed, 12)}`;
        else if (/region$/i.test(field)) out[field] = env.region;
        else if (/^(accountId|ownerId|owner)$/.test(field)) out[field] = env.accountId;
        else if (/cidr/i.test(field)) out[field] = "10.0.0.0/16";
        else if (/(url|endpoint)$/i.test(field)) out[field] = `https://${hex(seed, 8)}.offline.invalid`;
        else if (/(date|time)$/i.test(field)) out[field] = "2026-01-01T00:00:00Z";
        else out[field] = `offline-${field}`;
    }
  }
  return out;
}

/** Value handed out for secret reads offline; always wrapped as secret by the caller. */
export const UNKNOWN_SECRET_PLACEHOLDER = "offline-secret-placeholder";

/** Renders aws.iam.getPolicyDocument inputs into the JSON AWS would produce. */
export function renderPolicyDocument(inputs: Json): string {
  const statements = (inputs.statements as Json[] | undefined) ?? [];
  const principals = (list: Json[] | undefined) => {
    if (!list || list.length === 0) return undefined;
    const out: Record<string, string | string[]> = {};
    for (const p of list) {
      const ids = p.identifiers as string[];
      if (p.type === "*") return "*";
      out[String(p.type)] = ids.length === 1 ? ids[0] : ids;
    }
    return out;
  };
  const one = (v: unknown) => (Array.isArray(v) && v.length === 1 ? v[0] : v);
  const doc = {
    Version: (inputs.version as string) ?? "2012-10-17",
    ...(inputs.policyId ? { Id: inputs.policyId } : {}),
    Statement: statements.map((s) => {
      const out: Json = {};
      if (s.sid) out.Sid = s.sid;
      out.Effect = s.effect ?? "Allow";
      const pr = principals(s.principals as Json[]);
      if (pr) out.Principal = pr;
      const npr = principals(s.notPrincipals as Json[]);
      if (npr) out.NotPrincipal = npr;
      if (s.actions) out.Action = one(s.actions);
      if (s.notActions) out.NotAction = one(s.notActions);
      if (s.resources) out.Resource = one(s.resources);
      if (s.notResources) out.NotResource = one(s.notResources);
      const conditions = s.conditions as Json[] | undefined;
      if (conditions?.length) {
        const c: Record<string, Record<string, unknown>> = {};
        for (const cond of conditions) {
          c[String(cond.test)] ??= {};
          c[String(cond.test)][String(cond.variable)] = one(cond.values);
        }
        out.Condition = c;
      }
      return out;
    }),
  };
  return JSON.stringify(doc, null, 2);
}
