/**
 * Synthetic stacks for the benchmark: N resources shaped like this
 * project's real stack (components with children, URN links through
 * property dependencies, secrets, compliant and non-compliant values,
 * values unknown in a preview), deterministic for a given N.
 *
 * One description feeds both the policy-evaluation benchmark (turned into
 * captured registrations here) and the synthetic Pulumi program
 * (fixtures/synthetic-program, which declares the same resources through
 * the SDK so the offline preview runs it end to end).
 */
import type { CapturedResource } from "../preview/engine";
import { SECRET_SIG_KEY, SECRET_SIG_VALUE } from "../preview/engine";
import { UNKNOWN } from "../preview/mock-outputs";

/** A reference to an output of an earlier resource (becomes a property dependency). */
export class Ref {
  constructor(readonly index: number, readonly attr: string) {}
}

export interface SynthResource {
  type: string;
  name: string;
  custom: boolean;
  /** Index of the component parent. */
  parent?: number;
  /** Plain values; `Ref` anywhere inside links to another resource. */
  props: Record<string, unknown>;
  /** Top-level keys whose values are secrets. */
  secretKeys?: string[];
  /** Top-level keys that a preview does not know yet (computed by the provider). */
  unknownKeys?: string[];
  dependsOn?: number[];
}

/** Deterministic pseudo-random numbers (same stack for the same N on every run). */
class Rng {
  constructor(private s: number) {}
  next(): number {
    this.s = (this.s * 1103515245 + 12345) & 0x7fffffff;
    return this.s / 0x7fffffff;
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length) % xs.length];
  }
}

const REGION = "us-east-1";
const ACCOUNT = "123456789012";
/** Share of units built with non-compliant values. */
const BAD_RATE = 0.15;

class Builder {
  readonly out: SynthResource[] = [];
  readonly shared = new Map<string, number>();
  constructor(readonly rng: Rng) {}
  add(r: SynthResource): number {
    return this.out.push(r) - 1;
  }
  component(type: string, name: string): number {
    return this.add({ type, name, custom: false, props: {} });
  }
  /** A resource created once per stack (shared topic, keys, VPC) on first use. */
  once(key: string, make: () => number): number {
    let i = this.shared.get(key);
    if (i === undefined) this.shared.set(key, (i = make()));
    return i;
  }
}

const tags = (extra: Record<string, string> = {}) => ({ Project: "duespark", Environment: "prod", ManagedBy: "pulumi", ...extra });
const json = (v: unknown) => JSON.stringify(v);

type Unit = (b: Builder, k: number, bad: boolean) => void;

function sharedKey(b: Builder): number {
  return b.once("kms", () => {
    const c = b.component("duespark:keys:EncryptionKeys", "keys");
    const key = b.add({
      type: "aws:kms/key:Key",
      name: "keys-primary",
      custom: true,
      parent: c,
      props: {
        description: "DueSpark primary data key",
        enableKeyRotation: true,
        rotationPeriodInDays: 365,
        deletionWindowInDays: 30,
        keyUsage: "ENCRYPT_DECRYPT",
        customerMasterKeySpec: "SYMMETRIC_DEFAULT",
        multiRegion: true,
        policy: json({ Version: "2012-10-17", Statement: [{ Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" }] }),
        tags: tags(),
      },
    });
    b.add({ type: "aws:kms/alias:Alias", name: "keys-primary-alias", custom: true, parent: c, props: { name: "alias/duespark-primary", targetKeyId: new Ref(key, "keyId") } });
    return key;
  });
}

function sharedTopic(b: Builder): number {
  return b.once("topic", () => {
    const key = sharedKey(b);
    const c = b.component("duespark:alerting:AlertRouting", "alerting");
    const topic = b.add({ type: "aws:sns/topic:Topic", name: "alerting-p1", custom: true, parent: c, props: { name: "duespark-p1", kmsMasterKeyId: new Ref(key, "arn"), tags: tags({ "duespark:severity": "P1" }) } });
    b.add({
      type: "aws:sns/topicSubscription:TopicSubscription",
      name: "alerting-p1-pagerduty",
      custom: true,
      parent: c,
      props: { topic: new Ref(topic, "arn"), protocol: "https", endpoint: "https://events.pagerduty.com/integration/0123456789abcdef/enqueue", endpointAutoConfirms: true },
      secretKeys: ["endpoint"],
    });
    return topic;
  });
}

function sharedVpc(b: Builder): number {
  return b.once("vpc", () => {
    const c = b.component("duespark:network:Network", "network");
    return b.add({ type: "aws:ec2/vpc:Vpc", name: "network-vpc", custom: true, parent: c, props: { cidrBlock: "10.40.0.0/16", enableDnsHostnames: true, enableDnsSupport: true, tags: tags() } });
  });
}

function sharedRole(b: Builder, service: string): number {
  return b.once(`role:${service}`, () =>
    b.add({
      type: "aws:iam/role:Role",
      name: `${service.split(".")[0]}-service-role`,
      custom: true,
      props: {
        assumeRolePolicy: json({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }] }),
        maxSessionDuration: 3600,
        tags: tags(),
      },
    }),
  );
}

const keysUnit: Unit = (b, k, bad) => {
  const c = b.component("duespark:keys:EncryptionKeys", `keys-${k}`);
  const key = b.add({
    type: "aws:kms/key:Key",
    name: `keys-${k}-data`,
    custom: true,
    parent: c,
    props: {
      description: `data key ${k}`,
      enableKeyRotation: !bad,
      rotationPeriodInDays: 365,
      deletionWindowInDays: bad ? 7 : 30,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      policy: json({
        Version: "2012-10-17",
        Statement: [
          { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
          { Sid: "Use", Effect: "Allow", Principal: { AWS: bad ? "*" : `arn:aws:iam::${ACCOUNT}:role/duespark-api` }, Action: ["kms:Decrypt", "kms:GenerateDataKey"], Resource: "*" },
        ],
      }),
      tags: tags(),
    },
  });
  b.add({ type: "aws:kms/alias:Alias", name: `keys-${k}-alias`, custom: true, parent: c, props: { name: `alias/duespark-data-${k}`, targetKeyId: new Ref(key, "keyId") } });
};

const SECRET_CLASSES = ["jwt", "database", "api-key"] as const;
const MAX_DAYS = { jwt: 90, database: 180, "api-key": 365 } as const;

const secretsUnit: Unit = (b, k, bad) => {
  const key = sharedKey(b);
  const c = b.component("duespark:secrets:SecretsStore", `secrets-${k}`);
  const cls = SECRET_CLASSES[k % 3];
  const fn = b.once("rotation-fn", () => {
    const role = sharedRole(b, "lambda.amazonaws.com");
    return b.add({
      type: "aws:lambda/function:Function",
      name: "secrets-rotator",
      custom: true,
      props: {
        name: "duespark-secret-rotator",
        role: new Ref(role, "arn"),
        runtime: "nodejs20.x",
        handler: "index.handler",
        timeout: 30,
        kmsKeyArn: new Ref(key, "arn"),
        environment: { variables: { SM_REGION: REGION, LOG_LEVEL: "info" } },
        tracingConfig: { mode: "Active" },
        tags: tags(),
      },
    });
  });
  const secret = b.add({
    type: "aws:secretsmanager/secret:Secret",
    name: `secrets-${k}-${cls}`,
    custom: true,
    parent: c,
    props: {
      name: `duespark/prod/${cls}/${k}`,
      description: `${cls} secret ${k}`,
      kmsKeyId: bad && k % 2 === 0 ? undefined : new Ref(key, "arn"),
      recoveryWindowInDays: 30,
      replicas: bad ? [] : [{ region: "us-west-2", kmsKeyId: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/duespark-dr` }],
      tags: tags({ "duespark:secret-class": cls }),
    },
  });
  b.add({
    type: "aws:secretsmanager/secretVersion:SecretVersion",
    name: `secrets-${k}-${cls}-initial`,
    custom: true,
    parent: c,
    props: { secretId: new Ref(secret, "id"), secretString: json({ value: `s3cr3t-${k}-${cls}` }) },
    secretKeys: ["secretString"],
  });
  const days = bad ? MAX_DAYS[cls] * 2 : MAX_DAYS[cls] - 10;
  b.add({
    type: "aws:secretsmanager/secretRotation:SecretRotation",
    name: `secrets-${k}-${cls}-rotation`,
    custom: true,
    parent: c,
    props: {
      // Some rotations name their secret instead of referencing it (secrets managed elsewhere): no URN link.
      secretId: k % 10 === 9 ? `duespark/prod/${cls}/${k}` : new Ref(secret, "id"),
      rotationLambdaArn: new Ref(fn, "arn"),
      rotationRules: k % 4 === 0 ? { scheduleExpression: `rate(${days} days)` } : { automaticallyAfterDays: days },
      rotateImmediately: false,
    },
  });
  if (k % 3 === 0) {
    b.add({
      type: "aws:lambda/permission:Permission",
      name: `secrets-${k}-invoke`,
      custom: true,
      parent: c,
      props: { action: "lambda:InvokeFunction", function: new Ref(fn, "name"), principal: "secretsmanager.amazonaws.com", sourceArn: new Ref(secret, "arn") },
    });
  }
};

const backupUnit: Unit = (b, k, bad) => {
  const key = sharedKey(b);
  const role = sharedRole(b, "backup.amazonaws.com");
  const c = b.component("duespark:backup:BackupVaults", `backup-${k}`);
  const vault = b.add({ type: "aws:backup/vault:Vault", name: `backup-${k}-vault`, custom: true, parent: c, props: { name: `duespark-${k}`, kmsKeyArn: new Ref(key, "arn"), forceDestroy: false, tags: tags() } });
  const dr = b.add({ type: "aws:backup/vault:Vault", name: `backup-${k}-dr-vault`, custom: true, parent: c, props: { name: `duespark-${k}-dr`, kmsKeyArn: `arn:aws:kms:us-west-2:${ACCOUNT}:alias/duespark-dr`, tags: tags() } });
  for (const v of [vault, dr]) {
    b.add({
      type: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
      name: `${b.out[v].name}-lock`,
      custom: true,
      parent: c,
      props: { backupVaultName: new Ref(v, "name"), minRetentionDays: bad ? 1 : 30, maxRetentionDays: 2555, changeableForDays: 3 },
    });
  }
  const rule = (ruleName: string, schedule: string, deleteAfter: number) => ({
    ruleName,
    targetVaultName: new Ref(vault, "name"),
    schedule,
    scheduleExpressionTimezone: "Etc/UTC",
    startWindow: 60,
    completionWindow: 240,
    lifecycle: { deleteAfter },
    copyActions: bad ? [] : [{ destinationVaultArn: new Ref(dr, "arn"), lifecycle: { deleteAfter } }],
  });
  const plan = b.add({
    type: "aws:backup/plan:Plan",
    name: `backup-${k}-plan`,
    custom: true,
    parent: c,
    props: {
      name: `duespark-${k}`,
      rules: [
        rule("daily", "cron(0 5 ? * * *)", bad ? 7 : 30),
        rule("weekly", "cron(0 3 ? * SUN *)", 84),
        rule("monthly", "cron(0 4 1 * ? *)", 365),
        rule("annual", "cron(0 4 1 1 ? *)", 2555),
      ],
      tags: tags(),
    },
  });
  const db = b.shared.get("last-db");
  b.add({
    type: "aws:backup/selection:Selection",
    name: `backup-${k}-selection`,
    custom: true,
    parent: c,
    props: { name: `duespark-${k}`, planId: new Ref(plan, "id"), iamRoleArn: new Ref(role, "arn"), resources: db === undefined ? [`arn:aws:rds:${REGION}:${ACCOUNT}:db:duespark`] : [new Ref(db, "arn")] },
  });
};

const alarmsUnit: Unit = (b, k, bad) => {
  const topic = sharedTopic(b);
  const c = b.component("duespark:alerting:ServiceAlarms", `alarms-${k}`);
  const local = b.add({ type: "aws:sns/topic:Topic", name: `alarms-${k}-p2`, custom: true, parent: c, props: { name: `duespark-p2-${k}`, kmsMasterKeyId: bad ? undefined : "alias/aws/sns", tags: tags({ "duespark:severity": "P2" }) } });
  b.add({
    type: "aws:sns/topicSubscription:TopicSubscription",
    name: `alarms-${k}-slack`,
    custom: true,
    parent: c,
    props: { topic: new Ref(local, "arn"), protocol: bad ? "http" : "https", endpoint: `https://hooks.slack.example/services/T000/B${k}/x`, endpointAutoConfirms: true },
    secretKeys: ["endpoint"],
  });
  const metrics = [
    ["5XXError", "AWS/ApiGateway", 5],
    ["CPUUtilization", "AWS/RDS", 80],
    ["FreeStorageSpace", "AWS/RDS", 10_000_000_000],
  ] as const;
  metrics.forEach(([metricName, namespace, threshold], i) => {
    b.add({
      type: "aws:cloudwatch/metricAlarm:MetricAlarm",
      name: `alarms-${k}-${metricName.toLowerCase()}`,
      custom: true,
      parent: c,
      props: {
        name: `duespark-${k}-${metricName}`,
        alarmDescription: `P${i === 0 ? 1 : 2}: ${metricName} breached`,
        comparisonOperator: metricName === "FreeStorageSpace" ? "LessThanThreshold" : "GreaterThanThreshold",
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        metricName,
        namespace,
        period: 60,
        statistic: "Average",
        threshold,
        treatMissingData: "breaching",
        alarmActions: bad && i === 0 ? [] : [new Ref(i === 0 ? topic : local, "arn")],
        okActions: [new Ref(i === 0 ? topic : local, "arn")],
        dimensions: { ApiName: "duespark" },
        tags: tags(),
      },
    });
  });
  if (k % 4 === 0) {
    const svc = b.add({ type: "pagerduty:index/service:Service", name: `alarms-${k}-pd`, custom: true, parent: c, props: { name: `duespark-${k}`, escalationPolicy: "PABCDEF", alertCreation: "create_alerts_and_incidents", autoResolveTimeout: "null", acknowledgementTimeout: "600" } });
    b.add({ type: "pagerduty:index/serviceIntegration:ServiceIntegration", name: `alarms-${k}-pd-cw`, custom: true, parent: c, props: { name: "CloudWatch", service: new Ref(svc, "id"), vendor: "PZQ6AUS" }, unknownKeys: ["vendor"] });
  }
};

const networkUnit: Unit = (b, k, bad) => {
  const vpc = sharedVpc(b);
  const c = b.component("duespark:network:SecurityGroups", `sg-${k}`);
  const sg = b.add({ type: "aws:ec2/securityGroup:SecurityGroup", name: `sg-${k}`, custom: true, parent: c, props: { name: `duespark-${k}`, description: `tier ${k}`, vpcId: new Ref(vpc, "id"), revokeRulesOnDelete: true, tags: tags() } });
  const peer = b.shared.get("last-sg");
  b.shared.set("last-sg", sg);
  b.add({
    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    name: `sg-${k}-https`,
    custom: true,
    parent: c,
    props: { securityGroupId: new Ref(sg, "id"), ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "10.40.0.0/16", description: "HTTPS from the VPC" },
  });
  b.add({
    type: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    name: `sg-${k}-${bad ? "ssh" : "pg"}`,
    custom: true,
    parent: c,
    props: bad
      ? { securityGroupId: new Ref(sg, "id"), ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "0.0.0.0/0", description: "ssh" }
      : { securityGroupId: new Ref(sg, "id"), ipProtocol: "tcp", fromPort: 5432, toPort: 5432, referencedSecurityGroupId: peer === undefined ? "sg-0123456789abcdef0" : new Ref(peer, "id"), description: "PostgreSQL from the app tier" },
  });
  b.add({
    type: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    name: `sg-${k}-egress`,
    custom: true,
    parent: c,
    props: { securityGroupId: new Ref(sg, "id"), ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0", description: "HTTPS out" },
  });
  if (k % 5 === 0) {
    b.add({
      type: "aws:ec2/securityGroupRule:SecurityGroupRule",
      name: `sg-${k}-legacy`,
      custom: true,
      parent: c,
      props: { type: "ingress", securityGroupId: new Ref(sg, "id"), protocol: "tcp", fromPort: 8443, toPort: 8443, cidrBlocks: ["10.40.0.0/16"] },
    });
  }
};

const databaseUnit: Unit = (b, k, bad) => {
  const key = sharedKey(b);
  const c = b.component("duespark:database:Database", `db-${k}`);
  const pg = b.add({
    type: "aws:rds/parameterGroup:ParameterGroup",
    name: `db-${k}-params`,
    custom: true,
    parent: c,
    props: { family: "postgres16", name: `duespark-${k}`, parameters: [
        { name: "rds.force_ssl", value: bad ? "0" : "1", applyMethod: "pending-reboot" },
        { name: "shared_preload_libraries", value: "pg_stat_statements,pgaudit", applyMethod: "pending-reboot" },
        { name: "pgaudit.log", value: "ddl,role,write" },
        { name: "log_connections", value: "1" },
      ], tags: tags() },
  });
  const db = b.add({
    type: "aws:rds/instance:Instance",
    name: `db-${k}`,
    custom: true,
    parent: c,
    props: {
      identifier: `duespark-${k}`,
      engine: "postgres",
      engineVersion: "16.4",
      instanceClass: "db.r6g.large",
      allocatedStorage: 100,
      storageType: "gp3",
      storageEncrypted: !bad,
      kmsKeyId: new Ref(key, "arn"),
      username: "duespark_admin",
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: new Ref(key, "arn"),
      backupRetentionPeriod: bad ? 1 : 30,
      deletionProtection: !bad,
      publiclyAccessible: bad,
      iamDatabaseAuthenticationEnabled: true,
      multiAz: true,
      // Some instances name their group literally: no URN link, matched by name.
      parameterGroupName: k % 10 === 9 ? `duespark-${k}` : new Ref(pg, "name"),
      enabledCloudwatchLogsExports: bad ? [] : ["postgresql", "upgrade"],
      copyTagsToSnapshot: true,
      tags: tags(),
    },
  });
  b.shared.set("last-db", db);
  const admin = b.add({
    type: "postgresql:index/role:Role",
    name: `db-${k}-admin`,
    custom: true,
    parent: c,
    props: { name: `admin_${k}`, login: true, password: `pw-admin-${k}`, createRole: true, createDatabase: false, superuser: false, inherit: true, connectionLimit: 5 },
    secretKeys: ["password"],
  });
  const ro = b.add({
    type: "postgresql:index/role:Role",
    name: `db-${k}-readonly`,
    custom: true,
    parent: c,
    props: { name: `readonly_${k}`, login: true, password: `pw-ro-${k}`, createRole: bad, createDatabase: false, superuser: false, inherit: true, connectionLimit: 20, roles: [] },
    secretKeys: ["password"],
  });
  b.add({
    type: "postgresql:index/grant:Grant",
    name: `db-${k}-readonly-tables`,
    custom: true,
    parent: c,
    props: { database: "duespark", role: new Ref(ro, "name"), schema: "public", objectType: "table", privileges: bad ? ["SELECT", "INSERT"] : ["SELECT"] },
  });
  b.add({
    type: "postgresql:index/defaultPrivileges:DefaultPrivileges",
    name: `db-${k}-readonly-default`,
    custom: true,
    parent: c,
    props: { database: "duespark", role: new Ref(ro, "name"), owner: new Ref(admin, "name"), schema: "public", objectType: "table", privileges: ["SELECT"] },
  });
};

const workloadUnit: Unit = (b, k, bad) => {
  const c = b.component("duespark:workload:ApiWorkload", `api-${k}`);
  const ns = b.once("ns", () => b.add({ type: "kubernetes:core/v1:Namespace", name: "workload-ns", custom: true, props: { apiVersion: "v1", kind: "Namespace", metadata: { name: "duespark", labels: { "pod-security.kubernetes.io/enforce": "restricted" } } } }));
  const sa = b.add({ type: "kubernetes:core/v1:ServiceAccount", name: `api-${k}-sa`, custom: true, parent: c, props: { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: `api-${k}`, namespace: new Ref(ns, "metadata.name") }, automountServiceAccountToken: false } });
  const labels = { app: `api-${k}`, "app.kubernetes.io/part-of": "duespark" };
  b.add({
    type: "kubernetes:apps/v1:Deployment",
    name: `api-${k}`,
    custom: true,
    parent: c,
    props: {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: `api-${k}`, namespace: "duespark", labels },
      spec: {
        replicas: 3,
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: new Ref(sa, "metadata.name"),
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: !bad, runAsUser: bad ? 0 : 10001, seccompProfile: { type: "RuntimeDefault" } },
            containers: [
              {
                name: "api",
                image: bad ? "duespark/api:latest" : "123456789012.dkr.ecr.us-east-1.amazonaws.com/duespark/api@sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
                ports: [{ containerPort: 8080, name: "http" }],
                securityContext: { allowPrivilegeEscalation: bad, readOnlyRootFilesystem: !bad, privileged: bad, capabilities: { drop: ["ALL"] } },
                resources: { requests: { cpu: "250m", memory: "256Mi" }, limits: { cpu: "1", memory: "512Mi" } },
                env: [
                  { name: "JWT_SECRET", valueFrom: { secretKeyRef: { name: "api-jwt", key: "value" } } },
                  bad ? { name: "DB_PASSWORD", value: "hunter2-plaintext" } : { name: "LOG_LEVEL", value: "info" },
                ],
                livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 },
                readinessProbe: { httpGet: { path: "/ready", port: 8080 }, periodSeconds: 5 },
              },
            ],
          },
        },
      },
    },
  });
  b.add({ type: "kubernetes:core/v1:Service", name: `api-${k}-svc`, custom: true, parent: c, props: { apiVersion: "v1", kind: "Service", metadata: { name: `api-${k}`, namespace: "duespark" }, spec: { selector: labels, ports: [{ port: 443, targetPort: 8080 }] } } });
  b.add({
    type: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    name: `api-${k}-netpol`,
    custom: true,
    parent: c,
    props: { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: `api-${k}`, namespace: "duespark" }, spec: { podSelector: { matchLabels: labels }, policyTypes: ["Ingress", "Egress"], ingress: [{ ports: [{ port: 8080 }] }] } },
  });
};

const auditUnit: Unit = (b, k, bad) => {
  const key = sharedKey(b);
  const c = b.component("duespark:audit:AuditTrail", `audit-${k}`);
  const lg = b.add({ type: "aws:cloudwatch/logGroup:LogGroup", name: `audit-${k}-logs`, custom: true, parent: c, props: { name: `/duespark/audit/${k}`, retentionInDays: bad ? 30 : 2557, kmsKeyId: new Ref(key, "arn"), tags: tags() } });
  const bucket = b.add({ type: "aws:s3/bucket:Bucket", name: `audit-${k}-bucket`, custom: true, parent: c, props: { bucket: `duespark-audit-${k}`, objectLockEnabled: !bad, forceDestroy: false, tags: tags() } });
  const on = (type: string, suffix: string, props: Record<string, unknown>) =>
    b.add({ type, name: `audit-${k}-${suffix}`, custom: true, parent: c, props: { bucket: new Ref(bucket, "id"), ...props } });
  on("aws:s3/bucketVersioning:BucketVersioning", "versioning", { versioningConfiguration: { status: bad ? "Suspended" : "Enabled" } });
  on("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "sse", {
    rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: bad ? "AES256" : "aws:kms", kmsMasterKeyId: bad ? undefined : new Ref(key, "arn") }, bucketKeyEnabled: true }],
  });
  on("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "public-access", { blockPublicAcls: true, blockPublicPolicy: !bad, ignorePublicAcls: true, restrictPublicBuckets: true });
  on("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "lifecycle", {
    rules: [{ id: "retain-7y", status: "Enabled", filter: {}, transitions: [{ days: 90, storageClass: "GLACIER" }], expiration: { days: bad ? 365 : 2557 } }],
  });
  if (!bad) on("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration", "object-lock", { objectLockEnabled: "Enabled", rule: { defaultRetention: { mode: "COMPLIANCE", days: 2557 } } });
  const role = sharedRole(b, "cloudtrail.amazonaws.com");
  b.add({
    type: "aws:cloudtrail/trail:Trail",
    name: `audit-${k}-trail`,
    custom: true,
    parent: c,
    props: {
      name: `duespark-${k}`,
      s3BucketName: new Ref(bucket, "id"),
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: !bad,
      kmsKeyId: new Ref(key, "arn"),
      cloudWatchLogsGroupArn: new Ref(lg, "arn"),
      cloudWatchLogsRoleArn: new Ref(role, "arn"),
      tags: tags(),
    },
    dependsOn: [bucket],
  });
};

const accessUnit: Unit = (b, k, bad) => {
  const key = sharedKey(b);
  const c = b.component("duespark:access:ShellAccess", `access-${k}`);
  const role = b.add({
    type: "aws:iam/role:Role",
    name: `access-${k}-operator`,
    custom: true,
    parent: c,
    props: {
      name: `duespark-operator-${k}`,
      maxSessionDuration: 3600,
      assumeRolePolicy: json({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "sts:AssumeRole", Condition: bad ? {} : { Bool: { "aws:MultiFactorAuthPresent": "true" } } }],
      }),
      tags: tags(),
    },
  });
  const policy = b.add({
    type: "aws:iam/policy:Policy",
    name: `access-${k}-session`,
    custom: true,
    parent: c,
    props: {
      name: `duespark-session-${k}`,
      policy: json({
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Action: bad ? "*" : ["ssm:StartSession", "ssm:TerminateSession", "ssm:ResumeSession"], Resource: bad ? "*" : `arn:aws:ec2:${REGION}:${ACCOUNT}:instance/*` },
          { Effect: "Deny", Action: "ssm:StartSession", Resource: "*", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "false" } } },
        ],
      }),
    },
  });
  b.add({ type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", name: `access-${k}-attach`, custom: true, parent: c, props: { role: new Ref(role, "name"), policyArn: new Ref(policy, "arn") } });
  if (k % 2 === 0) {
    b.add({
      type: "aws:ssm/document:Document",
      name: `access-${k}-session-prefs`,
      custom: true,
      parent: c,
      props: {
        name: `SSM-SessionManagerRunShell-${k}`,
        documentType: "Session",
        documentFormat: "JSON",
        content: json({ schemaVersion: "1.0", sessionType: "Standard_Stream", inputs: { kmsKeyId: bad ? "" : "alias/duespark-primary", s3EncryptionEnabled: true, cloudWatchEncryptionEnabled: !bad, idleSessionTimeout: "20", runAsEnabled: false } }),
      },
    });
    b.add({
      type: "aws:ec2/instance:Instance",
      name: `access-${k}-host`,
      custom: true,
      parent: c,
      props: {
        ami: "ami-0123456789abcdef0",
        instanceType: "t3.small",
        iamInstanceProfile: `duespark-ssm-${k}`,
        associatePublicIpAddress: bad,
        metadataOptions: { httpTokens: bad ? "optional" : "required", httpEndpoint: "enabled" },
        rootBlockDevice: { encrypted: !bad, kmsKeyId: new Ref(key, "arn"), volumeSize: 20 },
        monitoring: true,
        tags: tags(),
      },
      unknownKeys: ["ami"],
    });
  }
};

/** Units in the proportions of the real stack (secrets, alarms and network rules dominate). */
const UNITS: { name: string; unit: Unit; weight: number; types: string[] }[] = [
  { name: "secrets", unit: secretsUnit, weight: 4, types: ["aws:secretsmanager/secret:Secret", "aws:secretsmanager/secretVersion:SecretVersion", "aws:secretsmanager/secretRotation:SecretRotation", "aws:lambda/function:Function", "aws:lambda/permission:Permission"] },
  { name: "alarms", unit: alarmsUnit, weight: 3, types: ["aws:sns/topic:Topic", "aws:sns/topicSubscription:TopicSubscription", "aws:cloudwatch/metricAlarm:MetricAlarm", "pagerduty:index/service:Service", "pagerduty:index/serviceIntegration:ServiceIntegration"] },
  { name: "network", unit: networkUnit, weight: 3, types: ["aws:ec2/vpc:Vpc", "aws:ec2/securityGroup:SecurityGroup", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule", "aws:ec2/securityGroupRule:SecurityGroupRule"] },
  { name: "backup", unit: backupUnit, weight: 2, types: ["aws:backup/vault:Vault", "aws:backup/vaultLockConfiguration:VaultLockConfiguration", "aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:iam/role:Role"] },
  { name: "database", unit: databaseUnit, weight: 2, types: ["aws:rds/parameterGroup:ParameterGroup", "aws:rds/instance:Instance", "postgresql:index/role:Role", "postgresql:index/grant:Grant", "postgresql:index/defaultPrivileges:DefaultPrivileges"] },
  { name: "workload", unit: workloadUnit, weight: 2, types: ["kubernetes:core/v1:Namespace", "kubernetes:core/v1:ServiceAccount", "kubernetes:apps/v1:Deployment", "kubernetes:core/v1:Service", "kubernetes:networking.k8s.io/v1:NetworkPolicy"] },
  {
    name: "audit",
    unit: auditUnit,
    weight: 1,
    types: [
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:s3/bucket:Bucket",
      "aws:s3/bucketVersioning:BucketVersioning",
      "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
      "aws:cloudtrail/trail:Trail",
    ],
  },
  { name: "access", unit: accessUnit, weight: 2, types: ["aws:iam/role:Role", "aws:iam/policy:Policy", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "aws:ssm/document:Document", "aws:ec2/instance:Instance"] },
  { name: "keys", unit: keysUnit, weight: 1, types: ["aws:kms/key:Key", "aws:kms/alias:Alias"] },
];

/** Types the realistic units produce (anything else a policy targets gets generic resources). */
export const MODELLED_TYPES: ReadonlySet<string> = new Set(UNITS.flatMap((u) => u.types));

/**
 * A pack type no unit models: tagged resources with a few typical fields,
 * so every policy still sees its types in the stack.
 */
function genericUnit(type: string): Unit {
  return (b, k, bad) => {
    const key = sharedKey(b);
    const short = type.split(":").pop()!.toLowerCase();
    b.add({
      type,
      name: `${short}-${k}`,
      custom: true,
      props: { name: `duespark-${short}-${k}`, description: `synthetic ${short}`, kmsKeyId: bad ? undefined : new Ref(key, "arn"), enabled: !bad, tags: tags() },
    });
  };
}

export interface SyntheticStack {
  resources: SynthResource[];
  /** Pack types with no realistic unit (generic resources). */
  genericTypes: string[];
}

/**
 * Exactly `n` resources (components included), built unit by unit in
 * weighted rounds; `packTypes` are the types the pack's policies target.
 */
export function syntheticStack(n: number, packTypes: readonly string[] = []): SyntheticStack {
  const b = new Builder(new Rng(20_000 + n));
  const genericTypes = [...new Set(packTypes)].filter((t) => !MODELLED_TYPES.has(t) && !t.startsWith("pulumi:")).sort();
  const schedule: Unit[] = [];
  for (const u of UNITS) for (let i = 0; i < u.weight; i++) schedule.push(u.unit);
  for (const t of genericTypes) schedule.push(genericUnit(t));
  const counters = new Map<Unit, number>();
  for (let round = 0; b.out.length < n; round++) {
    const unit = schedule[round % schedule.length];
    const k = counters.get(unit) ?? 0;
    counters.set(unit, k + 1);
    unit(b, k, b.rng.chance(BAD_RATE));
  }
  // Truncating may cut a unit short; references always point backwards, so the rest stays consistent.
  b.out.length = n;
  return { resources: b.out, genericTypes };
}

function qualifiedType(resources: readonly SynthResource[], r: SynthResource): string {
  if (r.parent === undefined) return r.type;
  const p = resources[r.parent];
  return `${qualifiedType(resources, p)}$${r.type}`;
}

export function urnOf(stack: string, project: string, resources: readonly SynthResource[], r: SynthResource): string {
  return `urn:pulumi:${stack}::${project}::${qualifiedType(resources, r)}::${r.name}`;
}

/** Reads a dotted attribute of a resource's plain props (what the mock engine echoes back). */
function attrOf(r: SynthResource, attr: string): unknown {
  let v: unknown = r.props;
  for (const part of attr.split(".")) v = v && typeof v === "object" ? (v as Record<string, unknown>)[part] : undefined;
  return v;
}

/**
 * Registrations as the offline preview captures them from the program in
 * a dry run: inputs in wire form (secrets wrapped; outputs of other
 * resources unknown unless they echo a known input, as under the mocks),
 * dependencies and property dependencies by URN.
 */
export function toCaptured(resources: readonly SynthResource[], stack: string, project: string): CapturedResource[] {
  const urns = resources.map((r) => urnOf(stack, project, resources, r));
  return resources.map((r, sequence) => {
    const deps = new Set<string>();
    const propertyDependencies: Record<string, string[]> = {};
    const wire = (v: unknown, refs: Set<string>): unknown => {
      if (v instanceof Ref) {
        refs.add(urns[v.index]);
        // The mocks echo known top-level inputs back as outputs; everything else is computed, so unknown.
        const echoed = v.attr.includes(".") ? undefined : attrOf(resources[v.index], v.attr);
        return echoed !== undefined && !(echoed instanceof Ref) && typeof echoed !== "object" ? echoed : UNKNOWN;
      }
      if (Array.isArray(v)) return v.map((x) => wire(x, refs));
      if (v && typeof v === "object") {
        const o: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v)) if (x !== undefined) o[k] = wire(x, refs);
        return o;
      }
      return v;
    };
    const inputs: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r.props)) {
      if (v === undefined) continue;
      const refs = new Set<string>();
      let w = r.unknownKeys?.includes(k) ? UNKNOWN : wire(v, refs);
      if (r.secretKeys?.includes(k)) w = { [SECRET_SIG_KEY]: SECRET_SIG_VALUE, value: w };
      inputs[k] = w;
      propertyDependencies[k] = [...refs];
      refs.forEach((u) => deps.add(u));
    }
    for (const d of r.dependsOn ?? []) deps.add(urns[d]);
    return {
      urn: urns[sequence],
      type: r.type,
      name: r.name,
      custom: r.custom,
      parent: r.parent === undefined ? undefined : urns[r.parent],
      provider: undefined,
      dependencies: [...deps],
      propertyDependencies: r.custom ? propertyDependencies : {},
      protect: false,
      retainOnDelete: false,
      deleteBeforeReplace: false,
      ignoreChanges: [],
      additionalSecretOutputs: [],
      replaceOnChanges: [],
      aliases: [],
      inputs,
      id: "",
      sequence,
    };
  });
}

/** Resource count per type (for the report). */
export function typeMix(resources: readonly { type: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of resources) out[r.type] = (out[r.type] ?? 0) + 1;
  return out;
}
