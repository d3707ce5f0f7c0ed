import { z } from "zod";
import { AWS_REGIONS } from "./regions";
import { accessSchema } from "./sections/access";
import { alertingSchema } from "./sections/alerting";
import { auditSchema } from "./sections/audit";
import { backupSchema } from "./sections/backup";
import { databaseSchema } from "./sections/database";
import { drSchema } from "./sections/dr";
import { keysSchema } from "./sections/keys";
import { networkSchema } from "./sections/network";
import { secretsSchema } from "./sections/secrets";
import { workloadSchema } from "./sections/workload";

export const PROJECT = "duespark-ops";

const region = z.enum(AWS_REGIONS, { error: `is not an AWS region; allowed: ${AWS_REGIONS.join(", ")}` });

/**
 * Every key the program reads under the `duespark-ops:` namespace. Strict:
 * an unknown key (usually a typo) is an error, never silently ignored.
 */
export const projectConfigSchema = z.strictObject({
  environment: z.enum(["dev", "staging", "prod"]),
  drRegion: region,
  /** Tags applied to every AWS resource (merged with the program's own). */
  tags: z.record(z.string().regex(/^[\w.:/=+@ -]{1,128}$/), z.string().max(256)).default({}),
  /** kubeconfig of the existing cluster; secret config (`pulumi config set --secret`). */
  kubeconfig: z.string().min(1, { error: "must be a kubeconfig document" }),
  network: networkSchema,
  keys: keysSchema,
  secrets: secretsSchema,
  database: databaseSchema,
  access: accessSchema,
  backup: backupSchema,
  alerting: alertingSchema,
  audit: auditSchema,
  workload: workloadSchema,
  dr: drSchema,
});

/** Provider namespaces the stack files may also set (read by the providers, not the program). */
export const PROVIDER_NAMESPACES = ["aws", "pagerduty", "kubernetes", "postgresql"] as const;

export const providerConfigSchema = z.object({
  "aws:region": region,
});

export type ProjectConfig = z.infer<typeof projectConfigSchema>;

/** The validated stack configuration the components are composed from. */
export interface StackConfig extends ProjectConfig {
  /** Pulumi stack name. */
  stack: string;
  /** Primary region of this stack (`aws:region`). */
  region: (typeof AWS_REGIONS)[number];
  /** Stateful resources are protected (`protect: true`) in production. */
  protectStateful: boolean;
}
