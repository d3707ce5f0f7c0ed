/**
 * The DueSpark API on the existing cluster (runbook: Health Check
 * Monitoring, Encryption in transit, Secrets).
 *
 * Probes: startup /health (boot), liveness /health/live (process), readiness
 * /health/ready (dependencies: database, secrets), all on the named port
 * "http". Configuration comes only from the Kubernetes Secret synced from
 * Secrets Manager (envFrom), never plaintext env; Reloader restarts the pods
 * when it changes. Traffic: only the ingress controller may reach the pods,
 * and the pods may reach only PostgreSQL / AWS endpoints in egressCidr and
 * cluster DNS. HTTP is redirected to HTTPS at the ingress.
 */
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadConfig } from "../../config/sections/workload";
import { ConfigError } from "../../config/load";

export const API_WORKLOAD_TYPE = "duespark:workload:ApiWorkload";
export const APP_NAME = "duespark-api";
export const RUN_AS_USER = 10001;
/** ASGI application the image serves. */
export const ASGI_APP = "app.main:app";

export const PROBE_PATHS = { startup: "/health", liveness: "/health/live", readiness: "/health/ready" } as const;

export interface ApiWorkloadArgs {
  config: WorkloadConfig;
  namespace: pulumi.Input<string>;
  /** Kubernetes Secret holding the API's configuration (from SecretDelivery). */
  secretName: pulumi.Input<string>;
  /**
   * Further host names served like `config.host`: the stack's regional name
   * that its DNS failover health check probes (docs/DISASTER-RECOVERY.md).
   */
  additionalHosts?: string[];
}

export class ApiWorkload extends pulumi.ComponentResource {
  readonly serviceName: pulumi.Output<string>;
  readonly deployment: k8s.apps.v1.Deployment;
  readonly ingress: k8s.networking.v1.Ingress;
  /** Host name of the load balancer the ingress controller publishes in the Ingress status. */
  readonly loadBalancerHostname: pulumi.Output<string>;

  constructor(name: string, args: ApiWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    super(API_WORKLOAD_TYPE, name, {}, opts);
    const c = args.config;
    if (!/^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(c.egressCidr)) {
      throw new ConfigError(`duespark-ops:workload.egressCidr: got "${c.egressCidr}"; must be an IPv4 CIDR such as 10.40.0.0/16`);
    }
    const invoke = { parent: this };
    const accountId = aws.getCallerIdentityOutput({}, invoke).accountId;
    const region = aws.getRegionOutput({}, invoke).region;
    const dnsSuffix = aws.getPartitionOutput({}, invoke).dnsSuffix;
    const image = pulumi.interpolate`${accountId}.dkr.ecr.${region}.${dnsSuffix}/${c.imageRepository}:${c.imageTag}`;
    const labels = { "app.kubernetes.io/name": APP_NAME, "app.kubernetes.io/part-of": "duespark" };
    const ns = args.namespace;
    const port = c.containerPort;

    const probe = (path: string, extra: Record<string, number>) => ({ httpGet: { path, port: "http", scheme: "HTTP" }, ...extra });
    this.deployment = new k8s.apps.v1.Deployment(`${name}-deployment`, {
      metadata: {
        name: APP_NAME,
        namespace: ns,
        labels,
        annotations: { "secret.reloader.stakater.com/reload": args.secretName },
      },
      spec: {
        replicas: c.replicas,
        selector: { matchLabels: labels },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
        template: {
          metadata: {
            labels,
            annotations: { "prometheus.io/scrape": "true", "prometheus.io/path": "/metrics", "prometheus.io/port": String(port) },
          },
          spec: {
            automountServiceAccountToken: false,
            securityContext: {
              runAsNonRoot: true,
              runAsUser: RUN_AS_USER,
              runAsGroup: RUN_AS_USER,
              fsGroup: RUN_AS_USER,
              seccompProfile: { type: "RuntimeDefault" },
            },
            containers: [{
              name: "api",
              image,
              imagePullPolicy: "IfNotPresent",
              command: ["uvicorn", ASGI_APP, "--host", "0.0.0.0", "--port", String(port), "--proxy-headers", "--no-server-header"],
              ports: [{ name: "http", containerPort: port, protocol: "TCP" }],
              envFrom: [{ secretRef: { name: args.secretName } }],
              resources: { requests: c.requests, limits: c.limits },
              startupProbe: probe(PROBE_PATHS.startup, { periodSeconds: 5, failureThreshold: 30, timeoutSeconds: 3 }),
              livenessProbe: probe(PROBE_PATHS.liveness, { periodSeconds: 10, failureThreshold: 3, timeoutSeconds: 3 }),
              readinessProbe: probe(PROBE_PATHS.readiness, { periodSeconds: 5, failureThreshold: 3, timeoutSeconds: 3 }),
              securityContext: {
                runAsNonRoot: true,
                runAsUser: RUN_AS_USER,
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                privileged: false,
                capabilities: { drop: ["ALL"] },
                seccompProfile: { type: "RuntimeDefault" },
              },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
            }],
            volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
          },
        },
      },
    }, { parent: this });

    const service = new k8s.core.v1.Service(`${name}-service`, {
      metadata: { name: APP_NAME, namespace: ns, labels },
      spec: { type: "ClusterIP", selector: labels, ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }] },
    }, { parent: this });
    this.serviceName = service.metadata.name;

    new k8s.policy.v1.PodDisruptionBudget(`${name}-pdb`, {
      metadata: { name: APP_NAME, namespace: ns, labels },
      spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
    }, { parent: this });

    new k8s.networking.v1.NetworkPolicy(`${name}-ingress`, {
      metadata: { name: `${APP_NAME}-from-ingress-controller`, namespace: ns },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ["Ingress"],
        ingress: [{
          from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": c.ingressControllerNamespace } } }],
          ports: [{ protocol: "TCP", port }],
        }],
      },
    }, { parent: this });
    new k8s.networking.v1.NetworkPolicy(`${name}-egress`, {
      metadata: { name: `${APP_NAME}-egress`, namespace: ns },
      spec: {
        podSelector: { matchLabels: labels },
        policyTypes: ["Egress"],
        egress: [
          { to: [{ ipBlock: { cidr: c.egressCidr } }], ports: [{ protocol: "TCP", port: 5432 }, { protocol: "TCP", port: 443 }] },
          {
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
          },
        ],
      },
    }, { parent: this });

    const hosts = [c.host, ...(args.additionalHosts ?? []).filter((h) => h !== c.host)];
    const httpRule = { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: service.metadata.name, port: { name: "http" } } } }] };
    this.ingress = new k8s.networking.v1.Ingress(`${name}-ingress`, {
      metadata: {
        name: APP_NAME,
        namespace: ns,
        labels,
        annotations: {
          "nginx.ingress.kubernetes.io/force-ssl-redirect": "true",
          "nginx.ingress.kubernetes.io/ssl-redirect": "true",
          "nginx.ingress.kubernetes.io/backend-protocol": "HTTP",
        },
      },
      spec: {
        ingressClassName: c.ingressClassName,
        tls: [{ hosts, secretName: c.tlsSecretName }],
        rules: hosts.map((host) => ({ host, http: httpRule })),
      },
    }, { parent: this });
    this.loadBalancerHostname = this.ingress.status.apply((s) => {
      const lb = s?.loadBalancer?.ingress?.[0];
      // Empty until the ingress controller publishes its load balancer (DnsFailover rejects it then).
      return lb?.hostname ?? lb?.ip ?? "";
    });

    this.registerOutputs({ serviceName: this.serviceName });
  }
}
