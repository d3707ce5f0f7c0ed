/**
 * Bundles a TypeScript Lambda handler from lambdas/<name>/index.ts with
 * esbuild at program run time, so `pulumi up` always ships the code in this
 * repository. The AWS SDK v3 is provided by the Node.js Lambda runtime and is
 * left out of the bundle; everything else (pg, ...) is bundled.
 */
import * as esbuild from "esbuild";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";

const cache = new Map<string, string>();

export function bundleLambda(name: string): string {
  const cached = cache.get(name);
  if (cached !== undefined) return cached;
  const entry = path.join(__dirname, "..", "..", "lambdas", name, "index.ts");
  const result = esbuild.buildSync({
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node22",
    format: "cjs",
    write: false,
    minify: false,
    sourcemap: false,
    legalComments: "none",
    external: ["@aws-sdk/*", "pg-native"],
    logLevel: "silent",
  });
  const code = result.outputFiles[0].text;
  cache.set(name, code);
  return code;
}

/** A Lambda deployment archive with the bundled handler at index.js (handler: index.handler). */
export function lambdaArchive(name: string): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(bundleLambda(name)) });
}

/** nodejs20.x is deprecated since April 2026. */
export const LAMBDA_RUNTIME = "nodejs22.x";
