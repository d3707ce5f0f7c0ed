import { resourcePolicy } from "../lib/define";
import { RDS } from "../lib/rds";

/** Runbook: backup strategy. A production database cannot be deleted by one API call. */
export const rdsDeletionProtection = resourcePolicy({
  name: "rds-deletion-protection",
  family: "database",
  description: "RDS instances and clusters have deletion protection enabled.",
  severity: "high",
  controls: "changeProtection",
  runbook: "backupStrategy",
  remediationSteps: "Set deletionProtection: true on the aws.rds.Instance / aws.rds.Cluster.",
  resourceTypes: [RDS.instance, RDS.cluster],
  check: ({ props, report }) => {
    if (props.deletionProtection !== true) report("deletionProtection is not true: the database can be deleted by a single API call.");
  },
});
