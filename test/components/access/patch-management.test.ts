import assert from "node:assert/strict";
import { test } from "node:test";
import { approvalRule, PatchManagement } from "../../../components/access/patch-management";
import { inputsOf, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";

const cfg = stackConfig("prod");
const program = () => { new PatchManagement("patching", { config: cfg.access, shellAccessTag: cfg.access.shellAccessTag, tags: cfg.tags }); };

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";
  test(`${mode}: security patches (Critical/Important) approved after 7 days, installed weekly on tagged instances`, async () => {
    const run = await runMocked(program, { preview });
    const baseline = inputsOf(run.one("aws:ssm/patchBaseline:PatchBaseline"));
    assert.equal(baseline.operatingSystem, "AMAZON_LINUX_2023");
    const rule = baseline.approvalRules[0];
    assert.equal(rule.approveAfterDays, 7);
    assert.equal(rule.complianceLevel, "CRITICAL");
    assert.deepEqual(rule.patchFilters, [{ key: "CLASSIFICATION", values: ["Security"] }, { key: "SEVERITY", values: ["Critical", "Important"] }]);
    assert.equal(inputsOf(run.one("aws:ssm/patchGroup:PatchGroup")).patchGroup, "duespark-amazon-linux-2023");

    const win = inputsOf(run.one("aws:ssm/maintenanceWindow:MaintenanceWindow"));
    assert.equal(win.schedule, "cron(0 4 ? * SUN *)");
    assert.equal(win.duration, 3);
    assert.equal(win.cutoff, 1);
    const target = inputsOf(run.one("aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget"));
    assert.deepEqual(target.targets, [{ key: "tag:duespark:shell-access", values: ["enabled"] }]);
    const task = inputsOf(run.one("aws:ssm/maintenanceWindowTask:MaintenanceWindowTask"));
    assert.equal(task.taskArn, "AWS-RunPatchBaseline");
    assert.deepEqual(task.taskInvocationParameters.runCommandParameters.parameters, [
      { name: "Operation", values: ["Install"] },
      { name: "RebootOption", values: ["RebootIfNeeded"] },
    ]);
    assert.deepEqual(task.targets[0].values, [preview ? UNKNOWN : run.one("aws:ssm/maintenanceWindowTarget:MaintenanceWindowTarget").id]);

    const scan = inputsOf(run.one("aws:ssm/association:Association"));
    assert.equal(scan.name, "AWS-RunPatchBaseline");
    assert.deepEqual(scan.parameters, { Operation: "Scan" });
    assert.equal(scan.scheduleExpression, "rate(1 day)");
  });
}

test("Ubuntu baselines use PRIORITY and no approval delay (Ubuntu packages have no release date)", () => {
  const rule = approvalRule("UBUNTU", 7) as Record<string, unknown>;
  assert.equal(rule.approveAfterDays, undefined);
  assert.deepEqual((rule.patchFilters as { key: string }[]).map((f) => f.key), ["PRIORITY", "SECTION"]);
});
