/**
 * Rotation Lambda of the JWT signing key (SECRET_KEY), every
 * secrets.rotationDays.jwt days. The key only lives in Secrets Manager, so
 * setSecret has no service to update; the API picks the new key up through
 * External Secrets Operator and a Reloader-triggered rollout.
 *
 * With JWT_OVERLAP_MINUTES = 0 (the runbook default) tokens signed with the
 * old key stop verifying as soon as the pods reload; with N > 0 the old key
 * is kept as `previous` for N minutes.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { consoleLogger, isRotationEvent, Logger, promotePending, putPending, readSecretJson, RotationEvent, runRotationStep, StepHandlers } from "../shared/rotation";
import { buildNextJwtSecret, JwtSecret, validateJwtSecret } from "./jwt-secret";

export interface JwtRotationDeps {
  sm: SecretsManagerClient;
  overlapMinutes: number;
  now?: () => Date;
  random?: (n: number) => Buffer;
  log?: Logger;
}

export function jwtSteps(deps: JwtRotationDeps): StepHandlers {
  const now = deps.now ?? (() => new Date());
  return {
    async createSecret(event: RotationEvent) {
      const pending = await readSecretJson<JwtSecret>(deps.sm, event.SecretId, "AWSPENDING", event.ClientRequestToken);
      if (pending) return;
      // No AWSCURRENT yet on the first rotation of a new secret.
      const current = await readSecretJson<JwtSecret>(deps.sm, event.SecretId, "AWSCURRENT");
      await putPending(deps.sm, event, buildNextJwtSecret(current, now(), deps.overlapMinutes, deps.random));
    },
    async setSecret() {
      // Nothing outside Secrets Manager holds the key.
    },
    async testSecret(event: RotationEvent) {
      const pending = await readSecretJson<JwtSecret>(deps.sm, event.SecretId, "AWSPENDING", event.ClientRequestToken);
      validateJwtSecret(pending);
      const current = await readSecretJson<JwtSecret>(deps.sm, event.SecretId, "AWSCURRENT");
      if (current && current.current === pending.current) throw new Error("pending JWT key equals the current key");
    },
    async finishSecret(event: RotationEvent) {
      await promotePending(deps.sm, event);
    },
  };
}

export async function rotateJwt(event: RotationEvent, deps: JwtRotationDeps): Promise<void> {
  await runRotationStep(deps.sm, event, jwtSteps(deps), deps.log ?? consoleLogger);
}

export function overlapFromEnv(env: NodeJS.ProcessEnv): number {
  const raw = env.JWT_OVERLAP_MINUTES ?? "0";
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`JWT_OVERLAP_MINUTES must be a whole number >= 0, got "${raw}"`);
  return n;
}

let client: SecretsManagerClient | undefined;

export async function handler(event: unknown): Promise<void> {
  if (!isRotationEvent(event)) throw new Error("not a Secrets Manager rotation event");
  client ??= new SecretsManagerClient({});
  await rotateJwt(event, { sm: client, overlapMinutes: overlapFromEnv(process.env) });
}
