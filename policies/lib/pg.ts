/**
 * PostgreSQL provider types and the read-only role matcher shared by the
 * database policies. A role is read-only when its name matches
 * `readonlyRolePattern` (case-insensitive) or is listed in `readonlyRoles`.
 */
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

export const PG = {
  role: "postgresql:index/role:Role",
  grant: "postgresql:index/grant:Grant",
  defaultPrivileges: "postgresql:index/defaultPrivileges:DefaultPrivileges",
  grantRole: "postgresql:index/grantRole:GrantRole",
} as const;

export interface ReadonlyConfig {
  readonlyRolePattern: string;
  readonlyRoles: string[];
}

export const READONLY_DEFAULTS: ReadonlyConfig = {
  readonlyRolePattern: "(^|_)readonly$|^developer_readonly$",
  readonlyRoles: [],
};

export const READONLY_SCHEMA: Record<string, PolicyConfigJSONSchema> = {
  readonlyRolePattern: { type: "string", minLength: 1, default: READONLY_DEFAULTS.readonlyRolePattern, description: "Regex (case-insensitive) on role names that are read-only." },
  readonlyRoles: { type: "array", items: { type: "string", minLength: 1 }, description: "Further read-only role names." },
};

export function isReadonlyRole(role: unknown, config: ReadonlyConfig): boolean {
  if (typeof role !== "string" || !role) return false;
  return new RegExp(config.readonlyRolePattern, "i").test(role) || config.readonlyRoles.some((r) => r.toLowerCase() === role.toLowerCase());
}

/** The role name of a postgresql Role: `name` or, when absent, the logical name. */
export function roleName(props: Record<string, any>, logicalName: string): string {
  const n = props.name;
  return typeof n === "string" && n ? n : logicalName;
}
