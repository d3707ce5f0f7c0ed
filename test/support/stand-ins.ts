/**
 * The keys / network / database components as the program composes them,
 * for component tests that need their outputs.
 */
import * as aws from "@pulumi/aws";
import { Database } from "../../components/database/database";
import { EncryptionKeys } from "../../components/keys/encryption-keys";
import { Network } from "../../components/network/network";
import type { StackConfig } from "../../config/schema";

export function standInKeys(cfg: StackConfig) {
  const drProvider = new aws.Provider("dr-region", { region: cfg.drRegion });
  const keys = new EncryptionKeys("keys", { config: cfg.keys, drProvider, protect: cfg.protectStateful, tags: cfg.tags });
  return { primaryKey: keys.primaryKey, replicaKey: keys.replicaKey, drProvider };
}

export function standInNetwork(cfg: StackConfig) {
  return new Network("network", { config: cfg.network, tags: cfg.tags });
}

export function standInDatabase(cfg: StackConfig, keys: ReturnType<typeof standInKeys>, network = standInNetwork(cfg)) {
  return new Database("database", {
    config: cfg.database,
    network,
    kmsKey: keys.primaryKey,
    drKmsKey: keys.replicaKey,
    drProvider: keys.drProvider,
    protect: cfg.protectStateful,
    tags: cfg.tags,
  });
}
