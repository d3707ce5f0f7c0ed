import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "access-no-ssh-ingress";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const VPC_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("compliant: HTTPS ingress, UDP 0-65535 (not SSH), an egress rule on 22", async () => {
  const r = await pack.analyze(fixture(SG, "web", { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }, { protocol: "udp", fromPort: 0, toPort: 65535, cidrBlocks: ["10.0.0.0/8"] }] }));
  assert.deepEqual(pack.of(r, POLICY), []);
  const egress = await pack.analyze(fixture(RULE, "out", { type: "egress", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"], securityGroupId: "sg-1" }));
  assert.deepEqual(pack.of(egress, POLICY), []);
});

test("non-compliant: inline tcp 22 from a private CIDR, and a 20-25 range from IPv6 ::/0", async () => {
  const r = await pack.analyze(fixture(SG, "bastion", { ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"] }, { protocol: "6", fromPort: 20, toPort: 25, ipv6CidrBlocks: ["::/0"] }] }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /Ingress ingress\[0\] \(tcp 22\) opens SSH port 22 from 10\.0\.0\.0\/8/);
  assert.match(messages[1], /Ingress ingress\[1\] \(tcp 20-25\) opens SSH port 22 from ::\/0/);
});

test("non-compliant: all-traffic vpc rule (-1) and a tcp 0-65535 rule from a security group", async () => {
  const [a] = pack.mandatory(await pack.analyze(fixture(VPC_RULE, "all", { ipProtocol: "-1", cidrIpv4: "192.168.0.0/16", securityGroupId: "sg-1" })), POLICY);
  assert.match(a.message, /Ingress rule \(all traffic\) opens SSH port 22 from 192\.168\.0\.0\/16/);
  const [b] = pack.mandatory(await pack.analyze(fixture(RULE, "wide", { type: "ingress", protocol: "tcp", fromPort: 0, toPort: 65535, sourceSecurityGroupId: "sg-2", securityGroupId: "sg-1" })), POLICY);
  assert.match(b.message, /\(tcp 0-65535\) opens SSH port 22 from a security group/);
});

test("unknown port defers", async () => {
  const r = await pack.analyze(fixture(VPC_RULE, "r", { ipProtocol: "tcp", fromPort: unknown, toPort: unknown, cidrIpv4: "10.0.0.0/8", securityGroupId: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'access-no-ssh-ingress'/);
});

test("port 22 with a source unknown in the preview is still a violation (the source does not matter)", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(VPC_RULE, "r", { ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: unknown, securityGroupId: unknown })), POLICY);
  assert.match(v.message, /opens SSH port 22 from an address range known after the preview/);
});

test("never exemptible: no exceptions in the config schema", () => {
  const p = pack.info.policies.find((x) => x.name === POLICY)!;
  assert.equal(p.configSchema?.properties?.exceptions, undefined);
  assert.ok(p.tags.includes("never-exemptible"));
});
