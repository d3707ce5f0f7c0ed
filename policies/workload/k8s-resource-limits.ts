import { resourcePolicy } from "../lib/define";
import { containersOf, WORKLOAD_TYPES } from "./pods";

/**
 * Runbook: health check monitoring (CPU/memory alerts at 80%). Requests
 * let the scheduler place pods and the utilisation alarms mean something;
 * limits stop one pod from starving the node. Init containers count.
 */
export const k8sResourceLimits = resourcePolicy({
  name: "k8s-resource-limits",
  family: "workload",
  description: "Every workload container sets CPU and memory requests and limits.",
  severity: "medium",
  controls: "availability",
  runbook: "healthChecks",
  remediationSteps: "Set resources.requests.{cpu,memory} and resources.limits.{cpu,memory} on every container (values from the workload config).",
  resourceTypes: WORKLOAD_TYPES,
  check: ({ props, report }) => {
    for (const { container, label } of containersOf(props, true)) {
      const missing: string[] = [];
      for (const kind of ["requests", "limits"] as const) {
        for (const res of ["cpu", "memory"] as const) {
          const v = container.resources?.[kind]?.[res];
          if (v === undefined || v === null || v === "") missing.push(`${kind}.${res}`);
        }
      }
      if (missing.length) report(`${label} has no resources.${missing.join(", resources.")}.`);
    }
  },
});
