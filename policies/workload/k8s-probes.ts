import { resourcePolicy } from "../lib/define";
import { containersOf, WORKLOAD_TYPES } from "./pods";

/**
 * Runbook: health check monitoring. Without a readiness probe traffic
 * reaches pods that cannot serve; without a liveness probe a hung process
 * is never restarted. A probe on a port the container does not declare
 * (by number or name) always fails or never tests the app.
 */
export const k8sProbes = resourcePolicy({
  name: "k8s-probes",
  family: "workload",
  description: "Every workload container has readiness and liveness probes on a port it declares.",
  severity: "medium",
  controls: "availability",
  runbook: "healthChecks",
  remediationSteps: "Add readinessProbe and livenessProbe (httpGet /health on the named container port, or tcpSocket) to each container of the Deployment/StatefulSet.",
  resourceTypes: WORKLOAD_TYPES,
  check: ({ props, report }) => {
    for (const { container, label } of containersOf(props, false)) {
      const ports: any[] = container.ports ?? [];
      const numbers = new Set(ports.map((p) => p.containerPort));
      const names = new Set(ports.map((p) => p.name).filter(Boolean));
      for (const kind of ["readinessProbe", "livenessProbe"] as const) {
        const probe = container[kind];
        if (!probe) {
          report(`${label} has no ${kind}.`);
          continue;
        }
        const port = probe.httpGet?.port ?? probe.tcpSocket?.port ?? probe.grpc?.port;
        if (port === undefined) continue; // exec probes have no port
        const ok = typeof port === "number" ? numbers.has(port) : names.has(port) || (/^\d+$/.test(String(port)) && numbers.has(Number(port)));
        if (!ok) report(`${label} ${kind} targets port ${JSON.stringify(port)}, which is not one of its containerPorts (${[...numbers].join(", ") || "none"}${names.size ? `; names ${[...names].join(", ")}` : ""}).`);
      }
    }
  },
});
