import { resourcePolicy } from "../lib/define";
import { stackOfUrn } from "../lib/graph";
import { BUCKET, DEFAULT_AUDIT_BUCKET_PATTERNS, isAuditBucketProps } from "../audit/scope";
import { PLAN, RDS_INSTANCE, VAULT, VAULT_LOCK } from "../backup/model";

interface Config {
  /** Stack names that are production regardless of tags. */
  productionStacks: string[];
  /** Values of the `environment` stack tag that mean production. */
  productionEnvironments: string[];
  auditBucketPatterns: string[];
}

const STATEFUL = [
  "aws:kms/key:Key",
  "aws:kms/replicaKey:ReplicaKey",
  "aws:secretsmanager/secret:Secret",
  RDS_INSTANCE,
  VAULT,
  VAULT_LOCK,
  PLAN,
] as const;

/**
 * Runbook: disaster recovery and change management. In production a
 * mistaken `pulumi destroy` or a replacement must not delete keys (data
 * encrypted with them becomes unreadable), secrets, the database, backup
 * vaults, their locks and plans, or audit buckets: those resources carry
 * `protect: true`. Never exemptible — the exception register cannot switch
 * off deletion protection.
 */
export const dataSafetyProtect = resourcePolicy<Config>({
  name: "data-safety-protect",
  family: "recovery",
  description: "In production, keys, secrets, databases, backup vaults/locks/plans and audit buckets are protected from deletion (protect: true).",
  severity: "critical",
  controls: "changeProtection",
  runbook: "disasterRecovery",
  remediationSteps: "Pass { protect: true } (protectStateful in the stack config) when creating the resource; remove protection only through a reviewed change.",
  exemptible: false,
  config: {
    schema: {
      productionStacks: { type: "array", items: { type: "string", minLength: 1 }, description: "Stack names treated as production." },
      productionEnvironments: { type: "array", items: { type: "string", minLength: 1 }, description: "Values of the environment stack tag treated as production." },
      auditBucketPatterns: { type: "array", items: { type: "string", minLength: 1 }, description: "Globs naming audit buckets (besides the data-class tag)." },
    },
    defaults: { productionStacks: ["prod", "prod-dr"], productionEnvironments: ["prod", "production"], auditBucketPatterns: DEFAULT_AUDIT_BUCKET_PATTERNS },
  },
  resourceTypes: [...STATEFUL, BUCKET],
  check: ({ type, props, name, urn, opts, config, stackTags, report }) => {
    const env = stackTags.get("environment");
    const stack = stackOfUrn(urn);
    const production = (env !== undefined && config.productionEnvironments.includes(env)) || (stack !== undefined && config.productionStacks.includes(stack));
    if (!production) return;
    if (type === BUCKET && !isAuditBucketProps(props, name, config.auditBucketPatterns)) return;
    if (opts.protect !== true) {
      report(`${type === BUCKET ? "Audit bucket" : type.split(":").pop()} "${name}" is not protected (protect: true) in production stack ${stack ?? "?"}: a destroy or replacement would delete it.`);
    }
  },
});
