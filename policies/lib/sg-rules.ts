/**
 * Security group ingress in its three AWS shapes, normalised: inline
 * `ingress` blocks of aws.ec2.SecurityGroup, aws.ec2.SecurityGroupRule
 * (type "ingress") and aws.vpc.SecurityGroupIngressRule (one source each).
 */
import { asArray, Deferrals, isSet, isSetOrUnknown, toInt, tryKnown } from "./props";

export const SG_TYPES = {
  group: "aws:ec2/securityGroup:SecurityGroup",
  rule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  ingressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
} as const;
export const INGRESS_TYPES: readonly string[] = [SG_TYPES.group, SG_TYPES.rule, SG_TYPES.ingressRule];

export interface IngressRule {
  /** Where the rule is, for messages: "ingress[0]" or "rule". */
  where: string;
  /** Lower-case protocol: "tcp", "udp", "icmp", "-1" (all) ... */
  protocol: string;
  fromPort: number;
  toPort: number;
  /** IPv4 and IPv6 CIDR sources (the known ones). */
  cidrs: string[];
  /** Set when a CIDR source is unknown in a preview: rethrow it (Deferrals.defer) if the answer depends on it. */
  unknownCidr?: Error;
  /** Security group sources (referenced groups, self); an unknown group id counts as one. */
  groupSources: number;
  /** Prefix list sources; an unknown id counts as one. */
  prefixLists: number;
}

const PROTOCOL_NUMBERS: Record<string, string> = { "6": "tcp", "17": "udp", "1": "icmp", all: "-1" };

function normaliseProtocol(p: unknown): string {
  const s = String(p ?? "").toLowerCase();
  return PROTOCOL_NUMBERS[s] ?? s;
}

/** All ports for protocol -1; AWS ignores the port fields then. */
function portsOf(protocol: string, from: unknown, to: unknown): [number, number] {
  if (protocol === "-1") return [0, 65535];
  const f = toInt(from);
  const t = toInt(to);
  return [f ?? 0, t ?? f ?? 65535];
}

/**
 * The ingress rules a resource declares. Unknown pieces are skipped and
 * remembered in `deferrals` (call finish() after reporting).
 */
export function ingressRules(type: string, props: Record<string, any>, deferrals: Deferrals): IngressRule[] {
  const out: IngressRule[] = [];
  const add = (where: string, r: Record<string, any>, shape: "inline" | "rule" | "vpc") => {
    deferrals.run(() => {
      const protocol = normaliseProtocol(shape === "vpc" ? r.ipProtocol : r.protocol);
      const [fromPort, toPort] = portsOf(protocol, r.fromPort, r.toPort);
      const cidrRead = tryKnown(() =>
        shape === "vpc"
          ? [r.cidrIpv4, r.cidrIpv6].filter((c) => isSet(c)).map(String)
          : [...asArray<string>(r.cidrBlocks), ...asArray<string>(r.ipv6CidrBlocks)].map(String),
      );
      const cidrs = cidrRead.known ? cidrRead.value : [];
      const unknownCidr = cidrRead.known ? undefined : cidrRead.error;
      const count = (read: () => unknown) => (isSetOrUnknown(read) ? 1 : 0);
      const listCount = (read: () => unknown) => {
        const v = tryKnown(read);
        return v.known ? asArray(v.value).length : 1;
      };
      const groupSources =
        shape === "vpc"
          ? count(() => r.referencedSecurityGroupId)
          : shape === "rule"
            ? count(() => r.sourceSecurityGroupId) + (r.self === true ? 1 : 0)
            : listCount(() => r.securityGroups) + (r.self === true ? 1 : 0);
      const prefixLists = shape === "vpc" ? count(() => r.prefixListId) : listCount(() => r.prefixListIds);
      out.push({ where, protocol, fromPort, toPort, cidrs, unknownCidr, groupSources, prefixLists });
    });
  };
  if (type === SG_TYPES.group) {
    const ingress = deferrals.read(() => asArray<Record<string, any>>(props.ingress)) ?? [];
    ingress.forEach((r, i) => add(`ingress[${i}]`, r, "inline"));
  } else if (type === SG_TYPES.rule) {
    const kind = deferrals.read(() => String(props.type).toLowerCase());
    if (kind === "ingress") add("rule", props, "rule");
  } else if (type === SG_TYPES.ingressRule) {
    add("rule", props, "vpc");
  }
  return out;
}

/** True when the rule lets TCP traffic reach `port` (all-protocol rules included). */
export function coversTcpPort(r: IngressRule, port: number): boolean {
  if (r.protocol !== "-1" && r.protocol !== "tcp") return false;
  return r.fromPort <= port && port <= r.toPort;
}

/** "tcp 0-65535", "all traffic" or "tcp 22" for messages. */
export function describePorts(r: IngressRule): string {
  if (r.protocol === "-1") return "all traffic";
  return r.fromPort === r.toPort ? `${r.protocol} ${r.fromPort}` : `${r.protocol} ${r.fromPort}-${r.toPort}`;
}

/** World-open CIDRs: any /0 (0.0.0.0/0, ::/0). */
export function isWorldCidr(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}
