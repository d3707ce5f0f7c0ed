import type { PolicyResource } from "@pulumi/policy";
import { stackPolicy } from "../lib/define";
import { Deferrals, displayName, isSet, linkedThrough } from "../lib/props";
import { isPostgresEngine, pgParameterProblems, RDS } from "../lib/rds";

/**
 * Runbook: encryption in transit. Each PostgreSQL instance uses a parameter
 * group of this stack that forces TLS and loads pgaudit. The group is found
 * by URN (propertyDependencies.parameterGroupName), else by a literal name;
 * the RDS default group (no parameterGroupName) does not preload pgaudit.
 */
export const rdsParameterGroupLinked = stackPolicy({
  name: "rds-parameter-group-linked",
  family: "database",
  description: "Every PostgreSQL RDS instance uses a parameter group that forces TLS and preloads pgaudit.",
  severity: "high",
  controls: "dataInTransit",
  runbook: "encryption",
  remediationSteps: "Create an aws.rds.ParameterGroup with rds.force_ssl=1 and pgaudit preloaded and set parameterGroupName: group.name on the aws.rds.Instance.",
  resourceTypes: [RDS.instance, RDS.parameterGroup],
  check: ({ resources, report }) => {
    const d = new Deferrals();
    const groups = resources.filter((r) => r.type === RDS.parameterGroup);
    for (const db of resources.filter((r) => r.type === RDS.instance)) {
      d.run(() => {
        if (!isPostgresEngine(db.props.engine)) return;
        // Linked by URN first: the group's name is unknown in a preview.
        let group: PolicyResource | undefined = linkedThrough(db, "parameterGroupName", [RDS.parameterGroup])[0];
        const name = group ? undefined : db.props.parameterGroupName;
        if (!group && !isSet(name)) {
          report(`RDS instance ${db.name} uses the default parameter group: set parameterGroupName to a group with rds.force_ssl=1 and pgaudit.`, db.urn);
          return;
        }
        group ??= groups.find((g) => displayName(g) === name);
        if (!group) {
          report(`RDS instance ${db.name} uses parameter group "${String(name)}", which this stack does not declare, so TLS enforcement and pgaudit cannot be verified.`, db.urn);
          return;
        }
        const problems = pgParameterProblems(group.props.parameters);
        if (problems.length) report(`RDS instance ${db.name} uses parameter group ${group.name}, where ${problems.join("; ")}.`, db.urn);
      });
    }
    d.finish();
  },
});
