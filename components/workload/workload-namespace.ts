/**
 * The API's namespace: Pod Security Standards "restricted" enforced, audited
 * and warned, and a default-deny NetworkPolicy for both directions, so every
 * flow the API needs is allowed explicitly (components/workload/api-workload).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { WorkloadConfig } from "../../config/sections/workload";

export const WORKLOAD_NAMESPACE_TYPE = "duespark:workload:WorkloadNamespace";

export const POD_SECURITY_LABELS = {
  "pod-security.kubernetes.io/enforce": "restricted",
  "pod-security.kubernetes.io/enforce-version": "latest",
  "pod-security.kubernetes.io/audit": "restricted",
  "pod-security.kubernetes.io/audit-version": "latest",
  "pod-security.kubernetes.io/warn": "restricted",
  "pod-security.kubernetes.io/warn-version": "latest",
} as const;

export interface WorkloadNamespaceArgs {
  config: WorkloadConfig;
}

export class WorkloadNamespace extends pulumi.ComponentResource {
  readonly name: pulumi.Output<string>;

  constructor(name: string, args: WorkloadNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super(WORKLOAD_NAMESPACE_TYPE, name, {}, opts);
    const ns = new k8s.core.v1.Namespace(`${name}-ns`, {
      metadata: {
        name: args.config.namespace,
        labels: { ...POD_SECURITY_LABELS, "app.kubernetes.io/part-of": "duespark" },
      },
    }, { parent: this });
    const deny = new k8s.networking.v1.NetworkPolicy(`${name}-default-deny`, {
      metadata: { name: "default-deny-all", namespace: ns.metadata.name },
      spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] },
    }, { parent: this });
    // Dependents wait for the deny policy, so no pod ever runs unrestricted.
    this.name = pulumi.all([ns.metadata.name, deny.metadata.name]).apply(([n]) => n);
    this.registerOutputs({ name: this.name });
  }
}
