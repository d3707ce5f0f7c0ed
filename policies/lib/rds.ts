/** RDS resource types and engine facts shared by the database policies. */
export const RDS = {
  instance: "aws:rds/instance:Instance",
  cluster: "aws:rds/cluster:Cluster",
  clusterInstance: "aws:rds/clusterInstance:ClusterInstance",
  parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
  clusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
} as const;

/** postgres, aurora-postgresql. */
export function isPostgresEngine(engine: unknown): boolean {
  return typeof engine === "string" && /postgres/i.test(engine);
}

/** A read replica inherits storage, keys and backups from its source. */
export function isReadReplica(props: Record<string, any>): boolean {
  const src = props.replicateSourceDb;
  return src !== undefined && src !== null && src !== "";
}

/** A parameter's value from a parameter group's `parameters` list (name case-insensitive). */
export function parameterValue(parameters: unknown, name: string): string | undefined {
  if (!Array.isArray(parameters)) return undefined;
  const p = parameters.find((x) => x && typeof x === "object" && String(x.name).toLowerCase() === name.toLowerCase());
  return p ? String(p.value) : undefined;
}

/** What a PostgreSQL parameter group is missing for TLS-only connections and pgaudit; empty when compliant. */
export function pgParameterProblems(parameters: unknown): string[] {
  const problems: string[] = [];
  const forceSsl = parameterValue(parameters, "rds.force_ssl");
  if (forceSsl !== "1") problems.push(`rds.force_ssl is ${forceSsl === undefined ? "not set" : `"${forceSsl}"`} (must be "1")`);
  const preload = parameterValue(parameters, "shared_preload_libraries");
  const libs = (preload ?? "").split(",").map((s) => s.trim().toLowerCase());
  if (!libs.includes("pgaudit")) problems.push("shared_preload_libraries does not include pgaudit");
  return problems;
}
