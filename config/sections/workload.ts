import { z } from "zod";
import { hostname } from "../common";

const quantity = z.string().regex(/^\d+(\.\d+)?(m|Mi|Gi|Ki)?$/, { error: "must be a Kubernetes quantity such as 500m or 512Mi" });
const resources = z.strictObject({ cpu: quantity, memory: quantity });

/** `duespark-ops:workload` — the API on an existing Kubernetes cluster (runbook: Health Check Monitoring). */
export const workloadSchema = z.strictObject({
  namespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be a Kubernetes namespace name" }),
  /** Image repository name in the stack's ECR registry and the tag to run. */
  imageRepository: z.string().regex(/^[a-z0-9][a-z0-9._/-]*$/),
  imageTag: z.string().regex(/^[\w][\w.-]{0,127}$/),
  replicas: z.number().int().min(1).max(50),
  containerPort: z.number().int().min(1024, { error: "the container runs as non-root, so it must listen on a port >= 1024" }).max(65535),
  host: hostname,
  /** Name of the Kubernetes TLS secret holding the certificate for `host`. */
  tlsSecretName: z.string().min(1),
  ingressClassName: z.string().min(1),
  /** ClusterSecretStore of External Secrets Operator that reads AWS Secrets Manager. */
  clusterSecretStore: z.string().min(1),
  requests: resources,
  limits: resources,
  /** CIDR of the VPC interface endpoints / database the pods may reach. */
  egressCidr: z.string().min(1),
  /** Namespace of the ingress controller, the only source allowed to reach the API pods. */
  ingressControllerNamespace: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be a Kubernetes namespace name" }),
});
export type WorkloadConfig = z.infer<typeof workloadSchema>;
