import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "network-db-no-public-ingress";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: 5432 from the VPC CIDR and from a security group; 443 from the world", async () => {
  const r = await pack.analyze(fixture(SG, "db", { ingress: [
    { protocol: "tcp", fromPort: 5432, toPort: 5432, cidrBlocks: ["10.40.0.0/16"] },
    { protocol: "tcp", fromPort: 5432, toPort: 5432, securityGroups: ["sg-app"] },
    { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
  ] }));
  assert.deepEqual(pack.of(r, POLICY), []);
});

test("non-compliant: PostgreSQL from 0.0.0.0/0 (vpc rule) and MySQL range from ::/0 (ec2 rule)", async () => {
  const [a] = pack.mandatory(await pack.analyze(fixture(VPC_RULE, "pg", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: "0.0.0.0/0", securityGroupId: "sg-db" })), POLICY);
  assert.equal(a.policyName, POLICY);
  assert.match(a.message, /Ingress rule \(tcp 5432\) opens database port 5432 to 0\.0\.0\.0\/0/);
  const [b] = pack.mandatory(await pack.analyze(fixture(RULE, "my", { type: "ingress", protocol: "tcp", fromPort: 3300, toPort: 3310, ipv6CidrBlocks: ["::/0"], securityGroupId: "sg-db" })), POLICY);
  assert.match(b.message, /\(tcp 3300-3310\) opens database port 3306 to ::\/0/);
});

test("non-compliant: all traffic from the world covers both database ports", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(SG, "open", { ingress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] })), POLICY);
  assert.match(v.message, /Ingress ingress\[0\] \(all traffic\) opens database port 5432, 3306 to 0\.0\.0\.0\/0/);
});

test("config: databasePorts adds Redis 6379", async () => {
  await pack.configure({ [POLICY]: { databasePorts: [5432, 6379] } });
  try {
    const [v] = pack.mandatory(await pack.analyze(fixture(VPC_RULE, "redis", { ipProtocol: "tcp", fromPort: 6379, toPort: 6379, cidrIpv4: "0.0.0.0/0", securityGroupId: "sg" })), POLICY);
    assert.match(v.message, /opens database port 6379/);
  } finally {
    await pack.configure({});
  }
});

test("unknown CIDR defers", async () => {
  const r = await pack.analyze(fixture(VPC_RULE, "pg", { ipProtocol: "tcp", fromPort: 5432, toPort: 5432, cidrIpv4: unknown, securityGroupId: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'network-db-no-public-ingress'/);
});
