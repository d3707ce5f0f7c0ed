import { resourcePolicy } from "../lib/define";
import { PLAN, ruleLabel } from "./model";

interface Config {
  /** AWS Backup keeps cold-storage recovery points at least this long. */
  coldStorageMinimumDays: number;
  /** Longest retention AWS Backup accepts for continuous (point-in-time) backups. */
  continuousMaxDays: number;
}

/**
 * Runbook: retention policy. AWS Backup rejects a lifecycle whose deletion
 * comes less than 90 days after the move to cold storage, and continuous
 * backups can neither move to cold storage nor be kept longer than 35 days.
 * Both are checked for the rule lifecycle and for each copy action's.
 */
export const backupColdStorageWindow = resourcePolicy<Config>({
  name: "backup-cold-storage-window",
  family: "backup",
  description: "Backup lifecycles keep recovery points >= 90 days in cold storage; continuous backups stay warm and <= 35 days.",
  severity: "medium",
  controls: "retention",
  runbook: "retentionPolicy",
  remediationSteps: "Set lifecycle.deleteAfter >= coldStorageAfter + 90 (or drop coldStorageAfter); for enableContinuousBackup rules remove coldStorageAfter and set deleteAfter between 1 and 35.",
  config: {
    schema: {
      coldStorageMinimumDays: { type: "integer", minimum: 1, description: "Minimum days in cold storage (AWS: 90)." },
      continuousMaxDays: { type: "integer", minimum: 1, maximum: 35, description: "Maximum retention of continuous backups (AWS: 35)." },
    },
    defaults: { coldStorageMinimumDays: 90, continuousMaxDays: 35 },
  },
  resourceTypes: [PLAN],
  check: ({ props, config, report }) => {
    const rules: any[] = props.rules ?? [];
    rules.forEach((rule, i) => {
      const where = ruleLabel(rule, i);
      const lifecycles: [string, any][] = [[where, rule.lifecycle]];
      (rule.copyActions ?? []).forEach((c: any, j: number) => lifecycles.push([`${where} copy action #${j + 1}`, c.lifecycle]));
      for (const [at, lc] of lifecycles) {
        const cold = lc?.coldStorageAfter;
        const del = lc?.deleteAfter;
        if (typeof cold === "number" && typeof del === "number" && del < cold + config.coldStorageMinimumDays) {
          report(`${at}: deleteAfter ${del} days is less than coldStorageAfter ${cold} + ${config.coldStorageMinimumDays} = ${cold + config.coldStorageMinimumDays} days (minimum time in cold storage).`);
        }
      }
      if (rule.enableContinuousBackup === true) {
        const lc = rule.lifecycle;
        if (lc?.coldStorageAfter !== undefined && lc?.coldStorageAfter !== null) {
          report(`${where}: continuous backups cannot move to cold storage (coldStorageAfter ${lc.coldStorageAfter}).`);
        }
        const del = lc?.deleteAfter;
        if (typeof del !== "number") report(`${where}: continuous backups need lifecycle.deleteAfter between 1 and ${config.continuousMaxDays} days.`);
        else if (del > config.continuousMaxDays) report(`${where}: continuous backups are kept at most ${config.continuousMaxDays} days, not ${del}.`);
      }
    });
  },
});
