import { stackPolicy } from "../lib/define";
import { Deferrals } from "../lib/props";
import { rotationInterval } from "../lib/rotation-schedule";
import { maxDaysSchema, RotatedClass, RUNBOOK_MAX_DAYS, ROTATION_TYPE, SECRET_TYPE, SecretNames, secretClassOf, secretsOfRotation } from "../lib/secrets";

interface Config {
  maxDays: Record<RotatedClass, number>;
  defaultClass: RotatedClass;
}

/**
 * Runbook: secret rotation schedule (JWT 90 d, DB credentials 180 d, API
 * keys 365 d). A stack policy because a SecretRotation has no tags: the
 * class comes from the `duespark:secret-class` tag of the Secret it is
 * linked to by URN (propertyDependencies.secretId), else `defaultClass`
 * (default jwt, the strictest). rotationRules must set exactly one of
 * automaticallyAfterDays / scheduleExpression; for rate() and cron() the
 * longest gap between two runs is compared with the class maximum.
 */
export const secretsRotationSchedule = stackPolicy<Config>({
  name: "secrets-rotation-schedule",
  family: "secrets",
  description: "Secret rotation schedules never leave a secret unrotated longer than its class allows (JWT 90, database 180, API key 365 days).",
  severity: "high",
  controls: "secretRotation",
  runbook: "secretRotation",
  remediationSteps:
    "Set rotationRules on the aws.secretsmanager.SecretRotation to exactly one of automaticallyAfterDays (<= the class maximum) or a scheduleExpression (rate(N days) or cron(...)) whose longest gap is within it; keep rotationEnabled true.",
  config: {
    schema: {
      maxDays: { ...maxDaysSchema, default: RUNBOOK_MAX_DAYS },
      defaultClass: { type: "string", enum: ["jwt", "database", "api-key"], default: "jwt", description: "Class of a rotation whose secret has no class tag." },
    },
    defaults: { maxDays: { ...RUNBOOK_MAX_DAYS }, defaultClass: "jwt" },
  },
  resourceTypes: [ROTATION_TYPE, SECRET_TYPE],
  check: ({ resources, config, report }) => {
    const d = new Deferrals();
    const maxDays = { ...RUNBOOK_MAX_DAYS, ...config.maxDays };
    const secrets = new SecretNames(resources.filter((r) => r.type === SECRET_TYPE), d);
    for (const rotation of resources.filter((r) => r.type === ROTATION_TYPE)) {
      d.run(() => {
        const [secret] = secretsOfRotation(rotation, secrets, d);
        const tagged = secret ? secretClassOf(secret.props) : undefined;
        const cls: RotatedClass = tagged && tagged !== "managed" ? tagged : config.defaultClass;
        const limit = maxDays[cls];
        if (rotation.props.rotationEnabled === false) {
          report(`SecretRotation ${rotation.name} has rotationEnabled false.`, rotation.urn);
          return;
        }
        const rules = rotation.props.rotationRules;
        const interval = rotationInterval(rules ? { automaticallyAfterDays: rules.automaticallyAfterDays, scheduleExpression: rules.scheduleExpression } : undefined);
        if (!interval.ok) {
          report(`SecretRotation ${rotation.name}: ${interval.reason}.`, rotation.urn);
          return;
        }
        if (interval.days > limit) {
          const days = Math.round(interval.days * 10) / 10;
          report(`SecretRotation ${rotation.name} (${cls} secret${secret ? ` ${secret.name}` : ""}) rotates every ${days} days at most (${interval.source}); the runbook allows ${limit}.`, rotation.urn);
        }
      });
    }
    d.finish();
  },
});
