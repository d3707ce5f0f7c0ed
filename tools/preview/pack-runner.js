/**
 * Starts a bundled (JavaScript) policy pack for the "bundle" loader:
 *   node pack-runner.js <engine-address> <program>
 * Same arguments and the same effect as @pulumi/pulumi's run-policy-pack
 * (the pack module is loaded and its PolicyPack serves the analyzer and
 * prints its port), without what that runner sets up for Pulumi programs
 * written in TypeScript: registering ts-node loads the TypeScript compiler
 * into the pack process, and the closure-serialisation inspector hooks;
 * together they were most of the pack's start-up time. The "ts-node"
 * loader keeps the SDK's runner, exactly as the CLI starts a pack.
 *
 * Plain JavaScript on purpose: it runs in the pack's process, without tsx.
 */
"use strict";
const path = require("path");

const [engineAddress, program] = process.argv.slice(2);
if (!engineAddress || !program) {
  console.error("usage: pack-runner <engine-address> <program>");
  process.exit(255);
}
// The pack sees the argv a program run by the SDK would see.
process.argv = [process.argv[0], process.argv[1]];
// Stack traces point at the pack's TypeScript sources (the bundle carries inline source maps).
process.setSourceMapsEnabled(true);

let uncaught = false;
const onUncaught = (err) => {
  uncaught = true;
  console.error(`Running program '${program}' failed with an unhandled exception:\n${(err && err.stack) || err}`);
};
process.on("uncaughtException", onUncaught);
process.on("unhandledRejection", onUncaught);
process.on("exit", (code) => {
  if (code === 0 && uncaught) process.exitCode = 1;
});

require(path.resolve(program));
