/**
 * Delivers the Secrets Manager secrets to the API as one Kubernetes Secret
 * through External Secrets Operator (runbook: Secret Management — secrets
 * never in code, images or manifests).
 *
 * One ExternalSecret (external-secrets.io/v1; ESO 0.17+ no longer serves
 * v1beta1) reads every secret through the cluster's ClusterSecretStore and
 * templates the target:
 *   SECRET_KEY            JWT signing key (current)
 *   DATABASE_URL          postgresql://user:password@host:port/db?sslmode=require
 *   <envVar> per API key  e.g. STRIPE_SECRET_KEY, EMAIL_API_KEY
 * (plus SECRET_KEY_PREVIOUS / SECRET_KEY_PREVIOUS_VALID_UNTIL when a JWT
 * verification overlap is configured).
 *
 * Manifests carry only secret names and template expressions; values exist
 * only in Secrets Manager and the cluster's Secret. ESO re-reads every
 * `refreshInterval`; the Deployment carries
 * `secret.reloader.stakater.com/reload: <kubernetesSecretName>`, so a
 * rotation rolls the pods.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../../config/load";
import type { SecretsStore } from "./secrets-store";

export const SECRET_DELIVERY_TYPE = "duespark:secrets:SecretDelivery";

export const EXTERNAL_SECRETS_API_VERSION = "external-secrets.io/v1";
export const KUBERNETES_SECRET_NAME = "duespark-api-secrets";

export const DATABASE_URL_TEMPLATE =
  "postgresql://{{ .db_username }}:{{ .db_password | urlquery }}@{{ .db_host }}:{{ .db_port }}/{{ .db_dbname }}?sslmode=require";

export interface SecretDeliveryArgs {
  namespace: pulumi.Input<string>;
  clusterSecretStore: string;
  refreshInterval: string;
  secrets: SecretsStore;
}

/** Template-variable name for an env var (Go templates address lower-case identifiers). */
function variable(envVar: string): string {
  return `key_${envVar.toLowerCase()}`;
}

export class SecretDelivery extends pulumi.ComponentResource {
  readonly kubernetesSecretName: pulumi.Output<string>;
  readonly externalSecret: k8s.apiextensions.CustomResource;

  constructor(name: string, args: SecretDeliveryArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!/^\d+(s|m|h)$/.test(args.refreshInterval)) {
      throw new ConfigError(`SecretDelivery: refreshInterval is "${args.refreshInterval}"; expected a duration such as 1h or 15m`);
    }
    if (!args.clusterSecretStore) throw new ConfigError("SecretDelivery: clusterSecretStore is required (the ESO ClusterSecretStore reading AWS Secrets Manager)");
    super(SECRET_DELIVERY_TYPE, name, {}, opts);
    const src = args.secrets.delivery;

    const ref = (secretKey: string, key: string, property?: string) => ({
      secretKey,
      remoteRef: { key, ...(property ? { property } : {}), conversionStrategy: "Default", decodingStrategy: "None" },
    });
    const data = [
      ref("jwt_current", src.jwtSecretName, "current"),
      ...(src.jwtOverlapMinutes > 0 ? [ref("jwt_previous", src.jwtSecretName, "previous"), ref("jwt_previous_valid_until", src.jwtSecretName, "previousValidUntil")] : []),
      ...["username", "password", "host", "port", "dbname"].map((p) => ref(`db_${p}`, src.databaseSecretName, p)),
      ...src.apiKeys.map((k) => ref(variable(k.envVar), k.secretName)),
    ];
    const templateData: Record<string, string> = {
      SECRET_KEY: "{{ .jwt_current }}",
      DATABASE_URL: DATABASE_URL_TEMPLATE,
      ...Object.fromEntries(src.apiKeys.map((k) => [k.envVar, `{{ .${variable(k.envVar)} }}`])),
      ...(src.jwtOverlapMinutes > 0 ? { SECRET_KEY_PREVIOUS: "{{ .jwt_previous }}", SECRET_KEY_PREVIOUS_VALID_UNTIL: "{{ .jwt_previous_valid_until }}" } : {}),
    };

    this.externalSecret = new k8s.apiextensions.CustomResource(`${name}-api`, {
      apiVersion: EXTERNAL_SECRETS_API_VERSION,
      kind: "ExternalSecret",
      metadata: {
        name: KUBERNETES_SECRET_NAME,
        namespace: args.namespace,
        labels: { "app.kubernetes.io/part-of": "duespark", "app.kubernetes.io/managed-by": "pulumi" },
      },
      spec: {
        refreshInterval: args.refreshInterval,
        secretStoreRef: { kind: "ClusterSecretStore", name: args.clusterSecretStore },
        target: {
          name: KUBERNETES_SECRET_NAME,
          creationPolicy: "Owner",
          deletionPolicy: "Retain",
          template: {
            engineVersion: "v2",
            type: "Opaque",
            metadata: { labels: { "app.kubernetes.io/part-of": "duespark" } },
            data: templateData,
          },
        },
        data,
      },
    }, { parent: this, dependsOn: [args.secrets] });

    // Known in previews, and carries the dependency on the ExternalSecret.
    this.kubernetesSecretName = this.externalSecret.urn.apply(() => KUBERNETES_SECRET_NAME);
    this.registerOutputs({ kubernetesSecretName: this.kubernetesSecretName });
  }
}
