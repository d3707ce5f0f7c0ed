/**
 * SQL building blocks of the application-user rotation. Passwords never
 * appear in SQL text: roles get a SCRAM-SHA-256 verifier computed here, so
 * statement logs (pgaudit ROLE class, log_statement) cannot leak them.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes } from "crypto";

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** Quotes an identifier; only plain lower-case PostgreSQL identifiers are accepted. */
export function ident(name: string): string {
  if (!IDENT.test(name)) throw new Error(`"${name}" is not an allowed role name ([a-z_][a-z0-9_]*, at most 63 characters)`);
  return `"${name}"`;
}

/** A single-quoted literal (standard_conforming_strings is on in every supported version). */
export function literal(value: string): string {
  if (value.includes("\0")) throw new Error("literal contains a NUL byte");
  return `'${value.replace(/'/g, "''")}'`;
}

export const SCRAM_ITERATIONS = 4096;

/**
 * The verifier PostgreSQL stores for a SCRAM-SHA-256 password
 * (SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>). Generated
 * passwords are ASCII, so SASLprep leaves them unchanged.
 */
export function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = SCRAM_ITERATIONS): string {
  if (!/^[\x21-\x7e]+$/.test(password)) throw new Error("generated passwords must be printable ASCII");
  const salted = pbkdf2Sync(password, salt, iterations, 32, "sha256");
  const clientKey = createHmac("sha256", salted).update("Client Key").digest();
  const storedKey = createHash("sha256").update(clientKey).digest();
  const serverKey = createHmac("sha256", salted).update("Server Key").digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString("base64")}$${storedKey.toString("base64")}:${serverKey.toString("base64")}`;
}

/** 32 random bytes, base64url: 43 characters, no quoting or URL-escaping surprises. */
export function generatePassword(random: (n: number) => Buffer = randomBytes): string {
  return random(32).toString("base64url");
}

/** `<prefix><yyyymmddhhmmss>` in UTC, e.g. duespark_app_20261201093000. */
export function rotationUsername(prefix: string, at: Date): string {
  const stamp = at.toISOString().replace(/[-:T]/g, "").slice(0, 14);
  const name = `${prefix}${stamp}`;
  ident(name);
  return name;
}

/** Matches only users this rotation created (prefix + 14-digit UTC stamp). */
export function rotationUserPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/[^a-z0-9_]/g, "")}\\d{14}$`);
}

export const sql = {
  roleExists: "SELECT 1 FROM pg_roles WHERE rolname = $1",
  createUser: (user: string, verifier: string, connectionLimit: number, group: string) =>
    `CREATE ROLE ${ident(user)} WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT ` +
    `CONNECTION LIMIT ${Math.trunc(connectionLimit)} PASSWORD ${literal(verifier)} IN ROLE ${ident(group)}`,
  resetUser: (user: string, verifier: string, connectionLimit: number) =>
    `ALTER ROLE ${ident(user)} WITH LOGIN CONNECTION LIMIT ${Math.trunc(connectionLimit)} PASSWORD ${literal(verifier)} VALID UNTIL 'infinity'`,
  grantGroup: (group: string, user: string) => `GRANT ${ident(group)} TO ${ident(user)}`,
  whoAmI: "SELECT current_user AS username, pg_has_role(current_user, $1, 'MEMBER') AS member, current_setting('transaction_read_only') AS read_only",
  expireUser: (user: string, until: Date) => `ALTER ROLE ${ident(user)} VALID UNTIL ${literal(until.toISOString())}`,
  /** Rotation users: direct members of the app group. */
  groupMembers:
    "SELECT r.rolname AS username, r.rolvaliduntil AS valid_until FROM pg_roles r " +
    "JOIN pg_auth_members m ON m.member = r.oid JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = $1 ORDER BY r.rolname",
  /** Objects (in any database) owned by the role, from the shared dependency catalog. */
  ownedObjects:
    "SELECT count(*)::int AS owned FROM pg_shdepend d JOIN pg_roles r ON r.oid = d.refobjid " +
    "WHERE d.refclassid = 'pg_authid'::regclass AND d.deptype = 'o' AND r.rolname = $1",
  activeSessions: "SELECT count(*)::int AS sessions FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()",
  terminateSessions: "SELECT count(pg_terminate_backend(pid))::int AS terminated FROM pg_stat_activity WHERE usename = $1 AND pid <> pg_backend_pid()",
  // Membership is needed for DROP OWNED (PostgreSQL 16 gives the creator ADMIN OPTION only).
  takeOver: (user: string) => `GRANT ${ident(user)} TO CURRENT_USER`,
  dropOwned: (user: string) => `DROP OWNED BY ${ident(user)}`,
  dropUser: (user: string) => `DROP ROLE IF EXISTS ${ident(user)}`,
};
