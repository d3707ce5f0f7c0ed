/**
 * CloudWatch alarms for every alert of the runbook's Alerting Configuration.
 *
 * Critical (PagerDuty + Slack): database connection failures, authentication
 * system failures, payment processing errors, security events, service down
 * for more than `downtimeMinutes`.
 * Warning (Slack): error rate, response time, database CPU / memory /
 * storage, failed health checks.
 *
 * Application signals come from the API's structured JSON log lines in
 * /duespark/api/application (shipped from the cluster). The log contract:
 *   {"event":"http_request","status":503,"duration_ms":120,...}
 *   {"event":"db_connection_failed"} {"event":"auth_system_error"} {"event":"payment_error"}
 *   {"security_event":"sql_injection"|"xss_attempt"|"unauthorized_access"|"authentication_failed"}
 *
 * Every alarm notifies on ALARM and on OK, so the incident in PagerDuty /
 * Slack resolves when the metric recovers.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AlertingConfig } from "../../config/sections/alerting";
import { ConfigError } from "../../config/load";
import type { Database } from "../database/database";
import { TAG_KEYS, withTags } from "../shared/tags";
import { AlertRoute, SEVERITY_TAG_KEY } from "./incidents";
import { AlertRouting, ROUTE53_METRICS_REGION } from "./alert-routing";

export const SERVICE_ALARMS_TYPE = "duespark:alerting:ServiceAlarms";

export const APPLICATION_LOG_GROUP = "/duespark/api/application";
export const METRIC_NAMESPACE = "DueSpark/API";

/** Retention values CloudWatch Logs accepts from seven years up. */
const LONG_RETENTIONS = [2557, 2922, 3288, 3653];

export interface ServiceAlarmsArgs {
  config: AlertingConfig;
  database: Pick<Database, "identifier" | "instance">;
  alerts: Pick<AlertRouting, "criticalTopic" | "warningTopic" | "route53Topics" | "environment">;
  kmsKey: aws.kms.Key;
  /** Retention of the application (security) log group: the audit retention, >= 2557 days. */
  auditRetentionDays: number;
  tags?: Record<string, string>;
}

/** A log-derived metric: filter pattern, and the value it emits. */
interface LogMetric {
  metricName: string;
  pattern: string;
  value: string;
  unit?: string;
  /** Emit 0 when a log line does not match, so ratios have a denominator. */
  defaultZero?: boolean;
}

export const LOG_METRICS = {
  requests: { metricName: "RequestCount", pattern: '{ $.event = "http_request" }', value: "1", defaultZero: true },
  serverErrors: { metricName: "ServerErrorCount", pattern: '{ $.event = "http_request" && $.status >= 500 }', value: "1", defaultZero: true },
  responseTime: { metricName: "ResponseTimeMs", pattern: '{ $.event = "http_request" && $.duration_ms = * }', value: "$.duration_ms", unit: "Milliseconds" },
  dbConnectionFailures: { metricName: "DatabaseConnectionFailures", pattern: '{ $.event = "db_connection_failed" }', value: "1" },
  authSystemErrors: { metricName: "AuthenticationSystemErrors", pattern: '{ $.event = "auth_system_error" }', value: "1" },
  paymentErrors: { metricName: "PaymentErrors", pattern: '{ $.event = "payment_error" }', value: "1" },
  authFailed: { metricName: "AuthenticationFailed", pattern: '{ $.security_event = "authentication_failed" }', value: "1" },
  sqlInjection: { metricName: "SqlInjectionAttempts", pattern: '{ $.security_event = "sql_injection" }', value: "1" },
  xssAttempt: { metricName: "XssAttempts", pattern: '{ $.security_event = "xss_attempt" }', value: "1" },
  unauthorizedAccess: { metricName: "UnauthorizedAccess", pattern: '{ $.security_event = "unauthorized_access" }', value: "1" },
} as const satisfies Record<string, LogMetric>;

const GIB = 1024 ** 3;

/** Memory of an RDS instance class in GiB (burstable, general-purpose and memory-optimised families). */
export function instanceMemoryGiB(instanceClass: string): number {
  const m = /^db\.([a-z]+)(\d+)([a-z]*)\.(micro|small|medium|large|(\d*)xlarge)$/.exec(instanceClass);
  if (m) {
    const [, family, , , size, multiplier] = m;
    if (family === "t") {
      const burstable: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };
      if (size in burstable) return burstable[size];
    } else if (family === "m" || family === "r") {
      const vcpus = size === "large" ? 2 : size.endsWith("xlarge") ? 4 * Number(multiplier || "1") : NaN;
      if (Number.isFinite(vcpus)) return vcpus * (family === "m" ? 4 : 8);
    }
  }
  throw new ConfigError(`duespark-ops:database.instanceClass: got "${instanceClass}"; the memory alarm knows the db.t*, db.m* and db.r* families (micro..24xlarge)`);
}

export class ServiceAlarms extends pulumi.ComponentResource {
  readonly applicationLogGroup: aws.cloudwatch.LogGroup;
  readonly healthCheck: aws.route53.HealthCheck;
  readonly alarms: Record<string, aws.cloudwatch.MetricAlarm> = {};

  constructor(name: string, args: ServiceAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super(SERVICE_ALARMS_TYPE, name, {}, opts);
    if (!LONG_RETENTIONS.includes(args.auditRetentionDays)) {
      throw new ConfigError(`ServiceAlarms: auditRetentionDays got ${args.auditRetentionDays}; allowed (CloudWatch Logs, >= 7 years): ${LONG_RETENTIONS.join(", ")}`);
    }
    const { config, alerts, database } = args;
    const t = config.thresholds;
    const prefix = `duespark-${alerts.environment}`;

    this.applicationLogGroup = new aws.cloudwatch.LogGroup(`${name}-application`, {
      name: APPLICATION_LOG_GROUP,
      retentionInDays: args.auditRetentionDays,
      kmsKeyId: args.kmsKey.arn,
      tags: withTags(args.tags, { [TAG_KEYS.dataClass]: "audit" }),
    }, { parent: this });

    const filters: Record<string, aws.cloudwatch.LogMetricFilter> = {};
    for (const [key, m] of Object.entries(LOG_METRICS) as [string, LogMetric][]) {
      filters[key] = new aws.cloudwatch.LogMetricFilter(`${name}-${key}`, {
        name: `${prefix}-${m.metricName}`,
        logGroupName: this.applicationLogGroup.name,
        pattern: m.pattern,
        metricTransformation: {
          namespace: METRIC_NAMESPACE,
          name: m.metricName,
          value: m.value,
          unit: m.unit,
          defaultValue: m.defaultZero ? "0" : undefined,
        },
      }, { parent: this });
    }

    const alarm = (key: string, route: AlertRoute, description: string, spec: Omit<aws.cloudwatch.MetricAlarmArgs, "name" | "alarmActions" | "okActions" | "actionsEnabled" | "tags" | "alarmDescription">, topic?: aws.sns.Topic, deps: pulumi.Resource[] = []) => {
      const target = topic ?? (route === "critical" ? alerts.criticalTopic : alerts.warningTopic);
      this.alarms[key] = new aws.cloudwatch.MetricAlarm(`${name}-${key}`, {
        ...spec,
        name: `${prefix}-${key}`,
        alarmDescription: `[${route === "critical" ? "P1" : "P2"}] ${description}`,
        actionsEnabled: true,
        alarmActions: [target.arn],
        okActions: [target.arn],
        tags: withTags(args.tags, { [SEVERITY_TAG_KEY]: route }),
      }, { parent: this, dependsOn: deps });
    };
    const logCount = (key: keyof typeof LOG_METRICS, threshold: number) => ({
      namespace: METRIC_NAMESPACE,
      metricName: LOG_METRICS[key].metricName,
      statistic: "Sum",
      period: 300,
      evaluationPeriods: 1,
      threshold,
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      treatMissingData: "notBreaching",
    });

    // --- Critical.
    alarm("database-connection-failures", "critical", `${t.dbConnectionFailures}+ database connection failures in 5 minutes`, logCount("dbConnectionFailures", t.dbConnectionFailures), undefined, [filters.dbConnectionFailures]);
    alarm("authentication-system-failures", "critical", "authentication system errors (token signing/verification, identity store)", logCount("authSystemErrors", 1), undefined, [filters.authSystemErrors]);
    alarm("payment-processing-errors", "critical", `${t.paymentErrors}+ payment processing errors in 5 minutes`, logCount("paymentErrors", t.paymentErrors), undefined, [filters.paymentErrors]);
    alarm("security-sql-injection", "critical", "SQL injection attempt detected", logCount("sqlInjection", 1), undefined, [filters.sqlInjection]);
    alarm("security-xss-attempt", "critical", "cross-site scripting attempt detected", logCount("xssAttempt", 1), undefined, [filters.xssAttempt]);
    alarm("security-unauthorized-access", "critical", "unauthorized access to a protected resource", logCount("unauthorizedAccess", 1), undefined, [filters.unauthorizedAccess]);
    alarm("security-authentication-failure-spike", "critical", `${t.authFailuresPerFiveMinutes}+ failed logins in 5 minutes (credential stuffing / brute force)`, logCount("authFailed", t.authFailuresPerFiveMinutes), undefined, [filters.authFailed]);

    // Route 53 probes https://<host>/health from several regions; its
    // metrics are published only in us-east-1, so the alarms live there.
    this.healthCheck = new aws.route53.HealthCheck(`${name}-health`, {
      type: "HTTPS",
      fqdn: config.healthCheckHost,
      port: 443,
      resourcePath: "/health",
      enableSni: true,
      requestInterval: 30,
      failureThreshold: 3,
      measureLatency: true,
      tags: withTags(args.tags, { Name: `${prefix}-api-health` }),
    }, { parent: this });
    const healthDimensions = { HealthCheckId: this.healthCheck.id };
    alarm("service-down", "critical", `API /health failing for more than ${t.downtimeMinutes} minutes`, {
      region: ROUTE53_METRICS_REGION,
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: healthDimensions,
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: t.downtimeMinutes,
      datapointsToAlarm: t.downtimeMinutes,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    }, alerts.route53Topics.critical);

    // --- Warning.
    alarm("error-rate", "warning", `5xx error rate above ${t.errorRatePercent}%`, {
      metricQueries: [
        { id: "requests", metric: { namespace: METRIC_NAMESPACE, metricName: LOG_METRICS.requests.metricName, period: 300, stat: "Sum" }, returnData: false },
        { id: "errors", metric: { namespace: METRIC_NAMESPACE, metricName: LOG_METRICS.serverErrors.metricName, period: 300, stat: "Sum" }, returnData: false },
        { id: "error_rate", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: "5xx error rate (%)", returnData: true },
      ],
      evaluationPeriods: 1,
      threshold: t.errorRatePercent,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    }, undefined, [filters.requests, filters.serverErrors]);
    alarm("response-time", "warning", `average response time above ${t.responseTimeSeconds} s`, {
      namespace: METRIC_NAMESPACE,
      metricName: LOG_METRICS.responseTime.metricName,
      statistic: "Average",
      period: 300,
      evaluationPeriods: 1,
      threshold: t.responseTimeSeconds * 1000,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    }, undefined, [filters.responseTime]);

    const rds = (metricName: string) => ({
      namespace: "AWS/RDS",
      metricName,
      dimensions: { DBInstanceIdentifier: database.identifier },
      statistic: "Average",
      period: 300,
      evaluationPeriods: 3,
      treatMissingData: "missing",
    });
    alarm("database-cpu", "warning", `database CPU above ${t.cpuPercent}% for 15 minutes`, {
      ...rds("CPUUtilization"),
      threshold: t.cpuPercent,
      comparisonOperator: "GreaterThanThreshold",
    });
    // RDS publishes free bytes only: the percentage is turned into bytes of
    // the instance class's memory / the allocated storage.
    alarm("database-memory", "warning", `database memory use above ${t.memoryPercent}%`, {
      ...rds("FreeableMemory"),
      threshold: database.instance.instanceClass.apply((c) => Math.round(instanceMemoryGiB(c) * GIB * (1 - t.memoryPercent / 100))),
      comparisonOperator: "LessThanThreshold",
    });
    alarm("database-storage", "warning", `database storage use above ${t.storagePercent}%`, {
      ...rds("FreeStorageSpace"),
      threshold: database.instance.allocatedStorage.apply((gb) => Math.round(gb * GIB * (1 - t.storagePercent / 100))),
      comparisonOperator: "LessThanThreshold",
    });
    alarm("health-check-failed", "warning", "one or more Route 53 checkers report /health failing", {
      region: ROUTE53_METRICS_REGION,
      namespace: "AWS/Route53",
      metricName: "HealthCheckPercentageHealthy",
      dimensions: healthDimensions,
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 2,
      threshold: 100,
      comparisonOperator: "LessThanThreshold",
      treatMissingData: "breaching",
    }, alerts.route53Topics.warning);

    this.registerOutputs({ applicationLogGroup: this.applicationLogGroup.name, healthCheckId: this.healthCheck.id });
  }
}
