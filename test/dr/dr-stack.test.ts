import assert from "node:assert/strict";
import { test } from "node:test";
import { ROUTE53_METRICS_REGION } from "../../components/alerting/alert-routing";
import { inputsOf, stackConfig, UNKNOWN } from "../support/mocks";
import { regionOfResource, runProgram } from "./program";

const cfg = stackConfig("prod-dr");
const fallback = cfg.dr.primaryOutputs!;

/** AWS resources the recovery stack places outside us-west-2 on purpose. */
const IN_DR_REGION = new Set([
  "aws:kms/replicaKey:ReplicaKey", "aws:kms/alias:Alias", "aws:backup/vault:Vault", "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
]);
const ROUTE53_METRICS_PIECES = new Set(["aws:kms/key:Key", "aws:sns/topic:Topic", "aws:sns/topicPolicy:TopicPolicy", "aws:sns/topicSubscription:TopicSubscription", "aws:cloudwatch/metricAlarm:MetricAlarm"]);

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`${mode}: prod-dr places every AWS resource in us-west-2 except the declared cross-region ones`, async () => {
    const run = await runProgram({ stack: "prod-dr", preview });
    assert.equal(cfg.region, "us-west-2");
    assert.equal(cfg.drRegion, "us-east-1");
    const aws = run.resources.filter((r) => r.custom && r.type.startsWith("aws:"));
    assert.ok(aws.length > 150, `planned ${aws.length} AWS resources`);
    const elsewhere = new Map<string, string>();
    for (const r of aws) {
      const region = regionOfResource(run, r, cfg.region);
      if (region === "us-west-2") continue;
      elsewhere.set(`${r.type}::${r.name}`, region);
      if (r.type === "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration") assert.equal(region, cfg.alerting.slack.chatbotRegion);
      else if (IN_DR_REGION.has(r.type)) assert.equal(region, cfg.drRegion, `${r.name} is in the DR region`);
      else {
        assert.ok(ROUTE53_METRICS_PIECES.has(r.type), `${r.type}::${r.name} is in ${region}, not declared cross-region`);
        assert.equal(region, ROUTE53_METRICS_REGION);
      }
    }
    // The DR-region half of the stack really is there.
    assert.equal(elsewhere.get("aws:kms/replicaKey:ReplicaKey::keys-replica"), "us-east-1");
    assert.equal(elsewhere.get("aws:backup/vault:Vault::backup-dr-vault"), "us-east-1");
    assert.equal(elsewhere.get("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication::database-dr-backups"), "us-east-1");
  });

  test(`${mode}: prod-dr restores the database from prod's replicated automated backups under the replica key`, async () => {
    const run = await runProgram({ stack: "prod-dr", preview });
    const db = inputsOf(run.one("aws:rds/instance:Instance"));
    // StackReference outputs are known in a preview too (a read of existing state).
    assert.deepEqual(db.restoreToPointInTime, { sourceDbInstanceAutomatedBackupsArn: fallback.drAutomatedBackupsArn, useLatestRestorableTime: true });
    assert.equal(db.kmsKeyId, fallback.replicaKeyArn);
    assert.equal(db.snapshotIdentifier, undefined);
    assert.equal(db.username, undefined, "master user comes from the recovery point");
    assert.equal(db.dbName, undefined);
    assert.equal(db.identifier, "duespark-prod-dr");
    assert.equal(db.manageMasterUserPassword, true);
    assert.equal(db.storageEncrypted, true);
    // The restored instance is itself protected by replicated backups to this stack's DR region.
    const repl = inputsOf(run.one("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication"));
    assert.equal(repl.retentionPeriod, 14);
  });

  test(`${mode}: prod-dr adopts prod's JWT and API-key replicas instead of creating secrets that shadow them`, async () => {
    const run = await runProgram({ stack: "prod-dr", preview });
    const secrets = run.all("aws:secretsmanager/secret:Secret").map((s) => inputsOf(s).name);
    assert.deepEqual(secrets, ["duespark/prod-dr/database/app"]);
    assert.equal(run.all("aws:lambda/function:Function", "jwt-rotation").length, 0);
    const ext = inputsOf(run.one("kubernetes:external-secrets.io/v1:ExternalSecret"));
    const keys = ext.spec.data.map((d: any) => d.remoteRef.key);
    assert.ok(keys.includes("duespark/prod/jwt-signing-key"), keys.join(", "));
    assert.ok(keys.includes("duespark/prod/api-keys/stripe"));
    assert.ok(keys.includes("duespark/prod-dr/database/app"));
    const ageCheck = inputsOf(run.one("aws:lambda/function:Function", "api-key-age")).environment.variables;
    if (!preview || ageCheck.API_KEY_REFS !== UNKNOWN) {
      assert.deepEqual(JSON.parse(ageCheck.API_KEY_REFS).map((k: any) => k.secretId), [fallback.secretReplicaArns.apiKeys.stripe, fallback.secretReplicaArns.apiKeys["email-provider"]]);
    }
    // The adopted replica is known even in a preview (StackReference outputs are read, not computed).
    assert.equal(plainSecretArns(run.outputs.secretArns)[0], fallback.secretReplicaArns.jwt);
  });

  test(`${mode}: prod-dr declares the SECONDARY failover record with a /health check of its own region`, async () => {
    const run = await runProgram({ stack: "prod-dr", preview });
    const records = run.all("aws:route53/record:Record").map(inputsOf);
    const failover = records.find((r) => r.name === "api.duespark.com")!;
    assert.deepEqual(failover.failoverRoutingPolicies, [{ type: "SECONDARY" }]);
    assert.equal(failover.setIdentifier, "prod-dr-recovery");
    const check = inputsOf(run.one("aws:route53/healthCheck:HealthCheck", "dns-failover"));
    assert.equal(check.fqdn, "prod-dr.api.duespark.com");
    assert.equal(check.resourcePath, "/health");
    const ingress = inputsOf(run.one("kubernetes:networking.k8s.io/v1:Ingress"));
    assert.deepEqual(ingress.spec.tls[0].hosts, ["api.duespark.com", "prod-dr.api.duespark.com"]);
    if (!preview) assert.match(failover.records[0], /\.elb\.us-west-2\.amazonaws\.com$/);
  });
}

function plainSecretArns(v: unknown): string[] {
  return (Array.isArray(v) ? v : []).map((x: any) => (x && typeof x === "object" && "value" in x ? x.value : x));
}
