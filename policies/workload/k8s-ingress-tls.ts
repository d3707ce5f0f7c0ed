import { resourcePolicy } from "../lib/define";
import { INGRESS } from "./pods";

interface Config {
  /** Annotations that must not be "false" (they switch the HTTP -> HTTPS redirect off). */
  redirectAnnotations: string[];
}

/**
 * Runbook: encryption in transit. Every host an Ingress routes is covered
 * by a TLS entry (exact host or a one-label wildcard), and the controller's
 * HTTP -> HTTPS redirect is not switched off. A rule without a host matches
 * every host and cannot be covered by a certificate.
 */
export const k8sIngressTls = resourcePolicy<Config>({
  name: "k8s-ingress-tls",
  family: "workload",
  description: "Ingresses terminate TLS for every rule host and keep the HTTPS redirect on.",
  severity: "high",
  controls: "dataInTransit",
  runbook: "encryption",
  remediationSteps: "Add spec.tls [{ hosts: [<every rule host>], secretName: <tls secret> }] and remove any ssl-redirect: \"false\" annotation.",
  config: {
    schema: { redirectAnnotations: { type: "array", items: { type: "string", minLength: 1 }, description: "Annotations whose value \"false\" disables the HTTPS redirect." } },
    defaults: { redirectAnnotations: ["nginx.ingress.kubernetes.io/ssl-redirect", "nginx.ingress.kubernetes.io/force-ssl-redirect", "ingress.kubernetes.io/ssl-redirect"] },
  },
  resourceTypes: [INGRESS],
  check: ({ props, config, report }) => {
    const tls: any[] = props.spec?.tls ?? [];
    const covered: string[] = tls.flatMap((t) => (t.hosts ?? []) as string[]).map((h) => String(h).toLowerCase());
    const rules: any[] = props.spec?.rules ?? [];
    if (tls.length === 0) report("spec.tls is empty: the Ingress serves plain HTTP.");
    rules.forEach((rule, i) => {
      const host = rule.host;
      if (!host) {
        report(`rule #${i + 1} has no host: it matches every host and no TLS entry can cover it.`);
        return;
      }
      const h = String(host).toLowerCase();
      const ok = covered.some((c) => c === h || (c.startsWith("*.") && h.endsWith(c.slice(1)) && !h.slice(0, h.length - c.length + 1).includes(".")));
      if (!ok && tls.length) report(`host ${host} is not covered by any spec.tls hosts (${covered.join(", ") || "none"}).`);
    });
    const annotations = props.metadata?.annotations ?? {};
    for (const a of config.redirectAnnotations) {
      if (String(annotations[a] ?? "").toLowerCase() === "false") report(`annotation ${a}: "false" turns the HTTP -> HTTPS redirect off.`);
    }
  },
});
