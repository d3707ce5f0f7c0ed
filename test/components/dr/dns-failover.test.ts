import assert from "node:assert/strict";
import { test } from "node:test";
import { DnsFailover, regionalHostName } from "../../../components/dr/dns-failover";
import { inputsOf, runMocked, UNKNOWN } from "../../support/mocks";

const LB = "k8s-ingress-0123456789-abcdef0123456789.elb.us-east-1.amazonaws.com";

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";
  for (const role of ["primary", "recovery"] as const) {
    test(`${mode}: ${role} stack declares its ${role === "primary" ? "PRIMARY" : "SECONDARY"} failover record guarded by a /health check`, async () => {
      const run = await runMocked(() => new DnsFailover("dns-failover", {
        role, hostedZoneName: "duespark.com", recordName: "api.duespark.com", regionalHost: "prod.api.duespark.com", loadBalancerHostname: LB,
      }), { preview });
      const check = run.one("aws:route53/healthCheck:HealthCheck");
      assert.deepEqual(
        (({ type, fqdn, port, resourcePath, requestInterval, failureThreshold }) => ({ type, fqdn, port, resourcePath, requestInterval, failureThreshold }))(inputsOf(check)),
        { type: "HTTPS", fqdn: "prod.api.duespark.com", port: 443, resourcePath: "/health", requestInterval: 30, failureThreshold: 3 },
      );
      const records = run.all("aws:route53/record:Record");
      const failover = inputsOf(records.find((r) => r.name === "dns-failover-record")!);
      assert.equal(failover.name, "api.duespark.com");
      assert.equal(failover.type, "CNAME");
      assert.equal(failover.ttl, 60);
      assert.deepEqual(failover.records, [LB]);
      assert.deepEqual(failover.failoverRoutingPolicies, [{ type: role === "primary" ? "PRIMARY" : "SECONDARY" }]);
      assert.equal(failover.setIdentifier, `prod-${role}`);
      assert.deepEqual(records.find((r) => r.name === "dns-failover-record")!.propertyDependencies.healthCheckId, [check.urn]);
      assert.equal(failover.healthCheckId, preview ? UNKNOWN : check.id);
      const regional = inputsOf(records.find((r) => r.name === "dns-failover-regional")!);
      assert.deepEqual([regional.name, regional.type, regional.records], ["prod.api.duespark.com", "CNAME", [LB]]);
      assert.equal(regional.failoverRoutingPolicies, undefined);
      assert.ok(check.dependencies.includes(records.find((r) => r.name === "dns-failover-regional")!.urn), "the probed name exists before the check");
    });
  }
}

test("regional host names derive from the stack name under the record", () => {
  assert.equal(regionalHostName("prod", "api.duespark.com"), "prod.api.duespark.com");
  assert.equal(regionalHostName("drill-eu-west-1-202601011200", "drill.api.duespark.com"), "drill-eu-west-1-202601011200.drill.api.duespark.com");
  assert.equal(regionalHostName("Prod_DR", "api.duespark.com"), "prod-dr.api.duespark.com");
});

test("invalid arguments fail with a message naming the argument", () => {
  const base = { role: "primary" as const, hostedZoneName: "duespark.com", recordName: "api.duespark.com", regionalHost: "prod.api.duespark.com", loadBalancerHostname: LB };
  assert.throws(() => new DnsFailover("x", { ...base, role: "standby" as never }), /role got "standby"; allowed: primary, recovery/);
  assert.throws(() => new DnsFailover("x", { ...base, recordName: "api.example.org" }), /recordName "api.example.org" is not inside hostedZoneName "duespark.com"/);
  assert.throws(() => new DnsFailover("x", { ...base, regionalHost: "prod.example.org" }), /regionalHost "prod.example.org" is not inside/);
});
