import { resourcePolicy } from "../lib/define";
import { Deferrals } from "../lib/props";
import { coversTcpPort, describePorts, ingressRules, INGRESS_TYPES } from "../lib/sg-rules";

/**
 * Runbook: SSH access ("no port 22; MFA-only shell through SSM Session
 * Manager"). Any ingress rule that lets TCP reach port 22 is a violation,
 * whatever its source (IPv4, IPv6, prefix list or security group): a port
 * range spanning 22, all-traffic rules (protocol -1) and 0-65535 included.
 * Never exemptible: shell access has exactly one audited path.
 */
export const accessNoSshIngress = resourcePolicy({
  name: "access-no-ssh-ingress",
  family: "access",
  description: "No security group rule opens TCP port 22; shell access goes through SSM Session Manager only.",
  severity: "critical",
  controls: "networkSecurity",
  runbook: "sshAccess",
  remediationSteps: "Remove the ingress rule (or narrow its port range so it excludes 22 and does not use protocol -1). Engineers open shells with `aws ssm start-session` (MFA required).",
  exemptible: false,
  resourceTypes: INGRESS_TYPES,
  check: ({ type, props, report }) => {
    const d = new Deferrals();
    for (const rule of ingressRules(type, props, d)) {
      if (!coversTcpPort(rule, 22)) continue;
      const sources = rule.cidrs.length
        ? rule.cidrs.join(", ")
        : rule.unknownCidr ? "an address range known after the preview" : rule.groupSources ? "a security group" : rule.prefixLists ? "a prefix list" : "any source";
      report(`Ingress ${rule.where} (${describePorts(rule)}) opens SSH port 22 from ${sources}; shell access must use SSM Session Manager.`);
    }
    d.finish();
  },
});
