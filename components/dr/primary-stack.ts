/**
 * What a recovery stack reads from its primary: through a StackReference
 * when `dr.primaryStack` is set (the primary's outputs of the same names),
 * falling back, output by output, to `dr.primaryOutputs` in config — the
 * primary's state may be unreachable in a disaster, and offline there is
 * no state at all.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config/load";
import type { DrConfig, PrimaryOutputs } from "../../config/sections/dr";
import { secretNamePrefix } from "../secrets/secrets-store";

export interface PrimaryStackOutputs {
  /** Name prefix of the primary's secrets (known when the program starts: manifests name secrets). */
  secretNamePrefix: string;
  replicaKeyArn: pulumi.Output<string>;
  drAutomatedBackupsArn: pulumi.Output<string | undefined>;
  drBackupVaultArn: pulumi.Output<string | undefined>;
  jwtSecretReplicaArn: pulumi.Output<string>;
  apiKeySecretReplicaArns: Record<string, pulumi.Output<string>>;
  reference?: pulumi.StackReference;
}

export function readPrimaryStack(dr: DrConfig, apiKeyNames: string[], opts?: pulumi.CustomResourceOptions): PrimaryStackOutputs {
  const fallback: Partial<PrimaryOutputs> = dr.primaryOutputs ?? {};
  const reference = dr.primaryStack ? new pulumi.StackReference(dr.primaryStack, { name: dr.primaryStack }, opts) : undefined;
  const where = dr.primaryStack ? `stack ${dr.primaryStack} has no output "%s" and ` : "";
  const raw = (key: keyof PrimaryOutputs): pulumi.Output<unknown> => (reference ? reference.getOutput(key) : pulumi.output(undefined));
  const required = <T>(key: keyof PrimaryOutputs, pick: (v: any) => T | undefined, fb: T | undefined, label = key as string): pulumi.Output<T> =>
    raw(key).apply((v) => {
      const value = pick(v) ?? fb;
      if (value === undefined || value === null || value === "") {
        throw new ConfigError(`${where.replace("%s", label)}duespark-ops:dr.primaryOutputs.${label} is not set; the recovery stack needs it`);
      }
      return value;
    });

  const prefix = fallback.secretNamePrefix ?? (dr.primaryStack ? secretNamePrefix(dr.primaryStack.split("/")[2]) : undefined);
  if (!prefix) throw new ConfigError("duespark-ops:dr.primaryOutputs.secretNamePrefix is not set and there is no primaryStack to derive it from");

  const apiKeySecretReplicaArns: Record<string, pulumi.Output<string>> = {};
  for (const n of apiKeyNames) {
    apiKeySecretReplicaArns[n] = required<string>("secretReplicaArns", (v) => v?.apiKeys?.[n], fallback.secretReplicaArns?.apiKeys?.[n], `secretReplicaArns.apiKeys.${n}`);
  }
  return {
    secretNamePrefix: prefix,
    replicaKeyArn: required("replicaKeyArn", (v) => v as string | undefined, fallback.replicaKeyArn),
    // Only a point-in-time restore needs it; a snapshot restore names its recovery point in config.
    drAutomatedBackupsArn:
      dr.restore.source === "pitr"
        ? required("drAutomatedBackupsArn", (v) => v as string | undefined, fallback.drAutomatedBackupsArn)
        : raw("drAutomatedBackupsArn").apply((v) => (v as string | undefined) ?? fallback.drAutomatedBackupsArn),
    drBackupVaultArn: raw("drBackupVaultArn").apply((v) => (v as string | undefined) ?? fallback.drBackupVaultArn),
    jwtSecretReplicaArn: required<string>("secretReplicaArns", (v) => v?.jwt, fallback.secretReplicaArns?.jwt, "secretReplicaArns.jwt"),
    apiKeySecretReplicaArns,
    reference,
  };
}
