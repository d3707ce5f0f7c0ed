/**
 * The duespark-runbook CrossGuard policy pack.
 *   pulumi preview --policy-pack policies [--policy-pack-config stacks/policy-config.prod.json]
 * Policies are listed by family in registry.ts; docs/POLICIES.md is the catalogue.
 */
import { PolicyPack } from "@pulumi/policy";
import { PACK_NAME, PACK_POLICIES } from "./registry";

new PolicyPack(PACK_NAME, {
  description: "Blocks changes that break the DueSpark operational-security runbook (rotation, access, backups, alerting, audit, workload hardening).",
  displayName: "DueSpark runbook controls",
  enforcementLevel: "mandatory",
  policies: PACK_POLICIES.map((p) => p.policy),
});
