/**
 * AWSGuard, every policy advisory, served over the analyzer protocol for
 * the benchmark. Three policies call AWS APIs while they run (ACM
 * certificate expiry, IAM access key age, IAM MFA devices); no network is
 * reachable here, so they are disabled and excluded from the comparison.
 *
 * JavaScript, not TypeScript: the project's type-check must not depend on
 * this folder's node_modules, which only the benchmark installs.
 *
 * With BENCH_PACK_TYPES_FILE set, the resource types each policy applies to
 * are written there, so evaluations can be counted per applicable policy.
 */
"use strict";
const { AwsGuard } = require("@pulumi/awsguard");
const fs = require("fs");

const guard = new AwsGuard({
  all: "advisory",
  acmCertificateExpiration: "disabled",
  iamAccessKeysRotated: "disabled",
  iamMfaEnabledForConsoleAccess: "disabled",
});

const file = process.env.BENCH_PACK_TYPES_FILE;
if (file) {
  const typeOf = (f) => (f && typeof f.__pulumiType === "string" ? f.__pulumiType : undefined);
  const out = {};
  for (const p of guard.policies) {
    if (p.validateResource) {
      const vs = Array.isArray(p.validateResource) ? p.validateResource : [p.validateResource];
      out[p.name] = { kind: "resource", types: vs.map(typeOf).filter(Boolean) };
    } else {
      out[p.name] = { kind: "stack", types: [typeOf(p.validateStack)].filter(Boolean) };
    }
  }
  fs.writeFileSync(file, JSON.stringify(out, null, 2));
}
