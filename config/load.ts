import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { PROJECT, PROVIDER_NAMESPACES, projectConfigSchema, providerConfigSchema, StackConfig } from "./schema";

/**
 * A user's configuration mistake. It carries a readable message and no
 * stack trace is printed for it; the offline preview exits with status 2.
 * It is a RunError so that the Pulumi CLI also prints only the message.
 */
export class ConfigError extends pulumi.RunError {
  readonly isConfigError = true;
  constructor(message: string) {
    super(message);
    this.name = "ConfigError";
  }
}

/** Raw config as the engine hands it to the program: every value is a string. */
export interface RawConfig {
  values: Record<string, string>;
  secretKeys: ReadonlySet<string>;
}

// Not re-exported by the SDK's public index, but stable: it reads PULUMI_CONFIG_SECRET_KEYS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(k: string): boolean };

export function readRawConfig(): RawConfig {
  const values = pulumi.runtime.allConfig();
  const secretKeys = new Set(Object.keys(values).filter((k) => isConfigSecret(k)));
  return { values, secretKeys };
}

const describe = (value: unknown, secret: boolean): string => {
  if (secret) return "[secret]";
  if (value === undefined) return "nothing (the key is missing)";
  // The engine hands a null or empty stack-file value to the program as "".
  if (value === "") return "an empty value (null or \"\")";
  const json = JSON.stringify(value);
  const shown = json.length > 80 ? `${json.slice(0, 77)}...` : json;
  return `${shown} (${Array.isArray(value) ? "array" : value === null ? "null" : typeof value})`;
};

function expectation(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type":
      return issue.message.startsWith("Invalid input") ? `expected ${issue.expected}` : issue.message;
    case "invalid_value":
      return issue.message.startsWith("Invalid") ? `allowed: ${issue.values.map((v) => JSON.stringify(v)).join(", ")}` : issue.message;
    case "too_small":
      return issue.message.startsWith("Too small") ? `must be >= ${String(issue.minimum)}${issue.origin === "array" ? " items" : ""}` : issue.message;
    case "too_big":
      return issue.message.startsWith("Too big") ? `must be <= ${String(issue.maximum)}${issue.origin === "array" ? " items" : ""}` : issue.message;
    default:
      return issue.message;
  }
}

/** Turns raw engine config into the validated StackConfig, or throws one ConfigError naming every bad key. */
export function parseStackConfig(raw: RawConfig, stack: string): StackConfig {
  const problems: string[] = [];
  const project: Record<string, unknown> = {};
  const rawValues: Record<string, unknown> = {};
  const nsKnown = new Set<string>([PROJECT, ...PROVIDER_NAMESPACES]);
  const allowedProjectKeys = Object.keys(projectConfigSchema.shape);

  for (const [fullKey, text] of Object.entries(raw.values)) {
    const [ns, ...rest] = fullKey.split(":");
    const key = rest.join(":");
    if (!nsKnown.has(ns)) {
      problems.push(`${fullKey}: unknown configuration namespace "${ns}"; allowed: ${[...nsKnown].join(", ")}`);
      continue;
    }
    if (ns !== PROJECT) continue;
    if (!allowedProjectKeys.includes(key)) {
      problems.push(`${fullKey}: unknown key; allowed keys: ${allowedProjectKeys.map((k) => `${PROJECT}:${k}`).join(", ")}`);
      continue;
    }
    // The engine passes structured values as JSON text and scalars as plain text.
    let value: unknown = text;
    if (/^\s*[[{]/.test(text)) {
      try {
        value = JSON.parse(text);
      } catch {
        problems.push(`${fullKey}: value is not valid structured config`);
        continue;
      }
    }
    project[key] = value;
    rawValues[key] = value;
  }

  const parsed = projectConfigSchema.safeParse(project, { reportInput: true });
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const [top, ...path] = issue.path.map(String);
      const fullKey = `${PROJECT}:${top ?? ""}`;
      const dotted = path.length ? `${fullKey}.${path.join(".")}` : fullKey;
      if (issue.code === "unrecognized_keys") {
        problems.push(`${dotted}: unknown key(s) ${issue.keys.join(", ")}`);
        continue;
      }
      let input: unknown = issue.input;
      if (input === undefined && top !== undefined) {
        input = path.reduce<unknown>((v, p) => (v && typeof v === "object" ? (v as Record<string, unknown>)[p] : undefined), rawValues[top]);
      }
      problems.push(`${dotted}: got ${describe(input, raw.secretKeys.has(fullKey))}; ${expectation(issue)}`);
    }
  }

  const providerParsed = providerConfigSchema.safeParse(raw.values, { reportInput: true });
  if (!providerParsed.success) {
    for (const issue of providerParsed.error.issues) {
      const key = String(issue.path[0]);
      problems.push(`${key}: got ${describe(raw.values[key], raw.secretKeys.has(key))}; ${expectation(issue)}`);
    }
  }

  if (parsed.success && providerParsed.success && parsed.data.drRegion === providerParsed.data["aws:region"]) {
    const region = raw.secretKeys.has("aws:region") ? "[secret]" : providerParsed.data["aws:region"];
    problems.push(`${PROJECT}:drRegion: got ${describe(parsed.data.drRegion, raw.secretKeys.has(`${PROJECT}:drRegion`))}; must differ from aws:region (${region}): backups and replicas must survive the loss of the primary region`);
  }

  if (problems.length > 0 || !parsed.success || !providerParsed.success) {
    throw new ConfigError(`invalid configuration for stack "${stack}":\n  - ${problems.join("\n  - ")}`);
  }
  return {
    ...parsed.data,
    stack,
    region: providerParsed.data["aws:region"],
    protectStateful: parsed.data.environment === "prod",
  };
}

/** Reads and validates the whole stack config. Call before declaring any resource. */
export function loadStackConfig(): StackConfig {
  return parseStackConfig(readRawConfig(), pulumi.getStack());
}
