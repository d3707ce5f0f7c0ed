import assert from "node:assert/strict";
import { test } from "node:test";
import { ROUTE53_METRICS_REGION } from "../../components/alerting/alert-routing";
import { AWS_REGIONS } from "../../config/regions";
import { inputsOf, ROOT, stackConfig, stackEngineConfig } from "../support/mocks";
import { rehearsalPrimaryOutputs } from "../../tools/dr-drill/drill-config";
import { checkPortability, DR_REFERENCE_TYPES, regionsIn, ROUTE53_METRICS_TYPES, scanSources } from "../../tools/dr-drill/portability";
import { readProject, readStack } from "../../tools/preview/stack-file";
import { runProgram } from "./program";

/** Stack region -> DR region: four regions, each with a different DR region. */
const CASES: [string, string][] = [
  ["us-east-1", "us-west-2"],
  ["us-west-2", "eu-west-1"],
  ["eu-west-1", "ap-southeast-2"],
  ["ap-southeast-2", "us-east-1"],
];

/**
 * AWS Chatbot's API exists in a few regions only, so the Slack chat
 * configurations live in the configured alerting.slack.chatbotRegion: a
 * placement declared in config (checked: nothing else may name it).
 */
const CHATBOT_REGION = stackConfig("prod").alerting.slack.chatbotRegion;

/** Engine config that moves a stack to another region pair. */
function overridesFor(stack: string, region: string, drRegion: string): Record<string, string> {
  const base = stackEngineConfig(stack).config;
  const o: Record<string, string> = { "aws:region": region, "duespark-ops:drRegion": drRegion };
  if (stack === "prod-dr") {
    // A recovery stack elsewhere reads the primary's outputs in that region (what its StackReference would return there).
    const dr = JSON.parse(base["duespark-ops:dr"]);
    const cfg = stackConfig("prod");
    dr.primaryOutputs = rehearsalPrimaryOutputs({ source: readStack(readProject(ROOT), "prod"), sourceConfig: cfg, region, drRegion, stack: "prod-dr" });
    o["duespark-ops:dr"] = JSON.stringify(dr);
  }
  return o;
}

for (const stack of ["prod", "prod-dr"]) {
  for (const [region, drRegion] of CASES) {
    test(`${stack} in ${region} (DR ${drRegion}): every region named in any input is ${region}, or exactly ${drRegion} / ${ROUTE53_METRICS_REGION} where declared`, async () => {
      const run = await runProgram({ stack, preview: false, overrides: overridesFor(stack, region, drRegion) });
      const result = checkPortability(run.resources, { region, drRegion, chatbotRegion: CHATBOT_REGION });
      assert.deepEqual(result.violations, [], JSON.stringify(result.violations.slice(0, 5), null, 1));
      for (const f of result.crossRegion) {
        if (f.region === drRegion) continue;
        if (f.region === CHATBOT_REGION && f.type === "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration" && f.at === "(placement)") continue;
        assert.equal(f.region, ROUTE53_METRICS_REGION, `${f.type} ${f.at}`);
        assert.ok(ROUTE53_METRICS_TYPES.has(f.type), `${f.type} is a Route 53 metrics piece`);
      }
      // The declared cross-region references exist and name exactly the DR region.
      for (const s of run.all("aws:secretsmanager/secret:Secret")) assert.deepEqual(inputsOf(s).replicas.map((r: any) => r.region), [drRegion]);
      for (const rule of inputsOf(run.one("aws:backup/plan:Plan")).rules) assert.deepEqual(regionsIn(rule.copyActions[0].destinationVaultArn), [drRegion]);
      assert.ok(result.crossRegion.some((f) => f.type === "aws:kms/replicaKey:ReplicaKey" && f.region === drRegion));
      const r53 = result.crossRegion.filter((f) => f.region === ROUTE53_METRICS_REGION && f.at === "(placement)");
      if (region === ROUTE53_METRICS_REGION || drRegion === ROUTE53_METRICS_REGION) assert.ok(r53.every((f) => ROUTE53_METRICS_TYPES.has(f.type) || f.region === drRegion));
      else assert.deepEqual([...new Set(r53.map((f) => f.type))].sort(), [...ROUTE53_METRICS_TYPES].sort());
      assert.ok(DR_REFERENCE_TYPES.size > 0);
    });
  }
}

test("the check flags a region that is neither the stack's nor declared (recovery outputs left in another region)", async () => {
  // prod-dr moved to eu-west-1 but still reading prod's outputs in us-west-2.
  const run = await runProgram({ stack: "prod-dr", preview: false, overrides: { "aws:region": "eu-west-1", "duespark-ops:drRegion": "us-east-1" } });
  const result = checkPortability(run.resources, { region: "eu-west-1", drRegion: "us-east-1", chatbotRegion: "us-east-2" });
  const flagged = result.violations.map((f) => `${f.type}::${f.name} ${f.at} ${f.region}`);
  assert.ok(flagged.includes("aws:rds/instance:Instance::database-postgres kmsKeyId us-west-2"), flagged.join("\n"));
  assert.ok(flagged.includes("aws:rds/instance:Instance::database-postgres restoreToPointInTime.sourceDbInstanceAutomatedBackupsArn us-west-2"));
});

test("regionsIn finds every configured region name, AZ names included, and nothing else", () => {
  assert.deepEqual(regionsIn("arn:aws:kms:eu-west-1:123456789012:key/x us-east-1a logs.ap-southeast-2.amazonaws.com"), ["eu-west-1", "us-east-1", "ap-southeast-2"]);
  assert.deepEqual(regionsIn("us-east-10 xus-east-1 duespark-prod"), []);
  for (const r of AWS_REGIONS) assert.deepEqual(regionsIn(`x ${r}b y`), [r]);
});

test("program sources hard-code no region, account id or ARN with a region or account", () => {
  const allow = [{ file: "components/alerting/alert-routing.ts", pattern: /^export const ROUTE53_METRICS_REGION = "us-east-1";$/ }];
  const findings = scanSources(ROOT, ["components", "index.ts", "lambdas"], allow);
  assert.deepEqual(findings, []);
  // The scanner itself catches each kind.
  const fs = require("fs") as typeof import("fs");
  const os = require("os") as typeof import("os");
  const path = require("path") as typeof import("path");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "portability-"));
  fs.writeFileSync(path.join(dir, "bad.ts"), 'const r = "eu-central-1";\nconst a = 210987654321;\nconst k = "arn:aws:kms:us-east-1:111122223333:key/x";\n// comment naming us-east-1 is fine\n');
  try {
    assert.deepEqual(scanSources(dir, ["bad.ts"]).map((f) => `${f.line}:${f.kind}`), ["1:region", "2:account id", "3:region", "3:account id", "3:arn"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
