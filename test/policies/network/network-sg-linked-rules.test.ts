import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";

const POLICY = "network-sg-linked-rules";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const DB = "aws:rds/instance:Instance";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

/** Separate rule linked to its group by URN (the group id is unknown in a preview). */
const linked = (type: string, name: string, group: string, props: Record<string, unknown>) =>
  fixture(type, name, { securityGroupId: unknown, ...props }, { propertyDependencies: { securityGroupId: [urnOf(SG, group)] } });
/** The database references its group by URN; the group's name does not say "database". */
const database = (group: string) =>
  fixture(DB, "primary", { engine: "postgres", vpcSecurityGroupIds: [unknown] }, { propertyDependencies: { vpcSecurityGroupIds: [urnOf(SG, group)] } });

test("compliant: 5432 only from the app security group; CIDR rules on a non-database group are out of scope", async () => {
  const r = await pack.analyzeStack([
    fixture(SG, "backend", { vpcId: "vpc-1" }),
    fixture(SG, "app", { vpcId: "vpc-1" }),
    database("backend"),
    linked(VPC_RULE, "from-app", "backend", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: unknown }),
    linked(VPC_RULE, "app-https", "app", { ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.40.0.0/16" }),
    linked(VPC_RULE, "app-pg", "app", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.40.0.0/16" }),
  ]);
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: a linked rule lets the VPC CIDR reach 5432 on the group the RDS instance uses", async () => {
  const r = await pack.analyzeStack([
    fixture(SG, "backend", {}),
    database("backend"),
    linked(VPC_RULE, "vpc-wide", "backend", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "10.40.0.0/16" }),
  ]);
  const [v] = pack.mandatory(r, POLICY);
  assert.equal(v.urn, urnOf(VPC_RULE, "vpc-wide"));
  assert.match(v.message, /Database security group rule vpc-wide on backend \(tcp 5432\) accepts port 5432 from 10\.40\.0\.0\/16; only referenced security groups/);
});

test("non-compliant: group named as a database: inline CIDR rule and an ec2 rule with a prefix list", async () => {
  const r = await pack.analyzeStack([
    fixture(SG, "db-sg", { tags: { Name: "duespark-db" }, ingress: [{ protocol: "tcp", fromPort: 5400, toPort: 5500, cidrBlocks: ["10.0.0.0/8"] }] }),
    linked(RULE, "pl", "db-sg", { type: "ingress", protocol: "tcp", fromPort: 5432, toPort: 5432, prefixListIds: ["pl-123"] }),
  ]);
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /db-sg ingress\[0\] \(tcp 5400-5500\) accepts port 5432 from 10\.0\.0\.0\/8/);
  assert.match(messages[1], /rule pl on db-sg \(tcp 5432\) accepts port 5432 from a prefix list/);
});

test("unknown source on a database group's rule defers", async () => {
  const r = await pack.analyzeStack([
    fixture(SG, "backend", {}),
    database("backend"),
    linked(VPC_RULE, "r", "backend", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: unknown }),
  ]);
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'network-sg-linked-rules'/);
});
