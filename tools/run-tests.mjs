#!/usr/bin/env node
// Runs every test file under test/ with Node's built-in test runner and tsx.
// Node 20's --test does not expand globs, so the files are listed here.
// Usage: node tools/run-tests.mjs [path-filter ...]
import { readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { spawnSync } from "node:child_process";

const root = new URL("..", import.meta.url).pathname;
const filters = process.argv.slice(2);

function walk(dir, out) {
  for (const entry of readdirSync(dir)) {
    if (entry === "node_modules" || entry === "fixtures") continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) walk(full, out);
    else if (entry.endsWith(".test.ts")) out.push(relative(root, full));
  }
  return out;
}

const files = walk(join(root, "test"), [])
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();
if (files.length === 0) {
  console.error(`no test files matched ${filters.join(", ") || "test/**/*.test.ts"}`);
  process.exit(2);
}
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { cwd: root, stdio: "inherit" },
);
process.exit(result.status ?? 1);
