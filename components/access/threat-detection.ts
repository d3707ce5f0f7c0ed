/**
 * Threat detection (runbook: Security Monitoring): GuardDuty, Security Hub
 * with the AWS Foundational Security Best Practices and PCI DSS v4.0.1
 * standards, ECR enhanced (continuous) image scanning, and routing of
 * high-severity findings to the critical topic (PagerDuty + Slack).
 *
 * Findings are forwarded as the raw EventBridge event: AWS Chatbot renders
 * GuardDuty / Security Hub events natively and PagerDuty's CloudWatch
 * integration parses them, so no input transformer is used.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { withTags } from "../shared/tags";
import { SEVERITY_TAG_KEY } from "../alerting/incidents";
import type { AlertRouting } from "../alerting/alert-routing";

export const THREAT_DETECTION_TYPE = "duespark:access:ThreatDetection";

/** GuardDuty severities 7.0-8.9 are High, 9.0+ Critical. */
export const GUARDDUTY_MIN_SEVERITY = 7;

export const STANDARDS = {
  foundational: "aws-foundational-security-best-practices/v/1.0.0",
  pciDss: "pci-dss/v/4.0.1",
} as const;

export interface ThreatDetectionArgs {
  alerts: Pick<AlertRouting, "criticalTopic">;
  tags?: Record<string, string>;
}

export class ThreatDetection extends pulumi.ComponentResource {
  readonly detector: aws.guardduty.Detector;

  constructor(name: string, args: ThreatDetectionArgs, opts?: pulumi.ComponentResourceOptions) {
    super(THREAT_DETECTION_TYPE, name, {}, opts);
    const invoke = { parent: this };
    const partition = aws.getPartitionOutput({}, invoke).partition;
    const region = aws.getRegionOutput({}, invoke).region;

    this.detector = new aws.guardduty.Detector(`${name}-guardduty`, {
      enable: true,
      findingPublishingFrequency: "FIFTEEN_MINUTES",
      tags: withTags(args.tags),
    }, { parent: this });

    const hub = new aws.securityhub.Account(`${name}-securityhub`, {
      enableDefaultStandards: false,
      controlFindingGenerator: "SECURITY_CONTROL",
      autoEnableControls: true,
    }, { parent: this });
    for (const [key, standard] of Object.entries(STANDARDS)) {
      new aws.securityhub.StandardsSubscription(`${name}-${key}`, {
        standardsArn: pulumi.interpolate`arn:${partition}:securityhub:${region}::standards/${standard}`,
      }, { parent: this, dependsOn: [hub] });
    }

    new aws.ecr.RegistryScanningConfiguration(`${name}-ecr-scanning`, {
      scanType: "ENHANCED",
      rules: [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }],
    }, { parent: this });

    const route = (key: string, description: string, pattern: Record<string, unknown>, deps: pulumi.Resource[]) => {
      const rule = new aws.cloudwatch.EventRule(`${name}-${key}`, {
        description,
        eventPattern: JSON.stringify(pattern),
        tags: withTags(args.tags, { [SEVERITY_TAG_KEY]: "critical" }),
      }, { parent: this, dependsOn: deps });
      new aws.cloudwatch.EventTarget(`${name}-${key}`, {
        rule: rule.name,
        arn: args.alerts.criticalTopic.arn,
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
      }, { parent: this });
      return rule;
    };
    route("guardduty-high", `GuardDuty findings of severity >= ${GUARDDUTY_MIN_SEVERITY} (High, Critical)`, {
      source: ["aws.guardduty"],
      "detail-type": ["GuardDuty Finding"],
      detail: { severity: [{ numeric: [">=", GUARDDUTY_MIN_SEVERITY] }] },
    }, [this.detector]);
    route("securityhub-high", "New, active Security Hub findings labelled HIGH or CRITICAL", {
      source: ["aws.securityhub"],
      "detail-type": ["Security Hub Findings - Imported"],
      detail: {
        findings: {
          Severity: { Label: ["HIGH", "CRITICAL"] },
          Workflow: { Status: ["NEW"] },
          RecordState: ["ACTIVE"],
        },
      },
    }, [hub]);

    this.registerOutputs({ detectorId: this.detector.id });
  }
}
