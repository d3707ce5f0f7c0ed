/**
 * Lambda entry of the role settings (see steps.ts): invoked by the
 * aws.lambda.Invocation in components/database/role-settings.ts on create,
 * update and delete, or by hand with {"action":"reset", ...}.
 *
 * Environment: MASTER_SECRET_ARN, DB_HOST, DB_PORT; the master password is
 * read from its RDS-managed secret at run time. TLS to RDS is verified
 * against the RDS CA bundle the Node.js runtime ships
 * (NODE_EXTRA_CA_CERTS=/var/runtime/ca-cert.pem).
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { pgConnector } from "../shared/pg";
import { RoleSettingsResult, runRoleSettings, targetFromEnv } from "./steps";

export { roleResetStatements, roleSettingStatements, ALLOWED_PARAMETERS } from "./sql";
export { planRoleSettings, runRoleSettings } from "./steps";

export const connectPg = pgConnector("duespark-db-role-settings");

let sm: SecretsManagerClient | undefined;

export async function handler(event: unknown): Promise<RoleSettingsResult> {
  sm ??= new SecretsManagerClient({});
  return runRoleSettings(event, { sm, connect: connectPg, target: targetFromEnv(process.env) });
}
