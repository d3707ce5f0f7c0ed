/**
 * The Secrets Manager rotation protocol shared by the rotation Lambdas:
 * event validation, staged reads and the final promotion to AWSCURRENT.
 * Secrets Manager may invoke a step more than once; every helper here is
 * safe to repeat.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";

export type RotationStep = "createSecret" | "setSecret" | "testSecret" | "finishSecret";
export const ROTATION_STEPS: readonly RotationStep[] = ["createSecret", "setSecret", "testSecret", "finishSecret"];

export interface RotationEvent {
  SecretId: string;
  ClientRequestToken: string;
  Step: RotationStep;
  RotationToken?: string;
}

export type StepHandlers = Record<RotationStep, (event: RotationEvent) => Promise<void>>;

/** Minimal logger so tests can capture output; defaults to console. */
export interface Logger {
  info(msg: string, data?: Record<string, unknown>): void;
}
export const consoleLogger: Logger = {
  info: (msg, data) => console.log(JSON.stringify({ msg, ...data })),
};

export function isRotationEvent(e: unknown): e is RotationEvent {
  const ev = e as Partial<RotationEvent> | null;
  return !!ev && typeof ev.SecretId === "string" && typeof ev.ClientRequestToken === "string" && ROTATION_STEPS.includes(ev.Step as RotationStep);
}

/**
 * Checks the event against the secret's state (as AWS's rotation templates
 * do) and runs the step. A token already AWSCURRENT means a repeated
 * invocation of a finished rotation: nothing to do.
 */
export async function runRotationStep(sm: SecretsManagerClient, event: RotationEvent, steps: StepHandlers, log: Logger = consoleLogger): Promise<void> {
  if (!ROTATION_STEPS.includes(event.Step)) {
    throw new Error(`unknown rotation step "${String(event.Step)}"; allowed: ${ROTATION_STEPS.join(", ")}`);
  }
  const meta = await sm.send(new DescribeSecretCommand({ SecretId: event.SecretId }));
  if (meta.RotationEnabled === false) throw new Error(`rotation is not enabled for ${event.SecretId}`);
  const stages = meta.VersionIdsToStages ?? {};
  const tokenStages = stages[event.ClientRequestToken];
  if (!tokenStages) throw new Error(`version ${event.ClientRequestToken} of ${event.SecretId} is not staged for rotation`);
  if (tokenStages.includes("AWSCURRENT")) {
    log.info("version is already AWSCURRENT; nothing to do", { step: event.Step, secretId: event.SecretId });
    return;
  }
  if (!tokenStages.includes("AWSPENDING")) {
    throw new Error(`version ${event.ClientRequestToken} of ${event.SecretId} is not AWSPENDING`);
  }
  log.info("rotation step", { step: event.Step, secretId: event.SecretId });
  await steps[event.Step](event);
}

function isNotFound(e: unknown): boolean {
  return (e as { name?: string })?.name === "ResourceNotFoundException";
}

/** The secret string of a version (by stage, optionally pinned to a version id); undefined if it does not exist. */
export async function readSecretString(sm: SecretsManagerClient, secretId: string, stage: string, versionId?: string): Promise<string | undefined> {
  try {
    const out = await sm.send(new GetSecretValueCommand({ SecretId: secretId, VersionStage: stage, ...(versionId ? { VersionId: versionId } : {}) }));
    return out.SecretString;
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

export async function readSecretJson<T>(sm: SecretsManagerClient, secretId: string, stage: string, versionId?: string): Promise<T | undefined> {
  const s = await readSecretString(sm, secretId, stage, versionId);
  if (s === undefined || s.trim() === "") return undefined;
  try {
    return JSON.parse(s) as T;
  } catch {
    throw new Error(`the ${stage} version of ${secretId} is not JSON`);
  }
}

/** Stores the pending value under the rotation's token (idempotent: same token, same version). */
export async function putPending(sm: SecretsManagerClient, event: RotationEvent, value: unknown): Promise<void> {
  await sm.send(new PutSecretValueCommand({
    SecretId: event.SecretId,
    ClientRequestToken: event.ClientRequestToken,
    SecretString: JSON.stringify(value),
    VersionStages: ["AWSPENDING"],
  }));
}

/** Version id currently labelled AWSCURRENT, if any (a new secret has none until its first rotation). */
export async function currentVersionId(sm: SecretsManagerClient, secretId: string): Promise<string | undefined> {
  const meta = await sm.send(new DescribeSecretCommand({ SecretId: secretId }));
  for (const [id, stages] of Object.entries(meta.VersionIdsToStages ?? {})) {
    if (stages.includes("AWSCURRENT")) return id;
  }
  return undefined;
}

/** Moves AWSCURRENT to the rotation's version; AWSPREVIOUS follows automatically. */
export async function promotePending(sm: SecretsManagerClient, event: RotationEvent): Promise<{ previousVersionId?: string }> {
  const current = await currentVersionId(sm, event.SecretId);
  if (current === event.ClientRequestToken) return { previousVersionId: undefined };
  await sm.send(new UpdateSecretVersionStageCommand({
    SecretId: event.SecretId,
    VersionStage: "AWSCURRENT",
    MoveToVersionId: event.ClientRequestToken,
    ...(current ? { RemoveFromVersionId: current } : {}),
  }));
  return { previousVersionId: current };
}
