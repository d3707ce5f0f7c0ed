/** A hardened API Deployment as the workload component renders it; tests change one field. */
export const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
export const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";

export function apiContainer(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: "api",
    image: "123456789012.dkr.ecr.us-east-1.amazonaws.com/duespark/api:2026.12.1",
    ports: [{ name: "http", containerPort: 8000 }],
    readinessProbe: { httpGet: { path: "/health", port: "http" }, periodSeconds: 10 },
    livenessProbe: { httpGet: { path: "/health", port: 8000 }, periodSeconds: 20 },
    resources: { requests: { cpu: "250m", memory: "512Mi" }, limits: { cpu: "1", memory: "1Gi" } },
    securityContext: { allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
    ...overrides,
  };
}

export function deployment(containers: Record<string, unknown>[] = [apiContainer()], podExtra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    metadata: { name: "api", namespace: "duespark" },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "api" } },
      template: {
        metadata: { labels: { app: "api" } },
        spec: { securityContext: { runAsNonRoot: true, runAsUser: 10001 }, containers, ...podExtra },
      },
    },
  };
}
