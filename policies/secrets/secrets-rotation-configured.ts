import { stackPolicy } from "../lib/define";
import { configRegex, Deferrals, displayName, isSet, tagValue, TAGS, toInt, tryKnown } from "../lib/props";
import { RUNBOOK_MAX_DAYS, ROTATION_TYPE, rotationsBySecret, SECRET_TYPE, secretClassOf } from "../lib/secrets";

interface Config {
  apiKeyMaxDays: number;
  ageCheckTypes: string[];
  ageCheckNamePattern: string;
}

const AGE_CHECK_TYPES = ["aws:scheduler/schedule:Schedule", "aws:cloudwatch/eventRule:EventRule"];

/**
 * Runbook: secret rotation schedule. Every secret the stack declares has
 * exactly one SecretRotation (linked by URN through its secretId) with a
 * rotation Lambda. Exceptions, by the secret's `duespark:secret-class` tag:
 * - "managed": rotated by the service that owns it; skipped. (RDS-managed
 *   master secrets are not declared as Secrets at all.)
 * - "api-key": issued by a vendor and rotated by hand, so no Lambda can
 *   rotate it. Unless it has a rotation with a Lambda, it must carry the
 *   obligation tag `duespark:rotation-days` (<= apiKeyMaxDays, runbook 365)
 *   and the stack must hold the age-check schedule (a scheduler Schedule or
 *   EventBridge rule whose name matches ageCheckNamePattern) that warns
 *   before the obligation lapses.
 */
export const secretsRotationConfigured = stackPolicy<Config>({
  name: "secrets-rotation-configured",
  family: "secrets",
  description: "Every secret has exactly one rotation with a rotation Lambda (vendor API keys: a rotation obligation and an age check).",
  severity: "high",
  controls: "secretRotation",
  runbook: "secretRotation",
  remediationSteps:
    "Declare one aws.secretsmanager.SecretRotation per secret with secretId: secret.id and rotationLambdaArn set. For vendor API keys tag the secret duespark:secret-class=api-key and duespark:rotation-days=<= 365 and keep the API-key age-check schedule.",
  config: {
    schema: {
      apiKeyMaxDays: { type: "integer", minimum: 1, maximum: 1000, default: RUNBOOK_MAX_DAYS["api-key"], description: "Longest rotation obligation for hand-rotated API keys." },
      ageCheckTypes: { type: "array", items: { type: "string" }, description: "Resource types that can run the API-key age check." },
      ageCheckNamePattern: { type: "string", minLength: 1, default: "age-check", description: "Regex on the logical or physical name of the age-check schedule." },
    },
    defaults: { apiKeyMaxDays: RUNBOOK_MAX_DAYS["api-key"], ageCheckTypes: AGE_CHECK_TYPES, ageCheckNamePattern: "age-check" },
  },
  resourceTypes: [SECRET_TYPE, ROTATION_TYPE, ...AGE_CHECK_TYPES],
  check: ({ resources, config, report }) => {
    const d = new Deferrals();
    const rotations = rotationsBySecret(resources, d);
    const nameRe = configRegex(config.ageCheckNamePattern);
    const hasAgeCheck = resources.some((r) => config.ageCheckTypes.includes(r.type) && (nameRe.test(r.name) || nameRe.test(displayName(r))));
    for (const secret of resources.filter((r) => r.type === SECRET_TYPE)) {
      d.run(() => {
        const cls = secretClassOf(secret.props);
        if (cls === "managed") return;
        const list = rotations.get(secret.urn) ?? [];
        if (list.length > 1) {
          report(`Secret ${secret.name} has ${list.length} SecretRotation resources (${list.map((r) => r.name).join(", ")}); exactly one is allowed.`, secret.urn);
          return;
        }
        const rotation = list[0];
        // An unknown ARN is a Lambda created in the same preview: set.
        const lambda = rotation ? tryKnown(() => rotation.props.rotationLambdaArn) : undefined;
        if (lambda && (!lambda.known || isSet(lambda.value))) return;
        if (cls === "api-key") {
          const days = toInt(tagValue(secret.props, TAGS.rotationDays));
          if (days === undefined || days <= 0) report(`API-key secret ${secret.name} has no rotation obligation: tag ${TAGS.rotationDays} is missing or not a number of days.`, secret.urn);
          else if (days > config.apiKeyMaxDays) report(`API-key secret ${secret.name} has a rotation obligation of ${days} days; the runbook allows at most ${config.apiKeyMaxDays}.`, secret.urn);
          if (!hasAgeCheck) report(`API-key secret ${secret.name} is rotated by hand but the stack has no age-check schedule (${config.ageCheckTypes.join(" or ")} named /${config.ageCheckNamePattern}/).`, secret.urn);
          return;
        }
        report(
          rotation
            ? `Secret ${secret.name}: SecretRotation ${rotation.name} has no rotationLambdaArn.`
            : `Secret ${secret.name} has no SecretRotation linked to it (class ${cls ?? "untagged"}).`,
          secret.urn,
        );
      });
    }
    d.finish();
  },
});
