import { resourcePolicy } from "../lib/define";
import { RDS } from "../lib/rds";

/** Runbook: database access. Databases are reachable only inside the VPC. */
export const rdsNotPublic = resourcePolicy({
  name: "rds-not-public",
  family: "database",
  description: "RDS instances are never publicly accessible.",
  severity: "critical",
  controls: "networkSecurity",
  runbook: "databaseAccess",
  remediationSteps: "Set publiclyAccessible: false (the default) and reach the database through SSM port forwarding from a bastion-less session.",
  resourceTypes: [RDS.instance, RDS.clusterInstance],
  check: ({ props, report }) => {
    if (props.publiclyAccessible === true) report("publiclyAccessible is true: the instance gets a public DNS name and address.");
  },
});
