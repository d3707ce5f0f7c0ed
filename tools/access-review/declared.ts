/**
 * What a stack declares about database access: the program is run for the
 * stack under the mock engine (update mode, in a child process like the
 * offline preview) and its `postgresql:*` resources are reduced to roles,
 * memberships and privileges.
 */
import { fork } from "child_process";
import * as path from "path";
import { parseStackConfig } from "../../config/load";
import type { StackConfig } from "../../config/schema";
import { plainInputs, type CapturedResource } from "../preview/engine";
import type { WorkerMessage, WorkerRequest } from "../preview/program-worker";
import { readProject, readStack } from "../preview/stack-file";
import { PG_TYPES } from "../proofs/pg-sql";

export const ROOT = path.resolve(__dirname, "..", "..");
/** Runbook: 2-3 database admins. */
export const ADMIN_GROUP_LIMIT = 3;

export interface DeclaredRole {
  name: string;
  login: boolean;
  superuser: boolean;
  connectionLimit: number;
  memberOf: string[];
}

export interface DeclaredGrant {
  role: string;
  objectType: string;
  schema?: string;
  privileges: string[];
}

export interface DeclaredAccess {
  stack: string;
  config: StackConfig;
  roles: DeclaredRole[];
  grants: DeclaredGrant[];
  defaultPrivileges: Array<DeclaredGrant & { owner: string }>;
  /** Declared roles whose privileges are read-only (SELECT / USAGE / CONNECT only). */
  readonlyRoles: string[];
  adminGroup: string;
  admins: string[];
  adminLimit: number;
  /** Application users created by the rotation Lambda: <appRole>_<yyyymmddhhmmss>. */
  rotationUserPattern: RegExp;
  rotationDays: number;
}

const READ_PRIVILEGES: Record<string, string[]> = {
  table: ["SELECT"],
  sequence: ["SELECT"],
  schema: ["USAGE"],
  database: ["CONNECT"],
};

export function declaredFromResources(stack: string, config: StackConfig, resources: Pick<CapturedResource, "type" | "inputs">[]): DeclaredAccess {
  const roles: DeclaredRole[] = [];
  const grants: DeclaredGrant[] = [];
  const defaults: Array<DeclaredGrant & { owner: string }> = [];
  const extraMembership: Array<[string, string]> = [];
  for (const r of resources) {
    const v = plainInputs(r.inputs) as Record<string, any>;
    if (r.type === PG_TYPES.role) {
      roles.push({
        name: v.name,
        login: v.login === true,
        superuser: v.superuser === true,
        connectionLimit: Number.isInteger(v.connectionLimit) ? v.connectionLimit : -1,
        memberOf: [...(v.roles ?? [])],
      });
    } else if (r.type === PG_TYPES.grantRole) {
      extraMembership.push([v.role, v.grantRole]);
    } else if (r.type === PG_TYPES.grant) {
      grants.push({ role: v.role, objectType: v.objectType, schema: v.schema, privileges: (v.privileges ?? []).map((p: string) => p.toUpperCase()) });
    } else if (r.type === PG_TYPES.defaultPrivileges) {
      defaults.push({ role: v.role, owner: v.owner, objectType: v.objectType, schema: v.schema, privileges: (v.privileges ?? []).map((p: string) => p.toUpperCase()) });
    }
  }
  for (const [member, group] of extraMembership) roles.find((r) => r.name === member)?.memberOf.push(group);
  const readonlyRoles = roles
    .filter((role) => {
      const own = [...grants, ...defaults].filter((g) => g.role === role.name);
      return own.some((g) => g.objectType === "table") && role.memberOf.every((m) => m === "rds_iam") &&
        own.every((g) => g.privileges.every((p) => (READ_PRIVILEGES[g.objectType] ?? []).includes(p)));
    })
    .map((r) => r.name);
  const db = config.database;
  return {
    stack,
    config,
    roles,
    grants,
    defaultPrivileges: defaults,
    readonlyRoles,
    adminGroup: db.adminGroup,
    admins: [...db.admins],
    adminLimit: ADMIN_GROUP_LIMIT,
    rotationUserPattern: new RegExp(`^${db.appRole}_\\d{14}$`),
    rotationDays: config.secrets.rotationDays.database,
  };
}

/** Runs the program for `stack` under mocks (update mode) and returns its declared database access. */
export async function declaredAccess(stack: string, root = ROOT): Promise<DeclaredAccess> {
  const project = readProject(root);
  const file = readStack(project, stack);
  const config = parseStackConfig({ values: file.config, secretKeys: new Set(file.secretKeys) }, stack);
  const resources = await captureProgram({
    programDir: root,
    ...(project.main ? { main: project.main } : {}),
    project: project.name,
    stack,
    config: file.config,
    secretKeys: file.secretKeys,
    preview: false,
  } as WorkerRequest);
  return declaredFromResources(stack, config, resources.filter((r) => r.type.startsWith("postgresql:")));
}

function captureProgram(req: WorkerRequest): Promise<CapturedResource[]> {
  return new Promise((resolve, reject) => {
    const worker = fork(path.join(__dirname, "..", "preview", "program-worker.ts"), [], {
      cwd: req.programDir,
      execArgv: ["--import", "tsx"],
      stdio: ["ignore", "pipe", "pipe", "ipc"],
      env: { ...process.env, PULUMI_NODEJS_PROJECT: req.project, PULUMI_NODEJS_STACK: req.stack },
    });
    const resources: CapturedResource[] = [];
    let output = "";
    let settled = false;
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-4000));
    worker.stdout!.on("data", keep);
    worker.stderr!.on("data", keep);
    worker.on("message", (msg: WorkerMessage) => {
      if (msg.kind === "resource") resources.push(msg.resource);
      else if (msg.kind === "done") {
        settled = true;
        resolve(resources);
      } else if (msg.kind === "error") {
        settled = true;
        reject(new Error(`the program failed for stack "${req.stack}": ${msg.message}`));
      }
    });
    worker.on("exit", (code) => {
      if (!settled) reject(new Error(`the program process exited (code ${code}) before finishing: ${output.trim().split("\n").slice(-5).join(" | ")}`));
    });
    worker.send(req);
  });
}
