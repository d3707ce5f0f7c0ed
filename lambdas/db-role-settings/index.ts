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
import { Client } from "pg";
import { PgConnect, RoleSettingsResult, runRoleSettings, targetFromEnv } from "./steps";

export { roleResetStatements, roleSettingStatements, ALLOWED_PARAMETERS } from "./sql";
export { planRoleSettings, runRoleSettings } from "./steps";

export const connectPg: PgConnect = async (p) => {
  const client = new Client({
    host: p.host,
    port: p.port,
    database: p.database,
    user: p.user,
    password: p.password,
    ssl: { rejectUnauthorized: true },
    connectionTimeoutMillis: 10_000,
    statement_timeout: 30_000,
    application_name: "duespark-db-role-settings",
  });
  await client.connect();
  return client;
};

let sm: SecretsManagerClient | undefined;

export async function handler(event: unknown): Promise<RoleSettingsResult> {
  sm ??= new SecretsManagerClient({});
  return runRoleSettings(event, { sm, connect: connectPg, target: targetFromEnv(process.env) });
}
