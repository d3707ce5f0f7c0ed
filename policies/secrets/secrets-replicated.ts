import { resourcePolicy } from "../lib/define";
import { asArray, isSet, tryKnown } from "../lib/props";
import { SECRET_TYPE, secretClassOf } from "../lib/secrets";

/**
 * Runbook: disaster recovery. Every secret the stack declares has a replica
 * in another region, so the DR stack can start without the primary region.
 * The primary region is the secret's own `region` or its provider's. With
 * `drRegion` configured, a replica must be in exactly that region.
 * Secrets of class "managed" (replicated by the service owning them) are
 * skipped.
 */
export const secretsReplicated = resourcePolicy<{ drRegion: string }>({
  name: "secrets-replicated",
  family: "secrets",
  description: "Secrets Manager secrets are replicated to the disaster-recovery region.",
  severity: "medium",
  controls: "recovery",
  runbook: "disasterRecovery",
  remediationSteps: "Add a replicas entry to the aws.secretsmanager.Secret with region set to the DR region (e.g. us-west-2) and kmsKeyId set to the DR replica key.",
  config: {
    schema: { drRegion: { type: "string", default: "", description: "Region a replica must be in; empty = any region other than the primary." } },
    defaults: { drRegion: "" },
  },
  resourceTypes: [SECRET_TYPE],
  check: ({ props, provider, config, report }) => {
    if (secretClassOf(props) === "managed") return;
    const own = props.region;
    const fromProvider = provider ? tryKnown(() => provider.props.region) : undefined;
    const primary = isSet(own) ? String(own) : fromProvider?.known && isSet(fromProvider.value) ? String(fromProvider.value) : undefined;
    const regions = asArray<Record<string, any>>(props.replicas).map((r) => (isSet(r.region) ? String(r.region) : ""));
    const elsewhere = regions.filter((r) => r && r !== primary);
    if (elsewhere.length === 0) {
      report(primary ? `The secret has no replica outside its primary region ${primary}.` : "The secret has no replica in another region.");
      return;
    }
    if (config.drRegion && !regions.includes(config.drRegion)) {
      report(`The secret is replicated to ${elsewhere.join(", ")} but not to the DR region ${config.drRegion}.`);
    }
  },
});
