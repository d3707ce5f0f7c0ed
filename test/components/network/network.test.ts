import assert from "node:assert/strict";
import { test } from "node:test";
import { cidrSubnet } from "../../../components/network/cidr";
import { Network, pickZones, subnetCidrs } from "../../../components/network/network";
import { inputsOf, runMocked, stackConfig } from "../../support/mocks";

const cfg = stackConfig("prod");
const build = () => new Network("network", { config: cfg.network, tags: cfg.tags });
const RULE_TYPES = ["aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"];

test("cidrSubnet splits a /16 into /20s and rejects impossible layouts", () => {
  assert.equal(cidrSubnet("10.40.0.0/16", 4, 0), "10.40.0.0/20");
  assert.equal(cidrSubnet("10.40.0.0/16", 4, 1), "10.40.16.0/20");
  assert.equal(cidrSubnet("10.40.0.0/16", 4, 15), "10.40.240.0/20");
  assert.equal(cidrSubnet("172.16.0.0/12", 8, 3), "172.16.48.0/20");
  assert.throws(() => cidrSubnet("10.40.0.0/16", 4, 16), /out of range/);
  assert.throws(() => cidrSubnet("10.40.1.0/16", 4, 0), /host bits set/);
  assert.throws(() => subnetCidrs({ vpcCidr: "10.40.0.0/16", availabilityZoneCount: 3, subnetPrefixBits: 1 }), /gives 2 subnets, fewer than availabilityZoneCount 3/);
  assert.throws(() => subnetCidrs({ vpcCidr: "10.40.0.0/24", availabilityZoneCount: 2, subnetPrefixBits: 8 }), /smaller than \/28/);
});

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`private subnets, one per AZ us-east-1a/b/c, no internet path (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const vpc = inputsOf(run.one("aws:ec2/vpc:Vpc"));
    assert.deepEqual([vpc.cidrBlock, vpc.enableDnsSupport, vpc.enableDnsHostnames], ["10.40.0.0/16", true, true]);
    const subnets = run.all("aws:ec2/subnet:Subnet").map(inputsOf);
    assert.deepEqual(subnets.map((s) => s.availabilityZone), ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.deepEqual(subnets.map((s) => s.cidrBlock), ["10.40.0.0/20", "10.40.16.0/20", "10.40.32.0/20"]);
    assert.ok(subnets.every((s) => s.mapPublicIpOnLaunch === false));
    for (const t of ["aws:ec2/internetGateway:InternetGateway", "aws:ec2/natGateway:NatGateway", "aws:ec2/route:Route", "aws:ec2/eip:Eip"]) assert.equal(run.all(t).length, 0, t);
    const endpoints = run.all("aws:ec2/vpcEndpoint:VpcEndpoint").map(inputsOf);
    const iface = endpoints.filter((e) => e.vpcEndpointType === "Interface");
    assert.deepEqual(iface.map((e) => e.serviceName).sort(), ["ssm", "ssmmessages", "ec2messages", "secretsmanager", "kms", "logs"].map((s) => `com.amazonaws.us-east-1.${s}`).sort());
    assert.ok(iface.every((e) => e.privateDnsEnabled === true));
    const s3 = endpoints.find((e) => e.vpcEndpointType === "Gateway");
    assert.equal(s3.serviceName, "com.amazonaws.us-east-1.s3");
  });

  test(`security groups: 5432 only from the app group, 443 from the VPC, port 22 nowhere (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const groups = run.all("aws:ec2/securityGroup:SecurityGroup");
    for (const g of groups) {
      const i = inputsOf(g);
      assert.ok(!i.ingress || i.ingress.length === 0, `${g.name} has no inline ingress`);
      assert.ok(!i.egress || i.egress.length === 0, `${g.name} has no inline egress`);
    }
    const rules = RULE_TYPES.flatMap((t) => run.all(t));
    for (const r of rules) {
      const i = inputsOf(r);
      assert.notEqual(i.ipProtocol, "-1", `${r.name} opens every protocol`);
      assert.ok(!(i.fromPort <= 22 && 22 <= i.toPort), `${r.name} covers port 22`);
      assert.notEqual(i.cidrIpv4, "0.0.0.0/0", `${r.name} is open to the internet`);
    }
    const dbIngress = run.all(RULE_TYPES[0]).filter((r) => r.name.includes("db-from-app"));
    assert.equal(dbIngress.length, 1);
    const d = inputsOf(dbIngress[0]);
    assert.deepEqual([d.ipProtocol, d.fromPort, d.toPort], ["tcp", 5432, 5432]);
    const app = run.one("aws:ec2/securityGroup:SecurityGroup", "network-app");
    const db = run.one("aws:ec2/securityGroup:SecurityGroup", "network-database");
    assert.deepEqual(dbIngress[0].propertyDependencies.referencedSecurityGroupId, [app.urn]);
    assert.deepEqual(dbIngress[0].propertyDependencies.securityGroupId, [db.urn]);
    if (!preview) assert.equal(d.referencedSecurityGroupId, app.id);
    // Nothing but the app group reaches the database group.
    assert.equal(run.all(RULE_TYPES[0]).filter((r) => r.propertyDependencies.securityGroupId?.[0] === db.urn).length, 1);
    const ep = inputsOf(run.one(RULE_TYPES[0], "endpoints-from-vpc"));
    assert.deepEqual([ep.fromPort, ep.toPort], [443, 443]);
    if (!preview) assert.equal(ep.cidrIpv4, "10.40.0.0/16");
    assert.equal(run.all("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").length, 1);
    assert.equal(inputsOf(run.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")).ingress, undefined);
  });
}

test("too few availability zones in the region is a config error", () => {
  assert.deepEqual(pickZones(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"], 3), ["us-east-1a", "us-east-1b", "us-east-1c"]);
  assert.throws(() => pickZones(["us-east-1a", "us-east-1b"], 3), /availabilityZoneCount is 3 but the region has 2 availability zones \(us-east-1a, us-east-1b\)/);
  assert.throws(() => new Network("network", { config: { ...cfg.network, vpcCidr: "10.0.0.0/8" } }), /between \/16 and \/24/);
});
