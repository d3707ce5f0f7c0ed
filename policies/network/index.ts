import type { PackPolicy } from "../lib/define";
import { networkDbNoPublicIngress } from "./network-db-no-public-ingress";
import { networkSgLinkedRules } from "./network-sg-linked-rules";

/** Control family: network (runbook: Database Access, SSH access). */
export const networkPolicies: PackPolicy[] = [networkDbNoPublicIngress, networkSgLinkedRules];
