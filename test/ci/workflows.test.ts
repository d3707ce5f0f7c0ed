import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { CronExpressionParser } from "cron-parser";
import { ROOT } from "../support/mocks";
import { listStacks, readProject } from "../../tools/preview/stack-file";

const DIR = path.join(ROOT, ".github", "workflows");
const load = (f: string) => ({ text: fs.readFileSync(path.join(DIR, f), "utf8"), doc: parse(fs.readFileSync(path.join(DIR, f), "utf8")) as any });
const steps = (job: any): any[] => job.steps ?? [];
const runs = (job: any) => steps(job).map((s) => String(s.run ?? "")).join("\n");
const uses = (job: any) => steps(job).map((s) => String(s.uses ?? "")).filter(Boolean);
/** Stack files of the project; tmp-* are transient files of the preview tests. */
const STACKS = listStacks(readProject(ROOT)).filter((s) => !s.startsWith("tmp-"));

test("the stack files are the four documented stacks", () => {
  assert.deepEqual(STACKS, ["dev", "prod", "prod-dr", "staging"]);
});

test("offline-policy-gate: pull_request, read-only contents, no id-token, no secrets (fork safe)", () => {
  const { doc, text } = load("offline-policy-gate.yml");
  assert.ok("pull_request" in doc.on, "runs on pull_request");
  assert.equal("pull_request_target" in doc.on, false, "never pull_request_target (would hand fork code a write token)");
  assert.deepEqual(doc.permissions, { contents: "read", "pull-requests": "write", "security-events": "write" });
  assert.doesNotMatch(text, /secrets\./);
  assert.doesNotMatch(text, /id-token/);
  assert.doesNotMatch(text, /configure-aws-credentials|pulumi\/actions/);
  for (const job of Object.values<any>(doc.jobs)) assert.equal(job.permissions, undefined, "no job widens the permissions");
});

test("offline-policy-gate: npm ci, npm test, and a preview with SARIF and Markdown for every stack file", () => {
  const { doc } = load("offline-policy-gate.yml");
  assert.match(runs(doc.jobs.test), /^npm ci$/m);
  assert.match(runs(doc.jobs.test), /^npm test$/m);
  const preview = doc.jobs.preview;
  assert.deepEqual([...preview.strategy.matrix.stack].sort(), STACKS);
  assert.equal(preview.strategy["fail-fast"], false);
  const cmd = runs(preview);
  assert.match(cmd, /npm run preview -- --stack \$\{\{ matrix\.stack \}\}[^\n]*\\\n\s+--sarif preview-\$\{\{ matrix\.stack \}\}\.sarif --markdown preview-\$\{\{ matrix\.stack \}\}\.md/);
  const upload = steps(preview).find((s) => String(s.uses).startsWith("github/codeql-action/upload-sarif@"));
  assert.ok(upload, "SARIF goes to code scanning");
  assert.match(upload.if, /^always\(\)/);
  assert.equal(upload.with.sarif_file, "preview-${{ matrix.stack }}.sarif");
  const comment = steps(preview).find((s) => String(s.uses).startsWith("actions/github-script@"));
  assert.match(comment.if, /^always\(\)/);
  assert.match(comment.with.script, /<!-- duespark-ops-preview:\$\{stack\} -->/);
  assert.match(comment.with.script, /updateComment/);
  // The preview's exit code is kept, the upload and comment run, then the job fails.
  const last = steps(preview).at(-1);
  assert.equal(last.if, "always()");
  assert.match(last.run, /exit 1/);
  assert.match(cmd, /echo "exit-code=\$code" >> "\$GITHUB_OUTPUT"/);
});

test("pulumi-preview: real preview with the pack, own-repository pull requests only, OIDC credentials", () => {
  const { doc } = load("pulumi-preview.yml");
  assert.ok("pull_request" in doc.on);
  assert.equal(doc.permissions["id-token"], "write");
  assert.equal(doc.permissions.contents, "read");
  const job = doc.jobs.preview;
  assert.equal(job.if, "github.event.pull_request.head.repo.full_name == github.repository");
  assert.deepEqual([...job.strategy.matrix.stack].sort(), STACKS);
  const creds = steps(job).find((s) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@"));
  assert.match(creds.with["role-to-assume"], /^\$\{\{ vars\.[A-Z_]+ \}\}$/);
  assert.equal(creds.with["aws-access-key-id"], undefined);
  const pulumi = steps(job).find((s) => String(s.uses).startsWith("pulumi/actions@"));
  assert.equal(pulumi.with.command, "preview");
  assert.equal(pulumi.with.policyPacks, "policies");
  assert.equal(pulumi.with["comment-on-pr"], true);
  assert.match(pulumi.with["stack-name"], /\$\{\{ matrix\.stack \}\}$/);
  assert.equal(pulumi.with.policyPackConfigs, "${{ steps.policy.outputs.file }}");
  assert.match(runs(job), /stacks\/policy-config\.\$\{\{ matrix\.stack \}\}\.json/);
});

test("dr-drill: quarterly schedule and manual dispatch with the region, OIDC, report uploaded, offline rehearsal", () => {
  const { doc } = load("dr-drill.yml");
  const [{ cron }] = doc.on.schedule;
  const it = CronExpressionParser.parse(cron, { currentDate: new Date("2026-01-01T00:00:00Z"), tz: "UTC" });
  const next = Array.from({ length: 5 }, () => it.next().toDate().toISOString());
  assert.deepEqual(next, ["2026-01-01T06:00:00.000Z", "2026-04-01T06:00:00.000Z", "2026-07-01T06:00:00.000Z", "2026-10-01T06:00:00.000Z", "2027-01-01T06:00:00.000Z"]);
  assert.equal(doc.on.workflow_dispatch.inputs.region.default, "eu-west-1");
  assert.equal(doc.permissions["id-token"], "write");
  const drill = doc.jobs.drill;
  assert.match(runs(drill), /npm run dr-drill -- --from prod --region "\$REGION"/);
  const run = steps(drill).find((s) => /dr-drill/.test(String(s.run)));
  assert.equal(run.env.REGION, "${{ inputs.region || 'eu-west-1' }}");
  assert.ok(uses(drill).some((u) => u.startsWith("aws-actions/configure-aws-credentials@")));
  const upload = steps(drill).find((s) => String(s.uses).startsWith("actions/upload-artifact@"));
  assert.equal(upload.if, "always()");
  assert.equal(upload.with.path, "dr-drill-reports/");
  const rehearsal = doc.jobs.rehearsal;
  assert.match(runs(rehearsal), /npm run dr-drill -- --from prod --region "\$REGION" --offline/);
  assert.doesNotMatch(JSON.stringify(rehearsal), /configure-aws-credentials|secrets\./);
  assert.deepEqual(drill.needs, "rehearsal");
});
