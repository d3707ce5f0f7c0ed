/**
 * A complete AWS Backup stack as fixtures (primary vault + lock, DR vault +
 * lock, runbook plan with four tiers copying to DR, tag-condition selection,
 * restore testing, one tagged RDS instance), linked through URNs the way
 * the program's components link them. Tests change one piece at a time.
 */
import { Fixture, fixture, urnOf } from "../../support/pack";

export const T = {
  vault: "aws:backup/vault:Vault",
  lock: "aws:backup/vaultLockConfiguration:VaultLockConfiguration",
  plan: "aws:backup/plan:Plan",
  selection: "aws:backup/selection:Selection",
  restorePlan: "aws:backup/restoreTestingPlan:RestoreTestingPlan",
  restoreSelection: "aws:backup/restoreTestingSelection:RestoreTestingSelection",
  db: "aws:rds/instance:Instance",
  replication: "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
} as const;

export function awsProvider(name: string, region: string): NonNullable<Fixture["provider"]> {
  return { type: "pulumi:providers:aws", urn: urnOf("pulumi:providers:aws", name), name, properties: { region } };
}
export const PRIMARY = awsProvider("default", "us-east-1");
export const DR = awsProvider("dr-region", "us-west-2");

export const URN = {
  vault: urnOf(T.vault, "vault"),
  drVault: urnOf(T.vault, "dr-vault"),
  lock: urnOf(T.lock, "vault-lock"),
  drLock: urnOf(T.lock, "dr-vault-lock"),
  plan: urnOf(T.plan, "plan"),
  selection: urnOf(T.selection, "selection"),
  restorePlan: urnOf(T.restorePlan, "restore-testing"),
  restoreSelection: urnOf(T.restoreSelection, "restore-testing-db"),
  db: urnOf(T.db, "db"),
};

export const DR_VAULT_ARN = "arn:aws:backup:us-west-2:123456789012:backup-vault:duespark-prod-dr";

export interface RuleSpec {
  ruleName: string;
  schedule: string;
  deleteAfter: number;
  coldStorageAfter?: number;
  copy?: boolean;
}

export const TIERS: RuleSpec[] = [
  { ruleName: "daily", schedule: "cron(0 2 * * ? *)", deleteAfter: 30 },
  { ruleName: "weekly", schedule: "cron(0 2 ? * SUN *)", deleteAfter: 84 },
  { ruleName: "monthly", schedule: "cron(0 2 1 * ? *)", deleteAfter: 365 },
  { ruleName: "annual", schedule: "cron(0 2 1 1 ? *)", deleteAfter: 2555, coldStorageAfter: 90 },
];

export function rule(r: RuleSpec): Record<string, unknown> {
  const lifecycle = { deleteAfter: r.deleteAfter, ...(r.coldStorageAfter !== undefined ? { coldStorageAfter: r.coldStorageAfter } : {}) };
  return {
    ruleName: r.ruleName,
    targetVaultName: "duespark-prod",
    schedule: r.schedule,
    startWindow: 60,
    completionWindow: 360,
    lifecycle,
    ...(r.copy === false ? {} : { copyActions: [{ destinationVaultArn: DR_VAULT_ARN, lifecycle }] }),
  };
}

export interface StackOptions {
  rules?: Record<string, unknown>[];
  lock?: Record<string, unknown> | null;
  drLock?: Record<string, unknown> | null;
  dbProps?: Record<string, unknown>;
  selectionProps?: Record<string, unknown>;
  restorePlanProps?: Record<string, unknown> | null;
  restoreSelection?: boolean;
  /** Provider of the DR vault (default: the DR region's). */
  drVaultProvider?: Fixture["provider"];
  extra?: Fixture[];
}

export const LOCK_OK = { backupVaultName: "duespark-prod", changeableForDays: 3, minRetentionDays: 30, maxRetentionDays: 2555 };

/** Drops undefined values (protobuf Structs cannot carry them): `{ key: undefined }` removes a key. */
export function clean(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined));
}

export function backupStack(o: StackOptions = {}): Fixture[] {
  const rules = o.rules ?? TIERS.map(rule);
  const out: Fixture[] = [
    fixture(T.vault, "vault", { name: "duespark-prod", kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1111" }, { provider: PRIMARY }),
    fixture(T.vault, "dr-vault", { name: "duespark-prod-dr", kmsKeyArn: "arn:aws:kms:us-west-2:123456789012:key/2222" }, { provider: o.drVaultProvider ?? DR }),
    fixture(T.plan, "plan", { name: "duespark-runbook", rules }, { provider: PRIMARY, dependencies: [URN.vault, URN.drVault], propertyDependencies: { rules: [URN.vault, URN.drVault] } }),
    fixture(T.selection, "selection", clean({
      name: "duespark-tagged",
      planId: "plan-id",
      iamRoleArn: "arn:aws:iam::123456789012:role/backup",
      resources: ["*"],
      conditions: [{ stringEquals: [{ key: "aws:ResourceTag/duespark:backup-plan", value: "runbook" }] }],
      ...o.selectionProps,
    }), { provider: PRIMARY, propertyDependencies: { planId: [URN.plan] }, dependencies: [URN.plan] }),
    fixture(T.db, "db", clean({ identifier: "duespark-prod", engine: "postgres", backupRetentionPeriod: 14, tags: { "duespark:backup-plan": "runbook" }, ...o.dbProps }), { provider: PRIMARY }),
  ];
  if (o.lock !== null) out.push(fixture(T.lock, "vault-lock", clean({ ...LOCK_OK, ...o.lock }), { provider: PRIMARY, propertyDependencies: { backupVaultName: [URN.vault] } }));
  if (o.drLock !== null) {
    out.push(fixture(T.lock, "dr-vault-lock", clean({ ...LOCK_OK, backupVaultName: "duespark-prod-dr", ...o.drLock }), { provider: DR, propertyDependencies: { backupVaultName: [URN.drVault] } }));
  }
  if (o.restorePlanProps !== null) {
    out.push(fixture(T.restorePlan, "restore-testing", clean({
      name: "duespark_weekly_restore",
      scheduleExpression: "cron(0 3 ? * SUN *)",
      scheduleExpressionTimezone: "Etc/UTC",
      recoveryPointSelection: { algorithm: "LATEST_WITHIN_WINDOW", includeVaults: ["*"], recoveryPointTypes: ["SNAPSHOT"] },
      ...o.restorePlanProps,
    }), { provider: PRIMARY }));
  }
  if (o.restoreSelection !== false) {
    out.push(fixture(T.restoreSelection, "restore-testing-db", {
      name: "duespark_db", restoreTestingPlanName: "duespark_weekly_restore", protectedResourceType: "RDS", iamRoleArn: "arn:aws:iam::123456789012:role/restore",
    }, { provider: PRIMARY, propertyDependencies: { restoreTestingPlanName: [URN.restorePlan] } }));
  }
  return [...out, ...(o.extra ?? [])];
}
