/**
 * DNS failover (runbook: Disaster Recovery — "switch DNS").
 *
 * Route 53 failover routing: the primary stack declares the PRIMARY record,
 * the recovery stack the SECONDARY one, both under the same name and each
 * guarded by a health check on `/health` of its own region. Each stack owns
 * only its half, so the recovery stack can be deployed while the primary's
 * state or region is unreachable. While the primary's check passes Route 53
 * answers with the primary; when it fails (or is inverted by an operator:
 * `aws route53 update-health-check --inverted`) it answers with the
 * secondary. Switching is a record answer change, no deployment.
 *
 * The check probes the stack's regional name (`regionalHostName`), a CNAME
 * to this region's load balancer that the API's ingress also serves: Route
 * 53 sends the checked name as the Host header, and the ingress routes by
 * host, so probing the load balancer's own name would only reach the
 * ingress controller's default backend.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config/load";
import { withTags } from "../shared/tags";

export const DNS_FAILOVER_TYPE = "duespark:dr:DnsFailover";

/** The API's health endpoint; the runbook's service verification probes it. */
export const HEALTH_CHECK_PATH = "/health";
/** Seconds: short enough that a failover is seen quickly, long enough not to flap. */
export const FAILOVER_TTL_SECONDS = 60;
export const HEALTH_CHECK_INTERVAL_SECONDS = 30;
export const HEALTH_CHECK_FAILURE_THRESHOLD = 3;

export type FailoverRole = "primary" | "recovery";

export interface DnsFailoverArgs {
  role: FailoverRole;
  /** Public hosted zone, e.g. duespark.com. */
  hostedZoneName: string;
  /** The failover record, e.g. api.duespark.com. */
  recordName: string;
  /** This stack's regional name (see `regionalHostName`). */
  regionalHost: string;
  /** Host name of this region's load balancer (CNAME target). */
  loadBalancerHostname: pulumi.Input<string>;
  tags?: Record<string, string>;
}

/**
 * The stack's own name under the record, e.g. `prod.api.duespark.com`: what
 * the health check probes and what operators use to reach one region.
 */
export function regionalHostName(stack: string, recordName: string): string {
  const label = stack.toLowerCase().replace(/[^a-z0-9-]/g, "-").replace(/^-+|-+$/g, "").slice(0, 63);
  if (!label) throw new ConfigError(`DnsFailover: stack name "${stack}" gives no DNS label`);
  return `${label}.${recordName}`;
}

export class DnsFailover extends pulumi.ComponentResource {
  readonly healthCheck: aws.route53.HealthCheck;
  readonly record: aws.route53.Record;
  readonly regionalRecord: aws.route53.Record;
  readonly failoverType: "PRIMARY" | "SECONDARY";

  constructor(name: string, args: DnsFailoverArgs, opts?: pulumi.ComponentResourceOptions) {
    validate(args);
    super(DNS_FAILOVER_TYPE, name, {}, opts);
    const stack = pulumi.getStack();
    this.failoverType = args.role === "primary" ? "PRIMARY" : "SECONDARY";
    const zoneId = aws.route53.getZoneOutput({ name: args.hostedZoneName, privateZone: false }, { parent: this }).zoneId;
    const target = pulumi.output(args.loadBalancerHostname).apply((h) => {
      if (!h) throw new ConfigError(`DnsFailover: the load balancer host name is empty; the ingress controller has not published one for ${args.regionalHost}`);
      return h;
    });

    this.regionalRecord = new aws.route53.Record(`${name}-regional`, {
      zoneId,
      name: args.regionalHost,
      type: "CNAME",
      ttl: FAILOVER_TTL_SECONDS,
      records: [target],
    }, { parent: this });

    this.healthCheck = new aws.route53.HealthCheck(`${name}-health`, {
      type: "HTTPS",
      fqdn: args.regionalHost,
      port: 443,
      resourcePath: HEALTH_CHECK_PATH,
      enableSni: true,
      requestInterval: HEALTH_CHECK_INTERVAL_SECONDS,
      failureThreshold: HEALTH_CHECK_FAILURE_THRESHOLD,
      tags: withTags(args.tags, { Name: `duespark-${stack}-failover-${args.role}` }),
    }, { parent: this, dependsOn: [this.regionalRecord] });

    this.record = new aws.route53.Record(`${name}-record`, {
      zoneId,
      name: args.recordName,
      type: "CNAME",
      ttl: FAILOVER_TTL_SECONDS,
      records: [target],
      setIdentifier: `${stack}-${args.role}`,
      failoverRoutingPolicies: [{ type: this.failoverType }],
      healthCheckId: this.healthCheck.id,
    }, { parent: this });

    this.registerOutputs({ healthCheckId: this.healthCheck.id, recordFqdn: this.record.fqdn, failoverType: this.failoverType });
  }
}

function validate(args: DnsFailoverArgs): void {
  if (args.role !== "primary" && args.role !== "recovery") {
    throw new ConfigError(`DnsFailover: role got "${String(args.role)}"; allowed: primary, recovery`);
  }
  if (args.recordName !== args.hostedZoneName && !args.recordName.endsWith(`.${args.hostedZoneName}`)) {
    throw new ConfigError(`DnsFailover: recordName "${args.recordName}" is not inside hostedZoneName "${args.hostedZoneName}"`);
  }
  if (!args.regionalHost.endsWith(`.${args.hostedZoneName}`)) {
    throw new ConfigError(`DnsFailover: regionalHost "${args.regionalHost}" is not inside hostedZoneName "${args.hostedZoneName}"`);
  }
}
