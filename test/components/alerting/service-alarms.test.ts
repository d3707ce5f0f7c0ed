import assert from "node:assert/strict";
import { test } from "node:test";
import { AlertRouting } from "../../../components/alerting/alert-routing";
import { instanceMemoryGiB, ServiceAlarms } from "../../../components/alerting/service-alarms";
import { inputsOf, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { standInDatabase, standInKeys } from "../../support/stand-ins";

function program(stack = "prod") {
  const cfg = stackConfig(stack);
  return () => {
    const keys = standInKeys(cfg);
    const alerts = new AlertRouting("alerting", { config: cfg.alerting, environment: cfg.environment, kmsKey: keys.primaryKey, tags: cfg.tags });
    const database = standInDatabase(cfg, keys);
    new ServiceAlarms("alarms", { config: cfg.alerting, database, alerts, kmsKey: keys.primaryKey, auditRetentionDays: cfg.audit.retentionDays, tags: cfg.tags });
  };
}

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const CRITICAL = ["database-connection-failures", "authentication-system-failures", "payment-processing-errors", "security-sql-injection", "security-xss-attempt", "security-unauthorized-access", "security-authentication-failure-spike", "service-down"];
const WARNING = ["error-rate", "response-time", "database-cpu", "database-memory", "database-storage", "health-check-failed"];

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`${mode}: every runbook alert has alarm and OK actions on its route's topic`, async () => {
    const run = await runMocked(program(), { preview });
    const topicUrn = (route: string) => run.one("aws:sns/topic:Topic", `alerting-${route}`).urn;
    const alarms = run.all(ALARM);
    assert.deepEqual(alarms.map((a) => a.name.replace(/^alarms-/, "")).sort(), [...CRITICAL, ...WARNING].sort());
    for (const a of alarms) {
      const key = a.name.replace(/^alarms-/, "");
      const route = CRITICAL.includes(key) ? "critical" : "warning";
      const i = inputsOf(a);
      assert.equal(i.actionsEnabled, true, key);
      assert.equal(i.tags["duespark:severity"], route, key);
      assert.deepEqual(a.propertyDependencies.alarmActions, [topicUrn(route)], key);
      assert.deepEqual(a.propertyDependencies.okActions, [topicUrn(route)], key);
      assert.equal(i.alarmActions.length, 1);
      assert.equal(i.okActions.length, 1);
      if (!preview) {
        assert.ok(i.alarmActions[0].startsWith(`arn:aws:sns:us-east-1:123456789012:alerting-${route}-`), key);
        assert.deepEqual(i.okActions, i.alarmActions, key);
      }
    }
  });

  test(`${mode}: thresholds come from the config`, async () => {
    const run = await runMocked(program(), { preview });
    const a = (k: string) => inputsOf(run.one(ALARM, `alarms-${k}`));
    const errorRate = a("error-rate");
    assert.equal(errorRate.threshold, 5);
    assert.equal(errorRate.comparisonOperator, "GreaterThanThreshold");
    assert.equal(errorRate.metricQueries.find((q: any) => q.returnData).expression, "IF(requests > 0, 100 * errors / requests, 0)");
    assert.deepEqual(errorRate.metricQueries.filter((q: any) => q.metric).map((q: any) => q.metric.metricName), ["RequestCount", "ServerErrorCount"]);
    assert.equal(a("response-time").threshold, 10_000);
    assert.equal(a("response-time").statistic, "Average");
    assert.equal(a("database-cpu").threshold, 80);
    assert.equal(a("database-cpu").metricName, "CPUUtilization");
    // db.r6g.large: 16 GiB; 80% used = 3.2 GiB free. 100 GB allocated: 20 GiB free.
    assert.equal(a("database-memory").metricName, "FreeableMemory");
    assert.equal(a("database-memory").threshold, Math.round(16 * 1024 ** 3 * 0.2));
    assert.equal(a("database-storage").metricName, "FreeStorageSpace");
    assert.equal(a("database-storage").threshold, Math.round(100 * 1024 ** 3 * 0.2));
    assert.equal(a("database-connection-failures").threshold, 5);
    assert.equal(a("payment-processing-errors").threshold, 3);
    assert.equal(a("security-authentication-failure-spike").threshold, 50);
    assert.equal(a("security-sql-injection").threshold, 1);
    assert.equal(a("database-cpu").dimensions.DBInstanceIdentifier, preview ? UNKNOWN : "duespark-prod");
  });

  test(`${mode}: downtime > 5 min comes from an HTTPS Route 53 check of /health, alarmed in us-east-1`, async () => {
    const run = await runMocked(program(), { preview });
    const hc = inputsOf(run.one("aws:route53/healthCheck:HealthCheck"));
    assert.equal(hc.type, "HTTPS");
    assert.equal(hc.fqdn, "api.duespark.com");
    assert.equal(hc.resourcePath, "/health");
    assert.equal(hc.port, 443);
    const down = inputsOf(run.one(ALARM, "service-down"));
    assert.equal(down.region, "us-east-1");
    assert.equal(down.namespace, "AWS/Route53");
    assert.equal(down.metricName, "HealthCheckStatus");
    assert.equal(down.period * down.evaluationPeriods, 5 * 60);
    assert.equal(down.datapointsToAlarm, 5);
    assert.equal(down.comparisonOperator, "LessThanThreshold");
    assert.equal(down.threshold, 1);
    assert.equal(down.dimensions.HealthCheckId, preview ? UNKNOWN : run.one("aws:route53/healthCheck:HealthCheck").id);
    const failed = inputsOf(run.one(ALARM, "health-check-failed"));
    assert.equal(failed.region, "us-east-1");
    assert.equal(failed.metricName, "HealthCheckPercentageHealthy");
  });

  test(`${mode}: security events come from the 7-year, CMK-encrypted application log`, async () => {
    const run = await runMocked(program(), { preview });
    const lg = run.one("aws:cloudwatch/logGroup:LogGroup", "alarms-");
    assert.equal(inputsOf(lg).name, "/duespark/api/application");
    assert.equal(inputsOf(lg).retentionInDays, 2557);
    assert.deepEqual(lg.propertyDependencies.kmsKeyId, [run.one("aws:kms/key:Key", "keys").urn]);
    const patterns = run.all("aws:cloudwatch/logMetricFilter:LogMetricFilter").map((f) => inputsOf(f).pattern);
    for (const ev of ["sql_injection", "xss_attempt", "unauthorized_access", "authentication_failed"]) {
      assert.ok(patterns.includes(`{ $.security_event = "${ev}" }`), ev);
    }
  });
}

test("stacks outside us-east-1 alarm on Route 53 metrics into the us-east-1 topics", async () => {
  const run = await runMocked(program("prod-dr"), { preview: false, stack: "prod-dr" });
  const down = run.one(ALARM, "service-down");
  assert.deepEqual(down.propertyDependencies.alarmActions, [run.one("aws:sns/topic:Topic", "route53-critical").urn]);
  assert.deepEqual(run.one(ALARM, "health-check-failed").propertyDependencies.okActions, [run.one("aws:sns/topic:Topic", "route53-warning").urn]);
  assert.deepEqual(run.one(ALARM, "database-cpu").propertyDependencies.alarmActions, [run.one("aws:sns/topic:Topic", "alerting-warning").urn]);
});

test("memory of RDS instance classes", () => {
  assert.equal(instanceMemoryGiB("db.r6g.large"), 16);
  assert.equal(instanceMemoryGiB("db.m7g.2xlarge"), 32);
  assert.equal(instanceMemoryGiB("db.t4g.medium"), 4);
  assert.throws(() => instanceMemoryGiB("db.x2g.large"), /instanceClass/);
});
