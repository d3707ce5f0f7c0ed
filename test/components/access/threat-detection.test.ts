import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import { ThreatDetection } from "../../../components/access/threat-detection";
import { inputsOf, runMocked } from "../../support/mocks";

const program = () => {
  const criticalTopic = new aws.sns.Topic("critical", {});
  new ThreatDetection("threat-detection", { alerts: { criticalTopic }, tags: { Compliance: "pci-sox" } });
};

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";
  test(`${mode}: GuardDuty, Security Hub standards and ECR enhanced scanning are on`, async () => {
    const run = await runMocked(program, { preview });
    const gd = inputsOf(run.one("aws:guardduty/detector:Detector"));
    assert.equal(gd.enable, true);
    assert.equal(gd.findingPublishingFrequency, "FIFTEEN_MINUTES");
    const standards = run.all("aws:securityhub/standardsSubscription:StandardsSubscription").map((s) => inputsOf(s).standardsArn).sort();
    assert.deepEqual(standards, [
      "arn:aws:securityhub:us-east-1::standards/aws-foundational-security-best-practices/v/1.0.0",
      "arn:aws:securityhub:us-east-1::standards/pci-dss/v/4.0.1",
    ]);
    const hub = run.one("aws:securityhub/account:Account");
    for (const s of run.all("aws:securityhub/standardsSubscription:StandardsSubscription")) assert.ok(s.dependencies.includes(hub.urn));
    const ecr = inputsOf(run.one("aws:ecr/registryScanningConfiguration:RegistryScanningConfiguration"));
    assert.equal(ecr.scanType, "ENHANCED");
    assert.deepEqual(ecr.rules, [{ scanFrequency: "CONTINUOUS_SCAN", repositoryFilters: [{ filter: "*", filterType: "WILDCARD" }] }]);
  });

  test(`${mode}: high and critical findings go to the critical topic`, async () => {
    const run = await runMocked(program, { preview });
    const topic = run.one("aws:sns/topic:Topic");
    const gd = JSON.parse(inputsOf(run.one("aws:cloudwatch/eventRule:EventRule", "guardduty")).eventPattern);
    assert.deepEqual(gd.detail.severity, [{ numeric: [">=", 7] }]);
    assert.deepEqual(gd.source, ["aws.guardduty"]);
    const sh = JSON.parse(inputsOf(run.one("aws:cloudwatch/eventRule:EventRule", "securityhub")).eventPattern);
    assert.deepEqual(sh.detail.findings.Severity.Label, ["HIGH", "CRITICAL"]);
    const targets = run.all("aws:cloudwatch/eventTarget:EventTarget");
    assert.equal(targets.length, 2);
    for (const t of targets) assert.deepEqual(t.propertyDependencies.arn, [topic.urn]);
    for (const r of run.all("aws:cloudwatch/eventRule:EventRule")) assert.equal(inputsOf(r).tags["duespark:severity"], "critical");
  });
}
