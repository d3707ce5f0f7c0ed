import { resourcePolicy } from "../lib/define";
import { RDS } from "../lib/rds";

/** Runbook: database access. Engineers sign in with short-lived IAM tokens, not shared passwords. */
export const rdsIamAuth = resourcePolicy({
  name: "rds-iam-auth",
  family: "database",
  description: "RDS instances and clusters have IAM database authentication enabled.",
  severity: "medium",
  controls: "privilegedAccess",
  runbook: "databaseAccess",
  remediationSteps: "Set iamDatabaseAuthenticationEnabled: true and grant engineers rds_iam through their database roles.",
  resourceTypes: [RDS.instance, RDS.cluster],
  check: ({ props, report }) => {
    if (props.iamDatabaseAuthenticationEnabled !== true) report("iamDatabaseAuthenticationEnabled is not true: engineers would need static database passwords.");
  },
});
