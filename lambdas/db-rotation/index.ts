/**
 * Lambda entry of the application-user rotation (see steps.ts). Invoked by
 * Secrets Manager for the four rotation steps, and hourly by EventBridge
 * Scheduler with {"action":"sweep"} to drop users whose grace period ended.
 *
 * Environment: ARNs, names and numbers only (settingsFromEnv); the master
 * password is read from its RDS-managed secret at run time. TLS to RDS is
 * verified against the bundled RDS certificate authorities (shared/pg.ts).
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { pgConnector } from "../shared/pg";
import { isRotationEvent } from "../shared/rotation";
import { dbSteps, rotateDatabaseSecret, settingsFromEnv, SweepResult } from "./steps";

export const connectPg = pgConnector("duespark-db-rotation");

let sm: SecretsManagerClient | undefined;

export async function handler(event: unknown): Promise<SweepResult | void> {
  sm ??= new SecretsManagerClient({});
  const deps = { sm, connect: connectPg, settings: settingsFromEnv(process.env) };
  if (isRotationEvent(event)) return rotateDatabaseSecret(event, deps);
  if ((event as { action?: string } | null)?.action === "sweep") return dbSteps(deps).sweep();
  throw new Error('expected a Secrets Manager rotation event or {"action":"sweep"}');
}
