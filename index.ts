/**
 * duespark-ops program entry. It validates the whole stack config first
 * (a bad value stops here, before any resource is declared), then composes
 * the runbook's components. Stacks differ by config only.
 *
 * Runbook section -> component: see docs/ARCHITECTURE.md.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig } from "./config";
import { AlertRouting } from "./components/alerting/alert-routing";
import { ServiceAlarms } from "./components/alerting/service-alarms";
import { ShellAccess } from "./components/access/shell-access";
import { PatchManagement } from "./components/access/patch-management";
import { ThreatDetection } from "./components/access/threat-detection";
import { AuditTrail } from "./components/audit/audit-trail";
import { BackupVaults } from "./components/backup/backup-vaults";
import { Database } from "./components/database/database";
import { DatabaseRoles } from "./components/database/database-roles";
import { EncryptionKeys } from "./components/keys/encryption-keys";
import { Network } from "./components/network/network";
import { SecretsStore } from "./components/secrets/secrets-store";
import { SecretDelivery } from "./components/secrets/secret-delivery";
import { ApiWorkload } from "./components/workload/api-workload";
import { WorkloadNamespace } from "./components/workload/workload-namespace";
import { DnsFailover, regionalHostName } from "./components/dr/dns-failover";
import { readPrimaryStack } from "./components/dr/primary-stack";
import type { DatabaseRestore } from "./components/database/database";

const cfg = loadStackConfig();

// Explicit providers: the DR region for replicas and backup copies, and the
// existing Kubernetes cluster. Children inherit them through `providers`.
const drProvider = new aws.Provider("dr-region", {
  region: cfg.drRegion,
  defaultTags: { tags: { ...cfg.tags, Project: "duespark", Environment: cfg.environment, Region: "dr" } },
});
const cluster = new k8s.Provider("cluster", {
  kubeconfig: pulumi.secret(pulumi.output(new pulumi.Config().requireSecret("kubeconfig"))),
  enableServerSideApply: true,
});

// A recovery stack rebuilds the platform from the primary's data in this
// region: its database is restored, its JWT / API-key secrets are the
// primary's replicas (docs/DISASTER-RECOVERY.md).
const primary = cfg.dr.role === "recovery" ? readPrimaryStack(cfg.dr, cfg.secrets.apiKeys.map((k) => k.name)) : undefined;
const restore: DatabaseRestore | undefined = !primary
  ? undefined
  : cfg.dr.restore.source === "snapshot"
    ? { source: "snapshot", snapshotIdentifier: cfg.dr.restore.snapshotIdentifier!, kmsKeyArn: primary.replicaKeyArn }
    : { source: "pitr", automatedBackupsArn: primary.drAutomatedBackupsArn.apply((a) => a!), kmsKeyArn: primary.replicaKeyArn };

const keys = new EncryptionKeys("keys", { config: cfg.keys, drProvider, protect: cfg.protectStateful, tags: cfg.tags });
const network = new Network("network", { config: cfg.network, tags: cfg.tags });
const alerts = new AlertRouting("alerting", { config: cfg.alerting, environment: cfg.environment, kmsKey: keys.primaryKey, tags: cfg.tags });

const database = new Database("database", {
  config: cfg.database,
  network,
  kmsKey: keys.primaryKey,
  drKmsKey: keys.replicaKey,
  drProvider,
  protect: cfg.protectStateful,
  tags: cfg.tags,
  restore,
});

const dbRoles = new DatabaseRoles("db-roles", { config: cfg.database, database, network, kmsKey: keys.primaryKey, tags: cfg.tags });

const secrets = new SecretsStore("secrets", {
  config: cfg.secrets,
  database,
  network,
  kmsKey: keys.primaryKey,
  drKmsKey: keys.replicaKey,
  drRegion: cfg.drRegion,
  alerts,
  databaseRoles: dbRoles,
  protect: cfg.protectStateful,
  tags: cfg.tags,
  adopt: primary && {
    namePrefix: primary.secretNamePrefix,
    jwtSecretArn: primary.jwtSecretReplicaArn,
    apiKeySecretArns: primary.apiKeySecretReplicaArns,
  },
});

const shell = new ShellAccess("shell-access", { config: cfg.access, kmsKey: keys.primaryKey, auditRetentionDays: cfg.audit.retentionDays, protect: cfg.protectStateful, tags: cfg.tags });
new PatchManagement("patching", { config: cfg.access, shellAccessTag: cfg.access.shellAccessTag, tags: cfg.tags });
new ThreatDetection("threat-detection", { alerts, tags: cfg.tags });

const backups = new BackupVaults("backup", {
  config: cfg.backup,
  kmsKey: keys.primaryKey,
  drKmsKey: keys.replicaKey,
  drProvider,
  database,
  network,
  alerts,
  protect: cfg.protectStateful,
  tags: cfg.tags,
});

new ServiceAlarms("alarms", { config: cfg.alerting, database, alerts, kmsKey: keys.primaryKey, auditRetentionDays: cfg.audit.retentionDays, tags: cfg.tags });

const audit = new AuditTrail("audit", {
  config: cfg.audit,
  kmsKey: keys.primaryKey,
  secretArns: secrets.secretArns,
  backupVaultArn: backups.vault.arn,
  protect: cfg.protectStateful,
  tags: cfg.tags,
});

const namespace = new WorkloadNamespace("workload-namespace", { config: cfg.workload }, { provider: cluster });
const delivery = new SecretDelivery("secret-delivery", {
  namespace: namespace.name,
  clusterSecretStore: cfg.workload.clusterSecretStore,
  refreshInterval: cfg.secrets.refreshInterval,
  secrets,
}, { provider: cluster });
const regionalHost = regionalHostName(cfg.stack, cfg.dr.recordName);
const api = new ApiWorkload("api", {
  config: cfg.workload,
  namespace: namespace.name,
  secretName: delivery.kubernetesSecretName,
  additionalHosts: [regionalHost],
}, { provider: cluster });
const failover = new DnsFailover("dns-failover", {
  role: cfg.dr.role,
  hostedZoneName: cfg.dr.hostedZoneName,
  recordName: cfg.dr.recordName,
  regionalHost,
  loadBalancerHostname: api.loadBalancerHostname,
  tags: cfg.tags,
});

// Names and ARNs only: no value derived from a secret is exported in plaintext.
export const region = cfg.region;
export const drRegion = cfg.drRegion;
export const vpcId = network.vpcId;
export const databaseEndpoint = database.endpoint;
export const databaseArn = database.arn;
export const secretArns = secrets.secretArns;
export const primaryKeyArn = keys.primaryKey.arn;
export const replicaKeyArn = keys.replicaKey.arn;
export const backupVaultArn = backups.vault.arn;
export const drBackupVaultArn = backups.drVault.arn;
export const criticalTopicArn = alerts.criticalTopic.arn;
export const warningTopicArn = alerts.warningTopic.arn;
export const auditTrailArn = audit.trail.arn;
export const sessionLogBucket = shell.sessionLogBucket.bucket;
export const readonlyRoleName = dbRoles.readonlyRoleName;
export const apiNamespace = namespace.name;
export const apiServiceName = api.serviceName;
// What a recovery stack reads through its StackReference (config/sections/dr.ts primaryOutputs).
export const drRole = cfg.dr.role;
export const secretNamePrefix = secrets.delivery.jwtSecretName.replace(/\/jwt-signing-key$/, "");
export const drAutomatedBackupsArn = database.drBackupsReplication.id;
// A replica has its primary's ARN with the replica's region (Secrets Manager's rule).
const replicaArn = (arn: pulumi.Output<string>) => arn.apply((a) => a.split(":").map((part, i) => (i === 3 ? cfg.drRegion : part)).join(":"));
export const secretReplicaArns = {
  jwt: replicaArn(secrets.jwtSecretArn),
  apiKeys: Object.fromEntries(Object.entries(secrets.apiKeySecretArns).map(([n, arn]) => [n, replicaArn(arn)])),
};
export const failoverRecord = failover.record.fqdn;
export const failoverHealthCheckId = failover.healthCheck.id;
export const regionalEndpoint = regionalHost;
