/**
 * Preloaded (node -r) into every policy pack process the offline preview
 * starts. An error thrown or rejected outside a policy's awaited work never
 * reaches the analyzer protocol: the SDK's runner only records it and the
 * pack keeps answering, so its verdicts may be incomplete. Such a pack must
 * fail the preview, never pass it: print the error and exit, which the
 * preview reports as a dead pack (exit status 2).
 */
"use strict";
const die = (kind) => (err) => {
  process.stderr.write(`policy pack crashed (${kind}): ${(err && err.stack) || err}\n`);
  process.exit(70);
};
process.on("uncaughtException", die("uncaught exception"));
process.on("unhandledRejection", die("unhandled rejection"));
