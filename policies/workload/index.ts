import type { PackPolicy } from "../lib/define";
import { k8sIngressTls } from "./k8s-ingress-tls";
import { k8sProbes } from "./k8s-probes";
import { k8sResourceLimits } from "./k8s-resource-limits";
import { k8sSecurityContext } from "./k8s-security-context";

/** Control family: workload (runbook: Health Check Monitoring, Security Maintenance). */
export const workloadPolicies: PackPolicy[] = [k8sProbes, k8sSecurityContext, k8sResourceLimits, k8sIngressTls];
