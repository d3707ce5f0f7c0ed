import assert from "node:assert/strict";
import { test } from "node:test";
import { AlertRouting } from "../../../components/alerting/alert-routing";
import { inputsOf, isSecret, jsonInput, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { standInKeys } from "../../support/stand-ins";

function program(stack: string) {
  const cfg = stackConfig(stack);
  return () => {
    const keys = standInKeys(cfg);
    new AlertRouting("alerting", { config: cfg.alerting, environment: cfg.environment, kmsKey: keys.primaryKey, tags: cfg.tags });
  };
}

const TOPIC = "aws:sns/topic:Topic";
const SUB = "aws:sns/topicSubscription:TopicSubscription";
const SLACK = "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration";

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`${mode}: both topics are encrypted with the CMK, never alias/aws/sns`, async () => {
    const run = await runMocked(program("prod"), { preview });
    const key = run.one("aws:kms/key:Key");
    const topics = run.all(TOPIC);
    assert.deepEqual(topics.map((t) => t.name).sort(), ["alerting-critical", "alerting-warning"]);
    for (const t of topics) {
      assert.deepEqual(t.propertyDependencies.kmsMasterKeyId, [key.urn]);
      const kms = inputsOf(t).kmsMasterKeyId;
      if (preview) assert.equal(kms, UNKNOWN);
      else assert.match(kms, /^arn:aws:kms:us-east-1:123456789012:key\/mrk-/);
      assert.notEqual(kms, "alias/aws/sns");
    }
  });

  test(`${mode}: critical routes to PagerDuty and Slack, warning to Slack only`, async () => {
    const run = await runMocked(program("prod"), { preview });
    const critical = run.one(TOPIC, "critical");
    const warning = run.one(TOPIC, "warning");
    const subs = run.all(SUB);
    assert.equal(subs.length, 1);
    const pd = subs[0];
    assert.deepEqual(pd.propertyDependencies.topic, [critical.urn]);
    assert.equal(inputsOf(pd).protocol, "https");
    assert.equal(inputsOf(pd).endpointAutoConfirms, true);
    // The SDK sends an unknown value without its secret marker; once known it is secret.
    if (preview) assert.equal(pd.inputs.endpoint, UNKNOWN);
    else assert.equal(isSecret(pd.inputs.endpoint), true, "the PagerDuty endpoint embeds the integration key");
    const integration = run.one("pagerduty:index/serviceIntegration:ServiceIntegration");
    assert.equal(inputsOf(integration).type, "aws_cloudwatch_inbound_integration");
    assert.deepEqual(integration.additionalSecretOutputs, ["integrationKey"]);
    if (!preview) {
      assert.match(inputsOf(pd).endpoint, /^https:\/\/events\.pagerduty\.com\/integration\/[0-9a-f]{32}\/enqueue$/);
      assert.ok(inputsOf(pd).topic.startsWith("arn:aws:sns:us-east-1:123456789012:alerting-critical-"));
    }

    const critSlack = run.one(SLACK, "critical");
    const warnSlack = run.one(SLACK, "warning");
    assert.deepEqual(critSlack.propertyDependencies.snsTopicArns, [critical.urn]);
    assert.deepEqual(warnSlack.propertyDependencies.snsTopicArns, [warning.urn]);
    assert.equal(inputsOf(critSlack).slackChannelId, "C05CRIT0PS1");
    assert.equal(inputsOf(warnSlack).slackChannelId, "C05WARN0PS2");
    for (const s of [critSlack, warnSlack]) {
      assert.equal(inputsOf(s).region, "us-east-2");
      assert.equal(inputsOf(s).slackTeamId, "T04DUESPK1");
      assert.deepEqual(inputsOf(s).guardrailPolicyArns, ["arn:aws:iam::aws:policy/ReadOnlyAccess"]);
    }
    if (!preview) {
      const arnOf = (t: typeof critical) => `arn:aws:sns:us-east-1:123456789012:${t.name}-`;
      assert.equal(inputsOf(critSlack).snsTopicArns.length, 1);
      assert.ok(inputsOf(critSlack).snsTopicArns[0].startsWith(arnOf(critical)));
      assert.ok(inputsOf(warnSlack).snsTopicArns[0].startsWith(arnOf(warning)));
    }
  });

  test(`${mode}: PagerDuty schedule, escalation and service follow the config`, async () => {
    const run = await runMocked(program("prod"), { preview });
    const schedules = run.all("pagerduty:index/schedule:Schedule");
    assert.equal(schedules.length, 2);
    const primary = inputsOf(run.one("pagerduty:index/schedule:Schedule", "primary"));
    assert.equal(primary.timeZone, "Etc/UTC");
    assert.deepEqual(primary.layers[0].users, ["PA1B2C3", "PD4E5F6", "PG7H8J9"]);
    assert.equal(primary.layers[0].rotationTurnLengthSeconds, 168 * 3600);
    assert.equal(primary.layers[0].start, "2026-01-05T09:00:00Z");
    assert.deepEqual(inputsOf(run.one("pagerduty:index/schedule:Schedule", "secondary")).layers[0].users, ["PD4E5F6", "PG7H8J9", "PA1B2C3"]);

    const policy = inputsOf(run.one("pagerduty:index/escalationPolicy:EscalationPolicy"));
    assert.equal(policy.numLoops, 2);
    assert.equal(policy.rules.length, 2);
    for (const rule of policy.rules) {
      assert.equal(rule.escalationDelayInMinutes, 15);
      assert.ok(rule.targets.length > 0);
      for (const target of rule.targets) assert.equal(target.type, "schedule_reference");
    }
    const service = inputsOf(run.one("pagerduty:index/service:Service"));
    assert.equal(service.name, "DueSpark API (prod)");
    assert.deepEqual(service.incidentUrgencyRule, { type: "constant", urgency: "high" });
  });

  test(`${mode}: topic policies let only CloudWatch, EventBridge and Backup of this account publish`, async () => {
    const run = await runMocked(program("prod"), { preview });
    const policies = run.all("aws:sns/topicPolicy:TopicPolicy");
    assert.equal(policies.length, 2);
    if (preview) {
      for (const p of policies) assert.equal(inputsOf(p).policy, UNKNOWN);
      return;
    }
    for (const p of policies) {
      const doc = jsonInput(p, "policy");
      const allow = doc.Statement.find((s: any) => s.Effect === "Allow");
      assert.deepEqual(allow.Principal.Service, ["cloudwatch.amazonaws.com", "events.amazonaws.com", "backup.amazonaws.com"]);
      assert.equal(allow.Action, "sns:Publish");
      assert.deepEqual(allow.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
      const deny = doc.Statement.find((s: any) => s.Effect === "Deny");
      assert.deepEqual(deny.Condition, { Bool: { "aws:SecureTransport": false } });
    }
  });

  test(`${mode}: a stack outside us-east-1 gets Route 53 alarm topics in us-east-1, routed the same way`, async () => {
    const run = await runMocked(program("prod-dr"), { preview, stack: "prod-dr" });
    const twins = run.all(TOPIC, "route53");
    assert.equal(twins.length, 2);
    for (const t of twins) assert.equal(inputsOf(t).region, "us-east-1");
    const twinKey = run.one("aws:kms/key:Key", "route53");
    assert.equal(inputsOf(twinKey).region, "us-east-1");
    assert.equal(inputsOf(twinKey).enableKeyRotation, true);
    assert.equal(twinKey.protect, true, "a production key is protected");
    for (const t of twins) assert.deepEqual(t.propertyDependencies.kmsMasterKeyId, [twinKey.urn]);
    const subs = run.all(SUB);
    assert.deepEqual(subs.map((s) => s.propertyDependencies.topic[0]).sort(), [run.one(TOPIC, "alerting-critical").urn, run.one(TOPIC, "route53-critical").urn].sort());
    const critSlack = run.one(SLACK, "critical");
    assert.deepEqual(critSlack.propertyDependencies.snsTopicArns.sort(), [run.one(TOPIC, "alerting-critical").urn, run.one(TOPIC, "route53-critical").urn].sort());
    const warnSlack = run.one(SLACK, "warning");
    assert.deepEqual(warnSlack.propertyDependencies.snsTopicArns.sort(), [run.one(TOPIC, "alerting-warning").urn, run.one(TOPIC, "route53-warning").urn].sort());
  });
}
