/**
 * Monthly database access review.
 *
 *   npm run access-review -- --stack prod --database-url postgres://user:pw@host:5432/duespark?sslmode=verify-full
 *
 * Exit status: 0 no findings, 1 findings, 2 usage or connection error.
 */
import { Client } from "pg";
import { parseArgs } from "util";
import type { DeclaredAccess } from "./declared";
import { credentialsIn, redact } from "./redact";
import { Finding, inspectDatabase, LiveState, reviewAccess, reviewNotes } from "./review";

const USAGE = `Usage: npm run access-review -- --stack <name> --database-url <postgres://user:password@host:port/database> [--json | --markdown]

Reads roles, memberships, attributes, table privileges and default ACLs from
a live PostgreSQL and compares them with the roles the stack declares (the
program run offline under mocks). Reports undeclared roles, extra superusers,
write privileges of read-only roles, an admin group over the limit, login
roles without a connection limit and credentials older than the rotation
period (where that can be told).

Options:
  --stack <name>          stack whose declarations are the reference      [required]
  --database-url <url>    connection URL (?sslmode=require|verify-full)   [required]
  --json                  JSON report on stdout
  --markdown              Markdown report on stdout
  -h, --help              this help

Exit status: 0 no findings, 1 findings, 2 usage or connection error.`;

export class ReviewError extends Error {}

export interface ReviewReport {
  stack: string;
  database: string;
  server: string;
  user: string;
  reviewedAt: string;
  findings: Finding[];
  notes: string[];
}

/** A URL as it may be shown: no password, ever. */
export function describeUrl(u: URL): string {
  const user = u.username ? `${decodeURIComponent(u.username)}@` : "";
  return `${u.protocol}//${user}${u.hostname}${u.port ? `:${u.port}` : ""}${u.pathname}`;
}

function decodable(s: string): boolean {
  try {
    decodeURIComponent(s);
    return true;
  } catch {
    return false;
  }
}

export function parseDatabaseUrl(raw: string): URL {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ReviewError("--database-url is not a valid URL; expected postgres://user:password@host:port/database");
  }
  if (u.protocol !== "postgres:" && u.protocol !== "postgresql:") {
    throw new ReviewError(`--database-url must start with postgres:// or postgresql://, not ${u.protocol}//`);
  }
  if (!u.hostname) throw new ReviewError("--database-url has no host");
  if (!u.pathname || u.pathname === "/") throw new ReviewError("--database-url names no database (…/duespark)");
  // The driver percent-decodes these; a stray '%' would fail there with a bare "URI malformed".
  if (!decodable(u.username) || !decodable(u.password)) {
    throw new ReviewError("--database-url: the percent-encoding in the user or password is invalid; write a literal % as %25 (and @ : / ? # as %40 %3A %2F %3F %23)");
  }
  if (!decodable(u.hostname)) throw new ReviewError("--database-url: the percent-encoding in the host is invalid");
  if (!decodable(u.pathname)) throw new ReviewError("--database-url: the percent-encoding in the database name is invalid; write a literal % as %25");
  return u;
}

export async function connect(u: URL): Promise<Client> {
  const client = new Client({ connectionString: u.toString(), connectionTimeoutMillis: 10_000, application_name: "duespark-access-review" });
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (e) {
    await client.end().catch(() => undefined);
    const err = e as Error & { code?: string };
    const reason = (err.message || err.code || String(e)).split(u.password ? decodeURIComponent(u.password) : "\u0000").join("***");
    throw new ReviewError(`cannot connect to ${describeUrl(u)}: ${reason}`);
  }
  return client;
}

export async function runReview(declared: DeclaredAccess, db: Client, now = new Date()): Promise<{ report: ReviewReport; live: LiveState }> {
  const live = await inspectDatabase(db, declared.readonlyRoles);
  const server = (await db.query("SHOW server_version")).rows[0].server_version as string;
  const findings = reviewAccess(declared, live, now);
  return {
    live,
    report: { stack: declared.stack, database: live.database, server, user: live.currentUser, reviewedAt: now.toISOString(), findings, notes: reviewNotes(live) },
  };
}

export function renderText(r: ReviewReport): string {
  const lines = [`Access review of database "${r.database}" (PostgreSQL ${r.server}, as ${r.user}) against stack "${r.stack}" — ${r.reviewedAt}`, ""];
  if (r.findings.length === 0) {
    lines.push("No findings: the database matches the declared roles and privileges.");
  } else {
    const rows = [["KIND", "ROLE", "DETAIL"], ...r.findings.map((f) => [f.kind, f.role, f.detail])];
    const w = [0, 1].map((i) => Math.max(...rows.map((row) => row[i].length)));
    for (const [i, row] of rows.entries()) {
      lines.push(`${row[0].padEnd(w[0])}  ${row[1].padEnd(w[1])}  ${row[2]}`);
      if (i === 0) lines.push(`${"-".repeat(w[0])}  ${"-".repeat(w[1])}  ${"-".repeat(6)}`);
    }
    lines.push("", `${r.findings.length} finding(s).`);
  }
  lines.push("", "Notes:", ...r.notes.map((n) => `  - ${n}`));
  return lines.join("\n");
}

export function renderMarkdown(r: ReviewReport): string {
  const esc = (s: string) => s.replace(/\|/g, "\\|");
  const lines = [`## Database access review: \`${r.database}\` vs stack \`${r.stack}\``, "", `PostgreSQL ${r.server}, reviewed as \`${r.user}\` at ${r.reviewedAt}.`, ""];
  if (r.findings.length === 0) lines.push("**No findings.**");
  else {
    lines.push(`**${r.findings.length} finding(s)**`, "", "| Kind | Role | Detail |", "| --- | --- | --- |");
    for (const f of r.findings) lines.push(`| ${f.kind} | \`${esc(f.role)}\` | ${esc(f.detail)} |`);
  }
  lines.push("", "### Notes", "", ...r.notes.map((n) => `- ${n}`));
  return lines.join("\n");
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Declarations to use instead of running the program (tests). */
  declared?: (stack: string) => Promise<DeclaredAccess>;
  now?: Date;
}

export async function main(argv: string[], cliIo: CliIo): Promise<number> {
  // Every message goes through the redaction: a password typed anywhere on the command line is never printed back.
  const secrets = credentialsIn(argv);
  const io: CliIo = { ...cliIo, err: (text) => cliIo.err(redact(text, secrets)) };
  let values: { stack?: string; "database-url"?: string; json?: boolean; markdown?: boolean; help?: boolean };
  try {
    const parsed = parseArgs({
      args: argv,
      options: { stack: { type: "string" }, "database-url": { type: "string" }, json: { type: "boolean" }, markdown: { type: "boolean" }, help: { type: "boolean", short: "h" } },
      strict: true,
      allowPositionals: false,
      tokens: true,
    });
    const seen = new Set<string>();
    for (const t of parsed.tokens ?? []) {
      if (t.kind !== "option") continue;
      if (seen.has(t.name)) throw new ReviewError(`--${t.name} is given more than once; give it once`);
      seen.add(t.name);
    }
    values = parsed.values;
  } catch (e) {
    io.err(`error: ${(e as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.out(`${USAGE}\n`);
    return 0;
  }
  let db: Client | undefined;
  try {
    if (!values.stack) throw new ReviewError("--stack is required");
    if (!values["database-url"]) throw new ReviewError("--database-url is required");
    if (values.json && values.markdown) throw new ReviewError("choose one of --json and --markdown");
    const url = parseDatabaseUrl(values["database-url"]);
    // Connect first: a wrong URL fails in seconds, before the program run.
    db = await connect(url);
    // Loaded only when needed: the program run pulls in the Pulumi SDK (seconds of startup).
    const declared = await (io.declared ?? (await import("./declared")).declaredAccess)(values.stack);
    const { report } = await runReview(declared, db, io.now);
    io.out(`${values.json ? JSON.stringify(report, null, 2) : values.markdown ? renderMarkdown(report) : renderText(report)}\n`);
    return report.findings.length > 0 ? 1 : 0;
  } catch (e) {
    const known = e instanceof ReviewError || (e as { name?: string }).name === "UsageError" || (e as { isConfigError?: boolean }).isConfigError;
    const message = (e as Error).message ?? String(e);
    io.err(`error: ${known ? message : `access review failed: ${message.split("\n")[0]}`}\n`);
    return 2;
  } finally {
    await db?.end().catch(() => undefined);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }).then((code) => {
    process.exitCode = code;
  });
}
