/**
 * Component tests: run a piece of the program (or the whole program) under
 * the same mock engine the offline preview uses, then assert on what was
 * registered. Inputs are in wire form; use `inputsOf` for plain values.
 *
 *   const run = await runMocked(() => new EncryptionKeys("keys", {...}), { preview: false });
 *   const key = run.one("aws:kms/key:Key");
 *   assert.equal(inputsOf(key).enableKeyRotation, true);
 */
import * as path from "path";
import { CapturedResource, isSecret, plainInputs, RunResult, runUnderMocks } from "../../tools/preview/engine";
import { UNKNOWN } from "../../tools/preview/mock-outputs";
import { readProject, readStack } from "../../tools/preview/stack-file";
import { parseStackConfig } from "../../config/load";
import type { StackConfig } from "../../config/schema";

export const ROOT = path.resolve(__dirname, "..", "..");
export { UNKNOWN, isSecret };

export interface MockedRun extends RunResult {
  /** All resources of a type (optionally whose name contains `nameIncludes`). */
  all(type: string, nameIncludes?: string): CapturedResource[];
  /** Exactly one resource of a type (optionally filtered by name); throws otherwise. */
  one(type: string, nameIncludes?: string): CapturedResource;
  byUrn(urn: string): CapturedResource | undefined;
}

/** Engine config of a stack file under stacks/ (secure values become secret placeholders). */
export function stackEngineConfig(stack: string, overrides: Record<string, string> = {}) {
  const file = readStack(readProject(ROOT), stack);
  return { config: { ...file.config, ...overrides }, secretKeys: file.secretKeys, project: file.project.name };
}

/** The validated StackConfig of a stack file (with optional engine-config overrides). */
export function stackConfig(stack: string, overrides: Record<string, string> = {}): StackConfig {
  const { config, secretKeys } = stackEngineConfig(stack, overrides);
  return parseStackConfig({ values: config, secretKeys: new Set(secretKeys) }, stack);
}

export async function runMocked(
  program: string | (() => unknown),
  opts: { preview: boolean; stack?: string; overrides?: Record<string, string> },
): Promise<MockedRun> {
  const stack = opts.stack ?? "prod";
  const { config, secretKeys, project } = stackEngineConfig(stack, opts.overrides);
  const result = await runUnderMocks({ program, project, stack, config, secretKeys, preview: opts.preview });
  const all = (type: string, nameIncludes?: string) =>
    result.resources.filter((r) => r.type === type && (nameIncludes === undefined || r.name.includes(nameIncludes)));
  return {
    ...result,
    all,
    one(type, nameIncludes) {
      const found = all(type, nameIncludes);
      if (found.length !== 1) {
        throw new Error(`expected exactly one ${type}${nameIncludes ? ` named *${nameIncludes}*` : ""}, found ${found.length}: ${found.map((r) => r.name).join(", ")}`);
      }
      return found[0];
    },
    byUrn: (urn) => result.resources.find((r) => r.urn === urn),
  };
}

/** Plain inputs of a captured resource: secrets unwrapped, unknowns left as the UNKNOWN sentinel. */
export function inputsOf(r: CapturedResource): any {
  return plainInputs(r.inputs);
}

/** Parses a JSON-string input (IAM/key/bucket policies); throws if it is unknown. */
export function jsonInput(r: CapturedResource, key: string): any {
  const v = inputsOf(r)[key];
  if (v === UNKNOWN) throw new Error(`${r.name}.${key} is unknown in this run`);
  return typeof v === "string" ? JSON.parse(v) : v;
}
