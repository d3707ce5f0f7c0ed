import assert from "node:assert/strict";
import { test } from "node:test";
import { DescribeSecretCommand } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { mockClient } from "aws-sdk-client-mock";
import { classifyKeyAge } from "../../lambdas/api-key-age-check/age";
import { AgeCheckSettings, checkApiKeys, settingsFromEnv } from "../../lambdas/api-key-age-check/index";
import { FakeSecretsManager } from "./fake-secrets-manager";

const NOW = new Date("2027-06-30T12:00:00Z");
const DAY = 86_400_000;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * DAY);
const WARNING = "arn:aws:sns:us-east-1:123456789012:warning";
const secretId = (n: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:duespark/prod/api-keys/${n}-AbCdEf`;

const settings: AgeCheckSettings = {
  keys: [
    { name: "stripe", secretId: secretId("stripe"), vendor: "Stripe", envVar: "STRIPE_SECRET_KEY" },
    { name: "email-provider", secretId: secretId("email-provider"), vendor: "Email provider", envVar: "EMAIL_API_KEY" },
    { name: "maps", secretId: secretId("maps"), vendor: "Maps", envVar: "MAPS_API_KEY" },
  ],
  rotationDays: 365,
  reminderDays: 30,
  environment: "prod",
  dueSoon: { topicArn: WARNING, priority: "P3" },
  overdue: { topicArn: WARNING, priority: "P2" },
};

test("classification against the 365-day obligation with a 30-day reminder", () => {
  assert.equal(classifyKeyAge("k", daysAgo(334), NOW, 365, 30).state, "ok");
  const soon = classifyKeyAge("k", daysAgo(335), NOW, 365, 30);
  assert.deepEqual([soon.state, soon.daysLeft, soon.ageDays], ["due-soon", 30, 335]);
  assert.equal(classifyKeyAge("k", daysAgo(365), NOW, 365, 30).state, "due-soon");
  const late = classifyKeyAge("k", daysAgo(366), NOW, 365, 30);
  assert.deepEqual([late.state, late.daysLeft, late.dueDate], ["overdue", -1, "2027-06-29"]);
  assert.equal(classifyKeyAge("k", undefined, NOW, 365, 30).state, "missing");
});

test("overdue -> P2, due soon -> P3, never put -> P2; fresh keys publish nothing", async () => {
  const sm = new FakeSecretsManager();
  sm.put(secretId("stripe"), "v1", "sk_live_old", ["AWSCURRENT"], daysAgo(400));
  sm.put(secretId("email-provider"), "v1", "em_key", ["AWSCURRENT"], daysAgo(340));
  const sns = new SNSClient({ region: "us-east-1" });
  const snsMock = mockClient(sns);
  snsMock.on(PublishCommand).resolves({ MessageId: "m" });
  const results = await checkApiKeys({ sm: sm.client, sns, settings, now: () => NOW });
  assert.deepEqual(results.map((r) => [r.name, r.state]), [["stripe", "overdue"], ["email-provider", "due-soon"], ["maps", "missing"]]);
  const published = snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);
  assert.equal(published.length, 3);
  assert.deepEqual(published.map((p) => p.MessageAttributes!.severity.StringValue), ["P2", "P3", "P2"]);
  assert.ok(published.every((p) => p.TopicArn === WARNING));
  const stripe = JSON.parse(published[0].Message!);
  assert.equal(stripe.version, "1.0");
  assert.equal(stripe.source, "custom");
  assert.match(stripe.content.title, /^P2 prod: Stripe API key \(STRIPE_SECRET_KEY\) is 35 days past its 365-day rotation/);
  assert.ok(stripe.content.description.includes(`aws secretsmanager put-secret-value --secret-id ${secretId("stripe")}`));
  assert.ok(!published.some((p) => p.Message!.includes("sk_live_old")), "the key value is never read or sent");
  assert.ok(!sm.calls.includes("GetSecretValue"));

  snsMock.reset();
  sm.put(secretId("stripe"), "v2", "sk_live_new", ["AWSCURRENT"], daysAgo(1));
  sm.put(secretId("email-provider"), "v2", "em_new", ["AWSCURRENT"], daysAgo(1));
  sm.put(secretId("maps"), "v1", "m", ["AWSCURRENT"], daysAgo(1));
  await checkApiKeys({ sm: sm.client, sns, settings, now: () => NOW });
  assert.equal(snsMock.commandCalls(PublishCommand).length, 0);
});

test("age is the AWSCURRENT version's age, not LastChangedDate (which tag edits move)", async () => {
  const sm = new FakeSecretsManager();
  sm.put(secretId("stripe"), "v1", "sk", ["AWSCURRENT"], daysAgo(500));
  sm.mock.on(DescribeSecretCommand).resolves({ LastChangedDate: daysAgo(1), CreatedDate: daysAgo(600) });
  const sns = new SNSClient({ region: "us-east-1" });
  mockClient(sns).on(PublishCommand).resolves({});
  const [stripe] = await checkApiKeys({ sm: sm.client, sns, settings: { ...settings, keys: [settings.keys[0]] }, now: () => NOW });
  assert.deepEqual([stripe.state, stripe.ageDays], ["overdue", 500]);
});

test("settings from the environment", () => {
  const env = {
    API_KEYS: JSON.stringify(settings.keys), ROTATION_DAYS: "365", REMINDER_DAYS: "30", ENVIRONMENT: "prod",
    DUE_SOON_TOPIC_ARN: WARNING, DUE_SOON_PRIORITY: "P3", OVERDUE_TOPIC_ARN: WARNING, OVERDUE_PRIORITY: "P2",
  };
  assert.deepEqual(settingsFromEnv(env), settings);
  assert.throws(() => settingsFromEnv({ ...env, ROTATION_DAYS: "0" }), /ROTATION_DAYS must be a whole number of days/);
  assert.throws(() => settingsFromEnv({ ...env, API_KEYS: "[{}]" }), /API_KEYS must be a JSON list/);
  assert.throws(() => settingsFromEnv({ ...env, API_KEY_REFS: "[{}]" }), /API_KEY_REFS must be a JSON list/);
  assert.deepEqual(settingsFromEnv({ ...env, API_KEYS: undefined, API_KEY_REFS: env.API_KEYS }).keys, settings.keys);
});
