/**
 * The private network of the data stores (runbook: Database Access, SSH
 * Access). Private subnets only: no internet gateway, no NAT, so nothing in
 * it is reachable from or can reach the internet. AWS APIs (SSM Session
 * Manager, Secrets Manager, KMS, CloudWatch Logs, S3) are reached through
 * VPC endpoints instead.
 *
 * Security groups:
 * - app: the application, managed instances and in-VPC Lambdas. Egress only
 *   to PostgreSQL in the database group and HTTPS to the endpoints / S3.
 *   (Kubernetes pods that talk to the database must carry this group, e.g.
 *   through security groups for pods.)
 * - database: PostgreSQL 5432 from the app group only; no egress.
 * - endpoint: HTTPS 443 from the VPC CIDR; no egress.
 * The VPC's default security group is emptied. Port 22 is open nowhere:
 * shell access is SSM Session Manager through the endpoints.
 *
 * Rules are separate resources (aws.vpc.SecurityGroup*Rule): the provider
 * removes AWS's default allow-all egress of a new group, and rules are never
 * mixed with inline blocks.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkConfig } from "../../config/sections/network";
import { ConfigError } from "../../config/load";
import { withTags } from "../shared/tags";
import { cidrSubnet, parseCidr } from "./cidr";

export const NETWORK_TYPE = "duespark:network:Network";

export const POSTGRES_PORT = 5432;
export const HTTPS_PORT = 443;

/** Interface endpoints: Session Manager (ssm, ssmmessages, ec2messages) and the APIs the stack's code calls. */
export const INTERFACE_ENDPOINT_SERVICES = ["ssm", "ssmmessages", "ec2messages", "secretsmanager", "kms", "logs"] as const;

export interface NetworkArgs {
  config: NetworkConfig;
  tags?: Record<string, string>;
}

export class Network extends pulumi.ComponentResource {
  readonly vpc: aws.ec2.Vpc;
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly subnets: aws.ec2.Subnet[];
  readonly appSecurityGroupId: pulumi.Output<string>;
  readonly databaseSecurityGroupId: pulumi.Output<string>;
  readonly endpointSecurityGroupId: pulumi.Output<string>;
  readonly s3EndpointPrefixListId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const cidrs = subnetCidrs(args.config);
    super(NETWORK_TYPE, name, {}, opts);
    const { config } = args;
    const stack = pulumi.getStack();
    const tags = (n: string, extra: Record<string, string> = {}) => withTags(args.tags, { Name: `duespark-${stack}-${n}`, ...extra });
    const invoke = { parent: this };
    const region = aws.getRegionOutput({}, invoke).region;
    const servicePrefix = aws.getPartitionOutput({}, invoke).reverseDnsPrefix;
    const zones = aws.getAvailabilityZonesOutput({
      state: "available",
      // Local and Wavelength zones lack RDS Multi-AZ support.
      filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }],
    }, invoke).names.apply((names) => pickZones(names, config.availabilityZoneCount));

    this.vpc = new aws.ec2.Vpc(`${name}-vpc`, {
      cidrBlock: config.vpcCidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: tags("vpc"),
    }, { parent: this });
    const vpcId = this.vpc.id;

    // Strip the default group's allow-all rules so nothing can fall back on it.
    new aws.ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId, tags: tags("default-unused") }, { parent: this });

    const routeTable = new aws.ec2.RouteTable(`${name}-private`, { vpcId, tags: tags("private") }, { parent: this });
    this.subnets = cidrs.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(`${name}-private-${i}`, {
        vpcId,
        cidrBlock: cidr,
        availabilityZone: zones.apply((z) => z[i]),
        mapPublicIpOnLaunch: false,
        tags: tags(`private-${i}`, { Tier: "private" }),
      }, { parent: this });
      new aws.ec2.RouteTableAssociation(`${name}-private-${i}`, { subnetId: subnet.id, routeTableId: routeTable.id }, { parent: this });
      return subnet;
    });
    const subnetIds = pulumi.all(this.subnets.map((s) => s.id));

    const group = (n: string, description: string) =>
      new aws.ec2.SecurityGroup(`${name}-${n}`, { vpcId, description, revokeRulesOnDelete: true, tags: tags(n) }, { parent: this });
    const app = group("app", "DueSpark application, managed instances and in-VPC Lambdas");
    const db = group("database", "DueSpark PostgreSQL: 5432 from the app group only");
    const endpoints = group("endpoints", "VPC interface endpoints: HTTPS from inside the VPC");

    new aws.vpc.SecurityGroupIngressRule(`${name}-db-from-app`, {
      securityGroupId: db.id,
      description: "PostgreSQL from the application security group",
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: app.id,
    }, { parent: this });
    new aws.vpc.SecurityGroupIngressRule(`${name}-endpoints-from-vpc`, {
      securityGroupId: endpoints.id,
      description: "HTTPS to the AWS API endpoints from inside the VPC",
      ipProtocol: "tcp",
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      cidrIpv4: this.vpc.cidrBlock,
    }, { parent: this });
    new aws.vpc.SecurityGroupEgressRule(`${name}-app-to-db`, {
      securityGroupId: app.id,
      description: "PostgreSQL to the database security group",
      ipProtocol: "tcp",
      fromPort: POSTGRES_PORT,
      toPort: POSTGRES_PORT,
      referencedSecurityGroupId: db.id,
    }, { parent: this });
    new aws.vpc.SecurityGroupEgressRule(`${name}-app-to-endpoints`, {
      securityGroupId: app.id,
      description: "HTTPS to the VPC interface endpoints",
      ipProtocol: "tcp",
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      referencedSecurityGroupId: endpoints.id,
    }, { parent: this });

    for (const service of INTERFACE_ENDPOINT_SERVICES) {
      new aws.ec2.VpcEndpoint(`${name}-${service}`, {
        vpcId,
        vpcEndpointType: "Interface",
        serviceName: pulumi.interpolate`${servicePrefix}.${region}.${service}`,
        privateDnsEnabled: true,
        subnetIds,
        securityGroupIds: [endpoints.id],
        tags: tags(`endpoint-${service}`),
      }, { parent: this });
    }
    const s3 = new aws.ec2.VpcEndpoint(`${name}-s3`, {
      vpcId,
      vpcEndpointType: "Gateway",
      serviceName: pulumi.interpolate`${servicePrefix}.${region}.s3`,
      routeTableIds: [routeTable.id],
      tags: tags("endpoint-s3"),
    }, { parent: this });
    new aws.vpc.SecurityGroupEgressRule(`${name}-app-to-s3`, {
      securityGroupId: app.id,
      description: "HTTPS to S3 through the gateway endpoint (SSM agent, session logs, patches)",
      ipProtocol: "tcp",
      fromPort: HTTPS_PORT,
      toPort: HTTPS_PORT,
      prefixListId: s3.prefixListId,
    }, { parent: this });

    this.vpcId = vpcId;
    this.vpcCidr = this.vpc.cidrBlock;
    this.privateSubnetIds = subnetIds;
    this.appSecurityGroupId = app.id;
    this.databaseSecurityGroupId = db.id;
    this.endpointSecurityGroupId = endpoints.id;
    this.s3EndpointPrefixListId = s3.prefixListId;
    this.registerOutputs({
      vpcId: this.vpcId,
      privateSubnetIds: this.privateSubnetIds,
      appSecurityGroupId: this.appSecurityGroupId,
      databaseSecurityGroupId: this.databaseSecurityGroupId,
      endpointSecurityGroupId: this.endpointSecurityGroupId,
    });
  }
}

/** Private subnet CIDRs: the first `availabilityZoneCount` blocks of `subnetPrefixBits` inside the VPC CIDR. */
export function subnetCidrs(config: NetworkConfig): string[] {
  try {
    parseCidr(config.vpcCidr);
  } catch (e) {
    throw new ConfigError(`Network: config.vpcCidr: ${(e as Error).message}`);
  }
  const prefix = Number(config.vpcCidr.split("/")[1]);
  if (prefix < 16 || prefix > 24) {
    throw new ConfigError(`Network: config.vpcCidr is ${config.vpcCidr}; a VPC CIDR must be between /16 and /24`);
  }
  if (prefix + config.subnetPrefixBits > 28) {
    throw new ConfigError(`Network: config.subnetPrefixBits is ${config.subnetPrefixBits}; ${config.vpcCidr} split that way gives subnets smaller than /28, the smallest AWS allows`);
  }
  if (config.availabilityZoneCount > 2 ** config.subnetPrefixBits) {
    throw new ConfigError(`Network: config.subnetPrefixBits ${config.subnetPrefixBits} gives ${2 ** config.subnetPrefixBits} subnets, fewer than availabilityZoneCount ${config.availabilityZoneCount}`);
  }
  return Array.from({ length: config.availabilityZoneCount }, (_, i) => cidrSubnet(config.vpcCidr, config.subnetPrefixBits, i));
}

/** The first `count` zones; fails the deployment when the region has fewer. */
export function pickZones(names: string[], count: number): string[] {
  if (names.length < count) {
    throw new ConfigError(`Network: config.availabilityZoneCount is ${count} but the region has ${names.length} availability zones (${names.join(", ")})`);
  }
  return names.slice(0, count);
}
