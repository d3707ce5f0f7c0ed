/**
 * Region portability of a planned stack: every region named anywhere in
 * any resource input must be the stack's own, except the declared
 * cross-region references, which must name exactly the configured DR
 * region (or us-east-1 for the Route 53 health-check metrics pieces).
 *
 * A resource lives in its own `region` input if it has one, else in its
 * explicit provider's region, else in the stack's region.
 */
import * as fs from "fs";
import * as path from "path";
import { AWS_REGIONS } from "../../config/regions";
import { ROUTE53_METRICS_REGION } from "../../components/alerting/alert-routing";
import type { CapturedResource } from "../preview/engine";
import { plainInputs } from "../preview/engine";

/** Region names as they appear in ARNs, endpoints, principals and AZ names (us-east-1a). */
const REGION_RE = new RegExp(`(?<![a-z0-9-])(${[...AWS_REGIONS].sort((a, b) => b.length - a.length).join("|")})(?![0-9])`, "g");

/**
 * Resources in the stack's region that refer to the DR region by design:
 * secret replicas, backup copy destinations and the cross-region backup
 * control. Resources created with the DR provider live there and may name it.
 */
export const DR_REFERENCE_TYPES: ReadonlySet<string> = new Set([
  "aws:secretsmanager/secret:Secret",
  "aws:backup/plan:Plan",
  "aws:backup/framework:Framework",
]);

/** Resources placed in us-east-1 because Route 53 health-check metrics exist only there. */
export const ROUTE53_METRICS_TYPES: ReadonlySet<string> = new Set([
  "aws:kms/key:Key",
  "aws:sns/topic:Topic",
  "aws:sns/topicPolicy:TopicPolicy",
  "aws:sns/topicSubscription:TopicSubscription",
  "aws:cloudwatch/metricAlarm:MetricAlarm",
]);

export interface RegionFinding {
  type: string;
  name: string;
  /** Dotted path of the input naming the region ("(placement)" for where the resource lives). */
  at: string;
  region: string;
  /** Where the resource lives. */
  home: string;
}

export interface PortabilityResult {
  /** Regions named that are neither the stack's own nor an allowed cross-region reference. */
  violations: RegionFinding[];
  /** Allowed cross-region references (DR region, Route 53 metrics region), for the report. */
  crossRegion: RegionFinding[];
}

export interface PortabilityOptions {
  region: string;
  drRegion: string;
  /** Region of the Slack chat configurations (config alerting.slack.chatbotRegion): a declared placement. */
  chatbotRegion?: string;
}

function* strings(value: unknown, at: string): Generator<[string, string]> {
  if (typeof value === "string") yield [at, value];
  else if (Array.isArray(value)) for (let i = 0; i < value.length; i++) yield* strings(value[i], `${at}[${i}]`);
  else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) yield* strings(v, at ? `${at}.${k}` : k);
}

export function regionsIn(text: string): string[] {
  return [...new Set([...text.matchAll(REGION_RE)].map((m) => m[1]))];
}

export function checkPortability(resources: CapturedResource[], opts: PortabilityOptions): PortabilityResult {
  const providerRegion = new Map<string, string>();
  for (const r of resources) {
    if (!r.type.startsWith("pulumi:providers:")) continue;
    const region = plainInputs(r.inputs).region;
    if (typeof region === "string") providerRegion.set(`${r.urn}::${r.id}`, region);
  }
  const violations: RegionFinding[] = [];
  const crossRegion: RegionFinding[] = [];
  for (const r of resources) {
    if (!r.custom) continue;
    const inputs = plainInputs(r.inputs);
    const viaProvider = r.provider ? providerRegion.get(r.provider) : undefined;
    const home = (typeof inputs.region === "string" && inputs.region) || viaProvider || opts.region;
    const isProvider = r.type.startsWith("pulumi:providers:");
    const placementOk =
      home === opts.region ||
      (home === opts.drRegion && (viaProvider === opts.drRegion || isProvider)) ||
      (home === ROUTE53_METRICS_REGION && ROUTE53_METRICS_TYPES.has(r.type)) ||
      (home === opts.chatbotRegion && r.type === "aws:chatbot/slackChannelConfiguration:SlackChannelConfiguration");
    const finding = (at: string, region: string): RegionFinding => ({ type: r.type, name: r.name, at, region, home });
    if (home !== opts.region) (placementOk ? crossRegion : violations).push(finding("(placement)", home));

    for (const [at, text] of strings(inputs, "")) {
      for (const region of regionsIn(text)) {
        if (region === opts.region || (region === home && placementOk)) continue;
        const allowed =
          (region === opts.drRegion && (DR_REFERENCE_TYPES.has(r.type) || home === opts.drRegion)) ||
          (region === ROUTE53_METRICS_REGION && home === ROUTE53_METRICS_REGION && placementOk);
        (allowed ? crossRegion : violations).push(finding(at, region));
      }
    }
  }
  return { violations, crossRegion };
}

export interface SourceFinding {
  file: string;
  line: number;
  kind: "region" | "account id" | "arn";
  text: string;
}

/**
 * Literal regions, 12-digit account ids and ARNs with a region or account
 * in program sources. `allow` lists `file:pattern` exceptions (an AWS fact
 * such as the Route 53 metrics region).
 */
export function scanSources(root: string, dirs: string[], allow: { file: string; pattern: RegExp }[] = []): SourceFinding[] {
  const files: string[] = [];
  const walk = (p: string) => {
    const full = path.join(root, p);
    if (!fs.existsSync(full)) return;
    if (fs.statSync(full).isDirectory()) {
      for (const e of fs.readdirSync(full)) if (e !== "node_modules") walk(path.join(p, e));
    } else if (/\.(ts|js|mjs)$/.test(p)) files.push(p);
  };
  dirs.forEach(walk);
  const out: SourceFinding[] = [];
  for (const file of files) {
    const lines = fs.readFileSync(path.join(root, file), "utf8").split("\n");
    lines.forEach((raw, i) => {
      // Code only: comments may explain AWS facts such as "metrics exist only in us-east-1".
      if (/^\s*(\/\/|\*|\/\*)/.test(raw)) return;
      const text = raw.replace(/\s\/\/.*$/, "");
      if (allow.some((a) => a.file === file && a.pattern.test(text))) return;
      const add = (kind: SourceFinding["kind"]) => out.push({ file, line: i + 1, kind, text: text.trim() });
      if (regionsIn(text).length) add("region");
      if (/(?<![\w.-])\d{12}(?![\w])/.test(text)) add("account id");
      if (/arn:aws[\w-]*:[a-z0-9-]+:([a-z]{2}-[a-z]+-\d|[^:$]*:\d{12})/.test(text)) add("arn");
    });
  }
  return out;
}
