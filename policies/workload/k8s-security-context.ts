import { resourcePolicy } from "../lib/define";
import { containersOf, podSpec, WORKLOAD_TYPES } from "./pods";

/**
 * Runbook: security maintenance (Kubernetes restricted pod security). A
 * container runs as non-root (pod or container level, the container's
 * setting wins), cannot gain privileges, is not privileged, drops every
 * capability and has a read-only root filesystem. Init containers count.
 */
export const k8sSecurityContext = resourcePolicy({
  name: "k8s-security-context",
  family: "workload",
  description: "Workload containers run as non-root, unprivileged, without privilege escalation, with ALL capabilities dropped and a read-only root filesystem.",
  severity: "high",
  controls: "workloadHardening",
  runbook: "securityMaintenance",
  remediationSteps:
    "Set securityContext { runAsNonRoot: true, allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: [\"ALL\"] } } on each container (runAsNonRoot may sit on the pod).",
  resourceTypes: WORKLOAD_TYPES,
  check: ({ props, report }) => {
    const podNonRoot = podSpec(props)?.securityContext?.runAsNonRoot;
    for (const { container, label } of containersOf(props, true)) {
      const sc = container.securityContext ?? {};
      const nonRoot = sc.runAsNonRoot ?? podNonRoot;
      if (nonRoot !== true) report(`${label}: runAsNonRoot is not true (pod or container securityContext).`);
      if (sc.allowPrivilegeEscalation !== false) report(`${label}: allowPrivilegeEscalation is not false.`);
      if (sc.privileged === true) report(`${label}: privileged is true.`);
      const drop: string[] = sc.capabilities?.drop ?? [];
      if (!drop.some((c) => String(c).toUpperCase() === "ALL")) report(`${label}: capabilities.drop does not include ALL.`);
      if (sc.readOnlyRootFilesystem !== true) report(`${label}: readOnlyRootFilesystem is not true.`);
    }
  },
});
