/**
 * Compares a live PostgreSQL's roles and privileges with what the stack
 * declares. Reads only catalogs every role may read (pg_roles,
 * pg_auth_members, pg_class/pg_namespace/pg_database ACLs, pg_default_acl)
 * and the has_*_privilege functions, so it works as the RDS master user,
 * which is not a superuser.
 *
 * What cannot be known: PostgreSQL keeps no password-change time, and on
 * RDS pg_authid (password hashes) is not readable. Password age is known
 * only for the rotation's users, whose names carry their creation time
 * (<appRole>_<yyyymmddhhmmss>); VALID UNTIL in the past is reported too.
 */
import type { DeclaredAccess } from "./declared";

export type FindingKind =
  | "undeclared-role"
  | "missing-role"
  | "extra-superuser"
  | "readonly-write-privilege"
  | "admin-group-over-limit"
  | "undeclared-admin"
  | "no-connection-limit"
  | "password-too-old";

export interface Finding {
  kind: FindingKind;
  role: string;
  detail: string;
}

export interface LiveRole {
  oid: number;
  name: string;
  superuser: boolean;
  login: boolean;
  connectionLimit: number;
  validUntil: Date | null;
}

export interface LiveState {
  serverVersion: number;
  database: string;
  currentUser: string;
  roles: LiveRole[];
  /** Effective memberships (member, group); PostgreSQL 16+ ADMIN-only grants excluded. */
  memberships: Array<{ member: string; group: string }>;
  /** Read-only role -> write privileges it holds (object: privilege). */
  writePrivileges: Record<string, string[]>;
  /** Roles with rds_superuser's privileges (empty off RDS). */
  rdsSuperusers: string[];
  passwordHashesReadable: boolean;
}

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: any[] }>;
}

const SYSTEM_SCHEMAS = "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'";

export async function inspectDatabase(db: Queryable, readonlyRoles: string[]): Promise<LiveState> {
  const meta = (await db.query("SELECT current_setting('server_version_num')::int AS v, current_database() AS db, current_user AS u")).rows[0];
  const roles: LiveRole[] = (await db.query(
    "SELECT oid::int AS oid, rolname, rolsuper, rolcanlogin, rolconnlimit, rolvaliduntil FROM pg_roles ORDER BY rolname",
  )).rows.map((r) => ({ oid: r.oid, name: r.rolname, superuser: r.rolsuper, login: r.rolcanlogin, connectionLimit: r.rolconnlimit, validUntil: r.rolvaliduntil }));
  const effective = meta.v >= 160000 ? "AND (am.inherit_option OR am.set_option)" : "";
  const memberships = (await db.query(
    `SELECT m.rolname AS member, g.rolname AS grp FROM pg_auth_members am JOIN pg_roles m ON m.oid = am.member JOIN pg_roles g ON g.oid = am.roleid WHERE true ${effective} ORDER BY 1, 2`,
  )).rows.map((r) => ({ member: r.member as string, group: r.grp as string }));

  const writePrivileges: Record<string, string[]> = {};
  for (const role of readonlyRoles) {
    if (!roles.some((r) => r.name === role)) continue;
    const rows = (await db.query(
      `SELECT format('%I.%I', n.nspname, c.relname) AS object, p AS privilege
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace,
              unnest(ARRAY['INSERT','UPDATE','DELETE','TRUNCATE','REFERENCES','TRIGGER']) p
        WHERE c.relkind IN ('r','p','v','m','f') AND ${SYSTEM_SCHEMAS} AND has_table_privilege($1, c.oid, p)
       UNION ALL
       SELECT format('%I.%I', n.nspname, c.relname), p
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, unnest(ARRAY['USAGE','UPDATE']) p
        WHERE c.relkind = 'S' AND ${SYSTEM_SCHEMAS} AND has_sequence_privilege($1, c.oid, p)
       UNION ALL
       SELECT format('schema %I', n.nspname), 'CREATE' FROM pg_namespace n WHERE ${SYSTEM_SCHEMAS} AND has_schema_privilege($1, n.oid, 'CREATE')
       UNION ALL
       SELECT format('database %I', d.datname), p FROM pg_database d, unnest(ARRAY['CREATE','TEMPORARY']) p
        WHERE d.datname = current_database() AND has_database_privilege($1, d.oid, p)
       UNION ALL
       SELECT format('default privileges of %s%s on %s', pg_get_userbyid(da.defaclrole),
                     CASE WHEN da.defaclnamespace = 0 THEN '' ELSE ' in ' || da.defaclnamespace::regnamespace::text END,
                     CASE da.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' ELSE 'schemas' END),
              a.privilege_type
         FROM pg_default_acl da, aclexplode(da.defaclacl) a
        WHERE a.grantee = (SELECT oid FROM pg_roles WHERE rolname = $1) AND a.privilege_type NOT IN ('SELECT', 'USAGE', 'EXECUTE')
       ORDER BY 1, 2`,
      [role],
    )).rows;
    if (rows.length) writePrivileges[role] = rows.map((r) => `${r.object}: ${r.privilege}`);
  }

  let rdsSuperusers: string[] = [];
  if (roles.some((r) => r.name === "rds_superuser")) {
    rdsSuperusers = (await db.query(
      // Superusers pass every pg_has_role check; they are reported by their attribute instead.
      "SELECT rolname FROM pg_roles WHERE rolname <> 'rds_superuser' AND NOT rolsuper AND pg_has_role(oid, 'rds_superuser', 'USAGE') ORDER BY 1",
    )).rows.map((r) => r.rolname);
  }

  let passwordHashesReadable = true;
  try {
    await db.query("SELECT 1 FROM pg_authid LIMIT 1");
  } catch {
    passwordHashesReadable = false;
  }
  return { serverVersion: meta.v, database: meta.db, currentUser: meta.u, roles, memberships, writePrivileges, rdsSuperusers, passwordHashesReadable };
}

/** Roles the database engine or RDS provides, and the bootstrap superuser (oid 10: rdsadmin on RDS). */
export function isSystemRole(r: Pick<LiveRole, "oid" | "name">, masterUsername: string): boolean {
  return r.oid === 10 || r.name.startsWith("pg_") || r.name.startsWith("rds") || r.name === masterUsername;
}

/** Creation time of a rotation user from its name (<prefix><yyyymmddhhmmss>, UTC). */
export function rotationUserCreatedAt(name: string): Date | undefined {
  const m = name.match(/_(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/);
  if (!m) return undefined;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]));
  return Number.isNaN(d.getTime()) ? undefined : d;
}

export function reviewAccess(declared: DeclaredAccess, live: LiveState, now: Date = new Date()): Finding[] {
  const findings: Finding[] = [];
  const master = declared.config.database.masterUsername;
  const declaredNames = new Set(declared.roles.map((r) => r.name));
  const liveByName = new Map(live.roles.map((r) => [r.name, r]));
  const isRotationUser = (name: string) => declared.rotationUserPattern.test(name);

  for (const r of live.roles) {
    if (isSystemRole(r, master) || declaredNames.has(r.name) || isRotationUser(r.name)) continue;
    findings.push({ kind: "undeclared-role", role: r.name, detail: `${r.login ? "login" : "group"} role not declared by stack ${declared.stack}` });
  }
  for (const d of declared.roles) {
    if (!liveByName.has(d.name)) findings.push({ kind: "missing-role", role: d.name, detail: "declared by the stack but absent from the database" });
  }

  // Expected holders of rds_superuser privileges: the master user and declared members (transitively).
  const expectedRds = new Set<string>([master]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of declared.roles) {
      if (!expectedRds.has(d.name) && d.memberOf.some((g) => g === "rds_superuser" || expectedRds.has(g) && g !== master)) {
        expectedRds.add(d.name);
        grew = true;
      }
    }
  }
  for (const r of live.roles) {
    if (r.superuser && r.oid !== 10) findings.push({ kind: "extra-superuser", role: r.name, detail: "has the SUPERUSER attribute" });
  }
  for (const name of live.rdsSuperusers) {
    if (!expectedRds.has(name) && !name.startsWith("rds")) {
      findings.push({ kind: "extra-superuser", role: name, detail: "has rds_superuser privileges through an undeclared membership" });
    }
  }

  for (const [role, privileges] of Object.entries(live.writePrivileges)) {
    for (const p of privileges) findings.push({ kind: "readonly-write-privilege", role, detail: p });
  }

  const adminMembers = live.memberships.filter((m) => m.group === declared.adminGroup).map((m) => m.member);
  if (adminMembers.length > declared.adminLimit) {
    findings.push({ kind: "admin-group-over-limit", role: declared.adminGroup, detail: `${adminMembers.length} members (${adminMembers.join(", ")}); the runbook allows at most ${declared.adminLimit}` });
  }
  for (const m of adminMembers) {
    if (!declared.admins.includes(m)) findings.push({ kind: "undeclared-admin", role: m, detail: `member of ${declared.adminGroup} but not a configured admin (${declared.admins.join(", ")})` });
  }

  for (const r of live.roles) {
    if (r.login && r.connectionLimit < 0 && !isSystemRole(r, master)) {
      findings.push({ kind: "no-connection-limit", role: r.name, detail: "login role without a connection limit" });
    }
  }

  const maxAgeMs = declared.rotationDays * 86_400_000;
  for (const r of live.roles) {
    if (!isRotationUser(r.name)) continue;
    const created = rotationUserCreatedAt(r.name);
    if (created && now.getTime() - created.getTime() > maxAgeMs) {
      const days = Math.floor((now.getTime() - created.getTime()) / 86_400_000);
      findings.push({ kind: "password-too-old", role: r.name, detail: `credential created ${created.toISOString().slice(0, 10)} (${days} days ago; rotation period ${declared.rotationDays} days)` });
    }
  }
  for (const r of live.roles) {
    if (r.login && r.validUntil && Number.isFinite(new Date(r.validUntil).getTime()) && new Date(r.validUntil).getTime() < now.getTime() && !isSystemRole(r, master)) {
      findings.push({ kind: "password-too-old", role: r.name, detail: `password expired ${new Date(r.validUntil).toISOString()} (VALID UNTIL) but the role still exists` });
    }
  }
  return findings.sort((a, b) => a.kind.localeCompare(b.kind) || a.role.localeCompare(b.role) || a.detail.localeCompare(b.detail));
}

/** Limits of this review, printed with every report. */
export function reviewNotes(live: LiveState): string[] {
  return [
    "PostgreSQL records no password-change time: password age is derived from rotation user names (<appRole>_<yyyymmddhhmmss>) and VALID UNTIL only.",
    live.passwordHashesReadable
      ? "pg_authid is readable here (superuser session); password hashes are not inspected."
      : "pg_authid is not readable (RDS master user): whether a login role has a password cannot be seen; IAM-authenticated roles (rds_iam) have none.",
    "System roles (pg_*, rds*, the bootstrap superuser) and the master user are not reviewed.",
  ];
}
