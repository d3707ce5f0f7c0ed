/**
 * Alert routing (runbook: Security Monitoring / Alerting Configuration).
 *
 *   critical topic -> PagerDuty (Amazon CloudWatch integration) + Slack critical channel
 *   warning topic  -> Slack warning channel only
 *
 * Both topics are encrypted with the stack's CMK. The AWS-managed
 * alias/aws/sns key cannot be used: its key policy does not let
 * CloudWatch, EventBridge or AWS Backup use it, so their notifications are
 * dropped without an error. The CMK's key policy must therefore allow
 * cloudwatch.amazonaws.com, events.amazonaws.com and backup.amazonaws.com
 * kms:GenerateDataKey* and kms:Decrypt (components/keys).
 *
 * Route 53 health-check metrics exist only in us-east-1 and an alarm can only
 * notify a topic in its own region, so stacks outside us-east-1 get a second
 * pair of topics there (`route53Topics`), routed the same way.
 */
import * as aws from "@pulumi/aws";
import * as pagerduty from "@pulumi/pagerduty";
import * as pulumi from "@pulumi/pulumi";
import type { AlertingConfig } from "../../config/sections/alerting";
import { ConfigError } from "../../config/load";
import { PolicyDocument, serviceTrust, toJson } from "../shared/iam";
import { withTags } from "../shared/tags";
import { AlertRoute, SEVERITY_TAG_KEY } from "./incidents";

export const ALERT_ROUTING_TYPE = "duespark:alerting:AlertRouting";

/** The only region with Route 53 health-check metrics (an AWS fact, not a deployment choice). */
export const ROUTE53_METRICS_REGION = "us-east-1";

/** Services that publish alarms and findings to the topics. */
export const PUBLISHING_SERVICES = ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com"] as const;

export interface AlertRoutingArgs {
  config: AlertingConfig;
  environment: string;
  kmsKey: aws.kms.Key;
  tags?: Record<string, string>;
}

export interface TopicPair {
  critical: aws.sns.Topic;
  warning: aws.sns.Topic;
  /** Region of the pair (undefined: the stack's region). */
  region?: string;
}

export class AlertRouting extends pulumi.ComponentResource {
  readonly criticalTopic: aws.sns.Topic;
  readonly warningTopic: aws.sns.Topic;
  /** Topics in us-east-1 for alarms on Route 53 metrics (the main pair when the stack is in us-east-1). */
  readonly route53Topics: TopicPair;
  readonly pagerDutyServiceId: pulumi.Output<string>;
  readonly environment: string;

  constructor(name: string, args: AlertRoutingArgs, opts?: pulumi.ComponentResourceOptions) {
    super(ALERT_ROUTING_TYPE, name, {}, opts);
    validate(args);
    const { config, environment } = args;
    this.environment = environment;
    const invoke = { parent: this };
    const partition = aws.getPartitionOutput({}, invoke).partition;
    const accountId = aws.getCallerIdentityOutput({}, invoke).accountId;

    const main = this.topicPair(name, args, args.kmsKey.arn, accountId, undefined);
    this.criticalTopic = main.critical;
    this.warningTopic = main.warning;

    const stackRegion = aws.config.region;
    if (stackRegion === ROUTE53_METRICS_REGION) {
      this.route53Topics = main;
    } else {
      // A key of its own: SNS only accepts a KMS key in the topic's region.
      const r53Key = new aws.kms.Key(`${name}-route53-alarms`, {
        region: ROUTE53_METRICS_REGION,
        description: `duespark ${environment}: encrypts the Route 53 health alarm topics in ${ROUTE53_METRICS_REGION}`,
        enableKeyRotation: true,
        deletionWindowInDays: 30,
        policy: toJson(keyPolicy(partition, accountId)),
        tags: withTags(args.tags, { Name: `duespark-${environment}-route53-alarms` }),
      }, { parent: this, protect: environment === "prod" });
      this.route53Topics = this.topicPair(`${name}-route53`, args, r53Key.arn, accountId, ROUTE53_METRICS_REGION);
    }

    // --- PagerDuty: primary and secondary on-call, escalation, service, CloudWatch integration.
    const pd = config.pagerduty;
    const turnSeconds = pd.rotationLengthHours * 3600;
    const layer = (users: string[]) => ({
      name: "Weekly rotation",
      start: pd.rotationStart,
      rotationVirtualStart: pd.rotationStart,
      rotationTurnLengthSeconds: turnSeconds,
      users,
    });
    const primary = new pagerduty.Schedule(`${name}-primary`, {
      name: `${pd.serviceName} - primary on-call`,
      timeZone: pd.timeZone,
      layers: [layer(pd.onCallUserIds)],
    }, { parent: this });
    // The secondary is the next engineer in the same rotation.
    const rotated = [...pd.onCallUserIds.slice(1), pd.onCallUserIds[0]];
    const secondary = new pagerduty.Schedule(`${name}-secondary`, {
      name: `${pd.serviceName} - secondary on-call`,
      timeZone: pd.timeZone,
      layers: [layer(rotated)],
    }, { parent: this });
    const escalation = new pagerduty.EscalationPolicy(`${name}-escalation`, {
      name: `${pd.serviceName} escalation`,
      numLoops: pd.escalationLoops,
      rules: [primary, secondary].map((s) => ({
        escalationDelayInMinutes: pd.escalationDelayMinutes,
        targets: [{ type: "schedule_reference", id: s.id }],
      })),
    }, { parent: this });
    // Constant high urgency: only the critical route (P0/P1) reaches this
    // service; P2/P3 stay in Slack. Severity-based urgency is not used
    // because the CloudWatch integration does not carry our P-levels.
    const service = new pagerduty.Service(`${name}-service`, {
      name: pd.serviceName,
      description: `DueSpark API ${environment}: P0/P1 incidents from CloudWatch alarms, GuardDuty, Security Hub and AWS Backup`,
      escalationPolicy: escalation.id,
      incidentUrgencyRule: { type: "constant", urgency: "high" },
      autoResolveTimeout: "null",
      acknowledgementTimeout: "1800",
    }, { parent: this });
    this.pagerDutyServiceId = service.id;
    const integration = new pagerduty.ServiceIntegration(`${name}-cloudwatch`, {
      name: "Amazon CloudWatch",
      service: service.id,
      type: "aws_cloudwatch_inbound_integration",
    }, { parent: this, additionalSecretOutputs: ["integrationKey"] });
    // Anyone holding this URL can open incidents: it is a secret.
    const pagerDutyEndpoint = pulumi.secret(pulumi.interpolate`https://events.pagerduty.com/integration/${integration.integrationKey}/enqueue`);
    const pairs = this.route53Topics === main ? [main] : [main, this.route53Topics];
    pairs.forEach((pair, i) => {
      new aws.sns.TopicSubscription(`${name}-pagerduty${i === 0 ? "" : "-route53"}`, {
        region: pair.region,
        topic: pair.critical.arn,
        protocol: "https",
        endpoint: pagerDutyEndpoint,
        endpointAutoConfirms: true,
      }, { parent: this });
    });

    // --- Slack through AWS Chatbot: notification-only roles, read-only guardrail.
    const readOnlyGuardrail = pulumi.interpolate`arn:${partition}:iam::aws:policy/ReadOnlyAccess`;
    const channel = (route: AlertRoute, channelId: string, topics: aws.sns.Topic[]) => {
      const role = new aws.iam.Role(`${name}-chatbot-${route}`, {
        description: `AWS Chatbot, Slack ${route} channel: reads alarm details only`,
        assumeRolePolicy: toJson(serviceTrust("chatbot.amazonaws.com")),
        tags: withTags(args.tags),
      }, { parent: this });
      new aws.iam.RolePolicy(`${name}-chatbot-${route}`, {
        role: role.id,
        policy: toJson({
          Version: "2012-10-17",
          Statement: [{
            Sid: "NotificationsOnly",
            Effect: "Allow",
            Action: ["cloudwatch:Describe*", "cloudwatch:Get*", "cloudwatch:List*"],
            Resource: "*",
          }],
        }),
      }, { parent: this });
      return new aws.chatbot.SlackChannelConfiguration(`${name}-slack-${route}`, {
        region: config.slack.chatbotRegion,
        configurationName: `duespark-${environment}-${route}`,
        slackTeamId: config.slack.workspaceId,
        slackChannelId: channelId,
        iamRoleArn: role.arn,
        guardrailPolicyArns: [readOnlyGuardrail],
        snsTopicArns: topics.map((t) => t.arn),
        loggingLevel: "ERROR",
        userAuthorizationRequired: false,
        tags: withTags(args.tags, { [SEVERITY_TAG_KEY]: route }),
      }, { parent: this });
    };
    channel("critical", config.slack.criticalChannelId, pairs.map((p) => p.critical));
    channel("warning", config.slack.warningChannelId, pairs.map((p) => p.warning));

    this.registerOutputs({
      criticalTopicArn: this.criticalTopic.arn,
      warningTopicArn: this.warningTopic.arn,
      pagerDutyServiceId: service.id,
    });
  }

  private topicPair(name: string, args: AlertRoutingArgs, keyArn: pulumi.Input<string>, accountId: pulumi.Input<string>, region: string | undefined): TopicPair {
    const topic = (route: AlertRoute) => {
      const t = new aws.sns.Topic(`${name}-${route}`, {
        region,
        displayName: `DueSpark ${args.environment} ${route} alerts`,
        kmsMasterKeyId: keyArn,
        tags: withTags(args.tags, { [SEVERITY_TAG_KEY]: route }),
      }, { parent: this });
      new aws.sns.TopicPolicy(`${name}-${route}`, {
        region,
        arn: t.arn,
        policy: toJson(topicPolicy(t.arn, accountId)),
      }, { parent: this });
      return t;
    };
    return { critical: topic("critical"), warning: topic("warning"), region };
  }
}

export function topicPolicy(topicArn: pulumi.Input<string>, accountId: pulumi.Input<string>): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowAlarmAndEventPublishers",
        Effect: "Allow",
        Principal: { Service: [...PUBLISHING_SERVICES] },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { Bool: { "aws:SecureTransport": false } },
      },
    ],
  };
}

function keyPolicy(partition: pulumi.Input<string>, accountId: pulumi.Input<string>): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersThroughIam",
        Effect: "Allow",
        Principal: { AWS: pulumi.interpolate`arn:${partition}:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "AlarmPublishersEncrypt",
        Effect: "Allow",
        Principal: { Service: [...PUBLISHING_SERVICES] },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  };
}

function validate(args: AlertRoutingArgs): void {
  if (!args.kmsKey) throw new ConfigError("AlertRouting: kmsKey is required (a customer-managed aws.kms.Key); alias/aws/sns drops alarm notifications");
  if (!["dev", "staging", "prod"].includes(args.environment)) {
    throw new ConfigError(`AlertRouting: environment got "${args.environment}"; allowed: dev, staging, prod`);
  }
}
