import { resourcePolicy } from "../lib/define";
import { asArray, Deferrals, isObject, tryKnown } from "../lib/props";
import { plaintextSecretReason, SECRET_NAME } from "../lib/secret-material";

const WORKLOADS: Record<string, (props: Record<string, any>) => any> = {
  "kubernetes:core/v1:Pod": (p) => p.spec,
  "kubernetes:apps/v1:Deployment": (p) => p.spec?.template?.spec,
  "kubernetes:apps/v1:StatefulSet": (p) => p.spec?.template?.spec,
  "kubernetes:apps/v1:DaemonSet": (p) => p.spec?.template?.spec,
  "kubernetes:batch/v1:Job": (p) => p.spec?.template?.spec,
  "kubernetes:batch/v1:CronJob": (p) => p.spec?.jobTemplate?.spec?.template?.spec,
};
const LAMBDA = "aws:lambda/function:Function";
const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/**
 * Runbook: secret management. Credentials reach workloads from Secrets
 * Manager (External Secrets -> Kubernetes Secret, or a runtime fetch), never
 * as literal environment values or ConfigMap data, which are readable by
 * anyone who can describe the function or the pod. A Pulumi secret does not
 * help: Lambda and Kubernetes store the value in plaintext. Messages name
 * the variable, never the value. Unknown values under credential-like names
 * defer the check; other unknown values are ignored.
 */
export const secretsNoPlaintextEnv = resourcePolicy({
  name: "secrets-no-plaintext-env",
  family: "secrets",
  description: "Lambda environment variables, container env values and ConfigMaps never carry secret material in plaintext.",
  severity: "critical",
  controls: "secretEncryption",
  runbook: "secretManagement",
  remediationSteps:
    "Keep the secret in Secrets Manager: pass its ARN (…_SECRET_ARN) and fetch it at runtime, or use env valueFrom.secretKeyRef / envFrom.secretRef on a Kubernetes Secret synced by External Secrets. Remove the literal value and rotate the exposed secret.",
  resourceTypes: [LAMBDA, CONFIG_MAP, ...Object.keys(WORKLOADS)],
  check: ({ type, props, report }) => {
    const d = new Deferrals();
    const inspect = (where: string, name: string, read: () => unknown) => {
      const value = tryKnown(read);
      if (!value.known) {
        // Only credential-like names wait for an unknown value; other names cannot become secret by name.
        if (SECRET_NAME.test(name)) d.read(read);
        return;
      }
      const reason = plaintextSecretReason(name, value.value);
      if (reason) report(`${where} ${name}: ${reason}. Reference the secret instead of embedding it.`);
    };
    if (type === LAMBDA) {
      const vars = d.read(() => props.environment?.variables);
      if (isObject(vars)) for (const name of Object.keys(vars)) inspect("Lambda environment variable", name, () => vars[name]);
    } else if (type === CONFIG_MAP) {
      const data = d.read(() => props.data);
      if (isObject(data)) for (const name of Object.keys(data)) inspect("ConfigMap key", name, () => data[name]);
    } else {
      const spec = d.read(() => WORKLOADS[type](props));
      if (isObject(spec)) {
        for (const field of ["initContainers", "containers"]) {
          for (const c of d.read(() => asArray<Record<string, any>>(spec[field])) ?? []) {
            for (const e of d.read(() => asArray<Record<string, any>>(c.env)) ?? []) {
              const name = String(d.read(() => e.name) ?? "");
              inspect(`container ${String(d.read(() => c.name) ?? "?")} env`, name, () => e.value);
            }
          }
        }
      }
    }
    d.finish();
  },
});
