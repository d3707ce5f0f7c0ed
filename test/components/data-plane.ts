/**
 * Builds the components the secrets/database tests depend on, wired as
 * index.ts wires them, from the prod stack config.
 */
import * as aws from "@pulumi/aws";
import { AlertRouting } from "../../components/alerting/alert-routing";
import { Database } from "../../components/database/database";
import { DatabaseRoles } from "../../components/database/database-roles";
import { EncryptionKeys } from "../../components/keys/encryption-keys";
import { Network } from "../../components/network/network";
import { SecretsStore } from "../../components/secrets/secrets-store";
import type { StackConfig } from "../../config/schema";

export function buildDrProvider(cfg: StackConfig): aws.Provider {
  return new aws.Provider("dr-region", { region: cfg.drRegion });
}

export function buildKeysAndNetwork(cfg: StackConfig) {
  const drProvider = buildDrProvider(cfg);
  const keys = new EncryptionKeys("keys", { config: cfg.keys, drProvider, protect: cfg.protectStateful, tags: cfg.tags });
  const network = new Network("network", { config: cfg.network, tags: cfg.tags });
  return { drProvider, keys, network };
}

export function buildDatabase(cfg: StackConfig) {
  const base = buildKeysAndNetwork(cfg);
  const database = new Database("database", {
    config: cfg.database,
    network: base.network,
    kmsKey: base.keys.primaryKey,
    drKmsKey: base.keys.replicaKey,
    drProvider: base.drProvider,
    protect: cfg.protectStateful,
    tags: cfg.tags,
  });
  return { ...base, database };
}

export function buildSecrets(cfg: StackConfig, opts: { withRoles?: boolean } = {}) {
  const base = buildDatabase(cfg);
  const alerts = new AlertRouting("alerting", { config: cfg.alerting, environment: cfg.environment, kmsKey: base.keys.primaryKey, tags: cfg.tags });
  const databaseRoles = opts.withRoles === false ? undefined : new DatabaseRoles("db-roles", { config: cfg.database, database: base.database, network: base.network, kmsKey: base.keys.primaryKey, tags: cfg.tags });
  const secrets = new SecretsStore("secrets", {
    config: cfg.secrets,
    database: base.database,
    network: base.network,
    kmsKey: base.keys.primaryKey,
    drKmsKey: base.keys.replicaKey,
    drRegion: cfg.drRegion,
    alerts,
    databaseRoles,
    protect: cfg.protectStateful,
    tags: cfg.tags,
  });
  return { ...base, alerts, databaseRoles, secrets };
}
