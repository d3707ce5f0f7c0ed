/**
 * Security patching (runbook: Security Maintenance). A patch baseline that
 * approves security updates of Critical/Important severity after
 * `approveAfterDays`, installed in a weekly maintenance window on the
 * instances carrying the shell-access tag.
 *
 * Compliance reporting: a daily State Manager association runs
 * AWS-RunPatchBaseline with Operation=Scan, so Patch Manager compliance
 * (and Security Hub / Config, which read it) is never older than a day
 * even between maintenance windows. A resource data sync would only copy
 * the same inventory to S3, so it is not used.
 *
 * Instances must also carry the tag `PatchGroup` = the patch group name
 * (output `patchGroup`) so AWS-RunPatchBaseline picks this baseline.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { AccessConfig } from "../../config/sections/access";
import { withTags } from "../shared/tags";

export const PATCH_MANAGEMENT_TYPE = "duespark:access:PatchManagement";

export interface PatchManagementArgs {
  config: AccessConfig;
  shellAccessTag: AccessConfig["shellAccessTag"];
  tags?: Record<string, string>;
}

/** Approval filters per OS: Ubuntu has no classification/severity, it uses PRIORITY. */
export function approvalRule(os: AccessConfig["patching"]["operatingSystem"], approveAfterDays: number) {
  if (os === "UBUNTU") {
    // Ubuntu packages carry no release date, so Patch Manager rejects approveAfterDays there.
    return {
      complianceLevel: "CRITICAL",
      patchFilters: [
        { key: "PRIORITY", values: ["Required", "Important"] },
        { key: "SECTION", values: ["*"] },
      ],
    };
  }
  return {
    approveAfterDays,
    complianceLevel: "CRITICAL",
    enableNonSecurity: false,
    patchFilters: [
      { key: "CLASSIFICATION", values: ["Security"] },
      { key: "SEVERITY", values: ["Critical", "Important"] },
    ],
  };
}

export class PatchManagement extends pulumi.ComponentResource {
  readonly baseline: aws.ssm.PatchBaseline;
  readonly patchGroup: string;
  readonly maintenanceWindow: aws.ssm.MaintenanceWindow;

  constructor(name: string, args: PatchManagementArgs, opts?: pulumi.ComponentResourceOptions) {
    super(PATCH_MANAGEMENT_TYPE, name, {}, opts);
    const p = args.config.patching;
    const tagTarget = [{ key: `tag:${args.shellAccessTag.key}`, values: [args.shellAccessTag.value] }];

    this.baseline = new aws.ssm.PatchBaseline(`${name}-baseline`, {
      description: "DueSpark: security updates (Critical/Important) after the approval delay",
      operatingSystem: p.operatingSystem,
      approvalRules: [approvalRule(p.operatingSystem, p.approveAfterDays)],
      tags: withTags(args.tags),
    }, { parent: this });
    this.patchGroup = `duespark-${p.operatingSystem.toLowerCase().replace(/_/g, "-")}`;
    new aws.ssm.PatchGroup(`${name}-group`, { baselineId: this.baseline.id, patchGroup: this.patchGroup }, { parent: this });

    // Stop starting new tasks an hour before the window closes (or at once in a one-hour window).
    const cutoff = Math.min(1, p.maintenanceWindowHours - 1);
    this.maintenanceWindow = new aws.ssm.MaintenanceWindow(`${name}-window`, {
      description: "DueSpark weekly security patching",
      schedule: p.maintenanceWindowSchedule,
      scheduleTimezone: "Etc/UTC",
      duration: p.maintenanceWindowHours,
      cutoff,
      allowUnassociatedTargets: false,
      tags: withTags(args.tags),
    }, { parent: this });
    const target = new aws.ssm.MaintenanceWindowTarget(`${name}-targets`, {
      windowId: this.maintenanceWindow.id,
      resourceType: "INSTANCE",
      description: "Instances with the shell-access tag",
      targets: tagTarget,
    }, { parent: this });
    new aws.ssm.MaintenanceWindowTask(`${name}-install`, {
      windowId: this.maintenanceWindow.id,
      taskType: "RUN_COMMAND",
      taskArn: "AWS-RunPatchBaseline",
      priority: 1,
      // One instance at a time keeps the service up through reboots.
      maxConcurrency: "1",
      maxErrors: "1",
      cutoffBehavior: "CANCEL_TASK",
      targets: [{ key: "WindowTargetIds", values: [target.id] }],
      taskInvocationParameters: {
        runCommandParameters: {
          timeoutSeconds: 600,
          parameters: [
            { name: "Operation", values: ["Install"] },
            { name: "RebootOption", values: ["RebootIfNeeded"] },
          ],
        },
      },
    }, { parent: this });

    new aws.ssm.Association(`${name}-compliance-scan`, {
      associationName: "duespark-patch-compliance-scan",
      name: "AWS-RunPatchBaseline",
      scheduleExpression: "rate(1 day)",
      complianceSeverity: "CRITICAL",
      parameters: { Operation: "Scan" },
      targets: tagTarget,
      tags: withTags(args.tags),
    }, { parent: this });

    this.registerOutputs({ baselineId: this.baseline.id, patchGroup: this.patchGroup, maintenanceWindowId: this.maintenanceWindow.id });
  }
}
