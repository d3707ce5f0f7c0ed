/**
 * Reads a project's Pulumi.yaml and a stack's Pulumi.<stack>.yaml into the
 * engine config a program receives: every value a string, structured values
 * as JSON text, keys namespaced, project defaults applied.
 *
 * `secure:` values are ciphertext that only the stack's secrets provider can
 * decrypt. Offline they become placeholder strings, still listed as secret
 * keys, so the program gets secret Outputs and runs; the placeholders are
 * never real credentials and are redacted from every report.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface ProjectFile {
  name: string;
  dir: string;
  main?: string;
  stackConfigDir: string;
  configDefaults: Record<string, unknown>;
}

export interface StackFile {
  project: ProjectFile;
  stack: string;
  file: string;
  config: Record<string, string>;
  secretKeys: string[];
  /** Placeholder strings standing in for secure values (for redaction). */
  placeholders: string[];
}

function readYaml(file: string): unknown {
  let text: string;
  try {
    if (fs.statSync(file).isDirectory()) throw new UsageError(`${file} is a directory, not a YAML file`);
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const err = e as NodeJS.ErrnoException;
    throw new UsageError(`${file} cannot be read: ${err.code === "EACCES" ? "permission denied" : (err.code ?? err.message)}`);
  }
  try {
    return parseYaml(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
  }
}

export function readProject(dir: string): ProjectFile {
  const candidates = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(dir, f));
  const file = candidates.find((f) => fs.existsSync(f));
  if (!file) throw new UsageError(`no Pulumi.yaml in ${dir}: --program must name a Pulumi project directory`);
  const doc = readYaml(file) as Record<string, unknown> | null;
  if (!doc || typeof doc.name !== "string") throw new UsageError(`${file}: "name" is missing`);
  const configDefaults: Record<string, unknown> = {};
  const declared = (doc.config ?? {}) as Record<string, unknown>;
  for (const [key, decl] of Object.entries(declared)) {
    const full = key.includes(":") ? key : `${doc.name}:${key}`;
    if (decl && typeof decl === "object" && "default" in (decl as object)) configDefaults[full] = (decl as { default: unknown }).default;
    else if (decl !== null && typeof decl !== "object") configDefaults[full] = decl;
  }
  return {
    name: doc.name,
    dir,
    main: typeof doc.main === "string" ? doc.main : undefined,
    stackConfigDir: typeof doc.stackConfigDir === "string" ? doc.stackConfigDir : ".",
    configDefaults,
  };
}

export function listStacks(project: ProjectFile): string[] {
  const dir = path.join(project.dir, project.stackConfigDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}

function placeholderFor(key: string): string {
  return `offline-secret-${createHash("sha256").update(key).digest("hex").slice(0, 12)}`;
}

function isSecure(v: unknown): v is { secure: string } {
  return !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && typeof (v as { secure?: unknown }).secure === "string";
}

/** Replaces nested `secure:` entries with placeholders; reports whether any was found. */
function replaceSecure(v: unknown, key: string, found: string[]): unknown {
  if (isSecure(v)) {
    const p = placeholderFor(`${key}#${found.length}`);
    found.push(p);
    return p;
  }
  if (Array.isArray(v)) return v.map((x) => replaceSecure(x, key, found));
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = replaceSecure(x, key, found);
    return out;
  }
  return v;
}

export function readStack(project: ProjectFile, stack: string): StackFile {
  if (!/^[\w.-]+$/.test(stack)) throw new UsageError(`--stack "${stack}" is not a stack name (letters, digits, -, _, .)`);
  const dir = path.join(project.dir, project.stackConfigDir);
  const file = [".yaml", ".yml"].map((e) => path.join(dir, `Pulumi.${stack}${e}`)).find((f) => fs.existsSync(f));
  if (!file) {
    const known = listStacks(project);
    throw new UsageError(`unknown stack "${stack}": no ${path.join(dir, `Pulumi.${stack}.yaml`)}; stacks here: ${known.join(", ") || "none"}`);
  }
  const doc = (readYaml(file) ?? {}) as Record<string, unknown>;
  if (typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`${file}: must be a YAML map with a "config" key`);
  const raw = (doc.config ?? {}) as Record<string, unknown>;
  if (typeof raw !== "object" || Array.isArray(raw)) throw new UsageError(`${file}: "config" must be a map of keys to values`);
  const merged: Record<string, unknown> = { ...project.configDefaults };
  for (const [key, value] of Object.entries(raw)) merged[key.includes(":") ? key : `${project.name}:${key}`] = value;

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const placeholders: string[] = [];
  for (const [key, value] of Object.entries(merged)) {
    const found: string[] = [];
    const replaced = replaceSecure(value, key, found);
    if (found.length) {
      secretKeys.push(key);
      placeholders.push(...found);
    }
    config[key] = typeof replaced === "string" ? replaced : replaced === null || replaced === undefined ? "" : typeof replaced === "object" ? JSON.stringify(replaced) : String(replaced);
  }
  return { project, stack, file, config, secretKeys, placeholders };
}
