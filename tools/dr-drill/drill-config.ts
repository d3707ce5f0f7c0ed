/**
 * The drill stack's configuration, derived from the source stack's file:
 * the same platform as a recovery stack of the source in the drill region.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { ConfigError, parseStackConfig } from "../../config/load";
import { AWS_REGIONS } from "../../config/regions";
import { PROJECT } from "../../config/schema";
import type { PrimaryOutputs } from "../../config/sections/dr";
import type { StackConfig } from "../../config/schema";
import { secretNamePrefix } from "../../components/secrets/secrets-store";
import { DEFAULT_ACCOUNT_ID } from "../preview/mock-outputs";
import { readPolicyConfigFile } from "../preview/policy-config";
import { listStacks, readProject, readStack, StackFile } from "../preview/stack-file";

/** Bad command-line input: exit 2 with the message, no stack trace. */
export class DrillUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DrillUsageError";
  }
}

export interface DrillTarget {
  source: StackFile;
  sourceConfig: StackConfig;
  region: string;
  drRegion: string;
  /** Name of the temporary drill stack. */
  stack: string;
}

const hash = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);

/** drill-<region>-<yyyymmddhhmm>: unique per drill, short enough for every derived name. */
export function drillStackName(region: string, at: Date): string {
  const ts = at.toISOString().replace(/[-:T]/g, "").slice(0, 12);
  return `drill-${region}-${ts}`;
}

export function resolveTarget(root: string, from: string, region: string, drRegion: string | undefined, at: Date): DrillTarget {
  const project = readProject(root);
  const known = listStacks(project).filter((s) => !s.startsWith("tmp-") && !s.startsWith("drill-"));
  if (!known.includes(from)) throw new DrillUsageError(`--from: unknown stack "${from}"; stacks: ${known.join(", ")}`);
  if (!(AWS_REGIONS as readonly string[]).includes(region)) throw new DrillUsageError(`--region: "${region}" is not an AWS region in config/regions.ts; allowed: ${AWS_REGIONS.join(", ")}`);
  const source = readStack(project, from);
  let sourceConfig: StackConfig;
  try {
    sourceConfig = parseStackConfig({ values: source.config, secretKeys: new Set(source.secretKeys) }, from);
  } catch (e) {
    if (e instanceof ConfigError) throw new DrillUsageError(`--from ${from}: the source stack's config is invalid:\n${e.message}`);
    throw e;
  }
  if (region === sourceConfig.region) throw new DrillUsageError(`--region: ${region} is the region of stack ${from}; a drill recovers into another region`);
  const dr = drRegion ?? sourceConfig.region;
  if (!(AWS_REGIONS as readonly string[]).includes(dr)) throw new DrillUsageError(`--dr-region: "${dr}" is not an AWS region in config/regions.ts`);
  if (dr === region) throw new DrillUsageError(`--dr-region: ${dr} equals --region; the drill stack's backups and replicas must go to another region`);
  return { source, sourceConfig, region, drRegion: dr, stack: drillStackName(region, at) };
}

/**
 * Stand-in outputs of the source stack in the drill region, for a rehearsal
 * without state: shaped like the real ones (same names, this region,
 * the offline account).
 */
export function rehearsalPrimaryOutputs(t: DrillTarget, accountId = DEFAULT_ACCOUNT_ID): PrimaryOutputs {
  const name = t.source.stack;
  const prefix = secretNamePrefix(name);
  const arn = (service: string, resource: string) => `arn:aws:${service}:${t.region}:${accountId}:${resource}`;
  const suffix = (s: string) => hash(s, 6).replace(/[0-9]/g, (d) => "ABCDEFGHIJ"[Number(d)]);
  return {
    secretNamePrefix: prefix,
    replicaKeyArn: arn("kms", `key/mrk-${hash(`${name}:key`, 32)}`),
    drAutomatedBackupsArn: arn("rds", `auto-backup:ab-${hash(`${name}:ab`, 26)}`),
    drBackupVaultArn: arn("backup", `backup-vault:duespark-${name}-backups-dr`),
    secretReplicaArns: {
      jwt: arn("secretsmanager", `secret:${prefix}/jwt-signing-key-${suffix("jwt")}`),
      apiKeys: Object.fromEntries(t.sourceConfig.secrets.apiKeys.map((k) => [k.name, arn("secretsmanager", `secret:${prefix}/api-keys/${k.name}-${suffix(k.name)}`)])),
    },
  };
}

export interface DrillConfigOptions {
  /** Fully qualified source stack (org/project/stack) for the StackReference; omitted offline. */
  primaryStack?: string;
  /** Fallback outputs of the source (offline: rehearsal outputs in the drill region). */
  primaryOutputs?: PrimaryOutputs;
  /** Restore this recovery point instead of the latest restorable time. */
  snapshotIdentifier?: string;
}

/** Engine config values to lay over the source stack's (namespaced keys, structured values as JSON). */
export function drillConfigOverrides(t: DrillTarget, o: DrillConfigOptions): Record<string, string> {
  const c = t.sourceConfig;
  const dr = {
    role: "recovery",
    ...(o.primaryStack ? { primaryStack: o.primaryStack } : {}),
    ...(o.primaryOutputs ? { primaryOutputs: o.primaryOutputs } : {}),
    restore: o.snapshotIdentifier ? { source: "snapshot", snapshotIdentifier: o.snapshotIdentifier } : { source: "pitr" },
    hostedZoneName: c.dr.hostedZoneName,
    // Its own failover name: the production pair (PRIMARY, SECONDARY) under recordName stays untouched.
    recordName: `drill.${c.dr.recordName}`,
  };
  // Account-wide names must not collide with the source's (PagerDuty service, Slack chat configuration region stays).
  const alerting = { ...c.alerting, pagerduty: { ...c.alerting.pagerduty, serviceName: `${c.alerting.pagerduty.serviceName} - DR drill ${t.region}`.slice(0, 255) } };
  return {
    "aws:region": t.region,
    [`${PROJECT}:drRegion`]: t.drRegion,
    [`${PROJECT}:dr`]: JSON.stringify(dr),
    [`${PROJECT}:alerting`]: JSON.stringify(alerting),
  };
}

/**
 * The source's policy config (stacks/policy-config.<source>.json) adapted
 * to the drill stack: settings naming the DR region name the drill's.
 * Read and checked up front (an invalid file is a UsageError naming it);
 * undefined when the source has none.
 */
export function readDrillPolicyConfig(t: DrillTarget): Record<string, unknown> | undefined {
  const file = path.join(t.source.project.dir, t.source.project.stackConfigDir, `policy-config.${t.source.stack}.json`);
  if (!fs.existsSync(file)) return undefined;
  const config = readPolicyConfigFile(file);
  for (const entry of Object.values(config)) {
    if (entry && typeof entry === "object" && "drRegion" in entry) (entry as Record<string, unknown>).drRegion = t.drRegion;
  }
  return config;
}

/** Writes the drill's policy config into `dir` (a temporary directory the caller removes); returns the file. */
export function writeDrillPolicyConfig(t: DrillTarget, config: Record<string, unknown>, dir: string): string {
  const out = path.join(dir, `policy-config.${t.stack}.json`);
  fs.writeFileSync(out, `${JSON.stringify(config, null, 2)}\n`);
  return out;
}

/**
 * The report directory, resolved and checked before anything runs: an
 * existing writable directory, or a path whose nearest existing ancestor is
 * a writable directory (the report creates it). A file in the way would
 * otherwise surface only after the whole drill.
 */
export function checkOutDir(out: string): string {
  const dir = path.resolve(out);
  for (let p = dir; ; p = path.dirname(p)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") throw new DrillUsageError(`--out: cannot use ${dir}: ${code ?? (e as Error).message}`);
    }
    if (st) {
      if (!st.isDirectory()) {
        throw new DrillUsageError(p === dir ? `--out: ${dir} exists and is not a directory; name a directory for the report` : `--out: cannot create ${dir}: ${p} is a file, not a directory`);
      }
      try {
        fs.accessSync(p, fs.constants.W_OK | fs.constants.X_OK);
      } catch {
        throw new DrillUsageError(p === dir ? `--out: directory ${dir} is not writable` : `--out: cannot create ${dir}: directory ${p} is not writable`);
      }
      return dir;
    }
    if (path.dirname(p) === p) return dir;
  }
}
