/**
 * Daily check of the third-party API keys' rotation obligation
 * (secrets.rotationDays.apiKeys, 365 days):
 *   due within secrets.apiKeyReminderDays -> P3 reminder (warning topic: Slack)
 *   overdue, or no value at all           -> P2 (the route incidents.ts gives P2: warning topic)
 * Topics and priorities come from the environment, set by the SecretsStore
 * component from the incident classification.
 *
 * Messages use AWS Chatbot's custom-notification format so they render in
 * Slack; the `severity` message attribute carries the priority.
 */
import { DescribeSecretCommand, ListSecretVersionIdsCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { classifyKeyAge, KeyAge } from "./age";

export interface ApiKeyRef {
  name: string;
  secretId: string;
  vendor: string;
  envVar: string;
}

export interface AgeCheckSettings {
  keys: ApiKeyRef[];
  rotationDays: number;
  reminderDays: number;
  environment: string;
  dueSoon: { topicArn: string; priority: string };
  overdue: { topicArn: string; priority: string };
}

export interface AgeCheckDeps {
  sm: SecretsManagerClient;
  sns: SNSClient;
  settings: AgeCheckSettings;
  now?: () => Date;
}

/** When the value in use was put: the AWSCURRENT version's creation (fallback: the secret's dates); undefined if never put. */
export async function valueSetAt(sm: SecretsManagerClient, secretId: string): Promise<Date | undefined> {
  let token: string | undefined;
  do {
    const page = await sm.send(new ListSecretVersionIdsCommand({ SecretId: secretId, NextToken: token }));
    const current = page.Versions?.find((v) => v.VersionStages?.includes("AWSCURRENT"));
    if (current) {
      if (current.CreatedDate) return current.CreatedDate;
      const meta = await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
      return meta.LastChangedDate ?? meta.CreatedDate;
    }
    token = page.NextToken;
  } while (token);
  return undefined;
}

export function notification(key: ApiKeyRef, age: KeyAge, s: AgeCheckSettings): { subject: string; message: string; priority: string; topicArn: string } {
  const route = age.state === "due-soon" ? s.dueSoon : s.overdue;
  const what =
    age.state === "missing" ? `${key.vendor} API key (${key.envVar}) has no value in Secrets Manager`
    : age.state === "overdue" ? `${key.vendor} API key (${key.envVar}) is ${-(age.daysLeft ?? 0)} days past its ${s.rotationDays}-day rotation (due ${age.dueDate})`
    : `${key.vendor} API key (${key.envVar}) must be rotated within ${age.daysLeft} days (due ${age.dueDate})`;
  const title = `${route.priority} ${s.environment}: ${what}`;
  const description = [
    `Secret: ${key.secretId}`,
    age.ageDays !== undefined ? `Age: ${age.ageDays} days (obligation: ${s.rotationDays} days)` : "Age: no value",
    "Rotate: issue a new key at the vendor, then",
    `aws secretsmanager put-secret-value --secret-id ${key.secretId} --secret-string "$NEW_KEY"`,
    "and revoke the old key at the vendor once the API has reloaded (docs/RUNBOOK-SECRETS.md).",
  ].join("\n");
  const message = JSON.stringify({ version: "1.0", source: "custom", content: { textType: "client-markdown", title, description } });
  return { subject: title.slice(0, 99), message, priority: route.priority, topicArn: route.topicArn };
}

export async function checkApiKeys(deps: AgeCheckDeps): Promise<KeyAge[]> {
  const now = (deps.now ?? (() => new Date()))();
  const s = deps.settings;
  const results: KeyAge[] = [];
  for (const key of s.keys) {
    const age = classifyKeyAge(key.name, await valueSetAt(deps.sm, key.secretId), now, s.rotationDays, s.reminderDays);
    results.push(age);
    if (age.state === "ok") continue;
    const n = notification(key, age, s);
    await deps.sns.send(new PublishCommand({
      TopicArn: n.topicArn,
      Subject: n.subject,
      Message: n.message,
      MessageAttributes: {
        severity: { DataType: "String", StringValue: n.priority },
        secret: { DataType: "String", StringValue: key.name },
      },
    }));
  }
  console.log(JSON.stringify({ msg: "api key age check", results }));
  return results;
}

export function settingsFromEnv(env: NodeJS.ProcessEnv): AgeCheckSettings {
  const need = (k: string) => {
    const v = env[k];
    if (!v) throw new Error(`environment variable ${k} is not set`);
    return v;
  };
  const days = (k: string) => {
    const n = Number(need(k));
    if (!Number.isInteger(n) || n < 1) throw new Error(`environment variable ${k} must be a whole number of days, got "${env[k]}"`);
    return n;
  };
  // API_KEY_REFS: secret references (ARNs), named so that nothing mistakes them for key material; API_KEYS is the former name.
  const refsVar = env.API_KEY_REFS ? "API_KEY_REFS" : "API_KEYS";
  const keys = JSON.parse(need(refsVar)) as ApiKeyRef[];
  if (!Array.isArray(keys) || keys.some((k) => !k.name || !k.secretId)) throw new Error(`${refsVar} must be a JSON list of {name, secretId, vendor, envVar}`);
  return {
    keys,
    rotationDays: days("ROTATION_DAYS"),
    reminderDays: days("REMINDER_DAYS"),
    environment: need("ENVIRONMENT"),
    dueSoon: { topicArn: need("DUE_SOON_TOPIC_ARN"), priority: need("DUE_SOON_PRIORITY") },
    overdue: { topicArn: need("OVERDUE_TOPIC_ARN"), priority: need("OVERDUE_PRIORITY") },
  };
}

let clients: { sm: SecretsManagerClient; sns: SNSClient } | undefined;

export async function handler(): Promise<KeyAge[]> {
  clients ??= { sm: new SecretsManagerClient({}), sns: new SNSClient({}) };
  return checkApiKeys({ ...clients, settings: settingsFromEnv(process.env) });
}
