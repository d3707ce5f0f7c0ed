import type { PackPolicy } from "../lib/define";
import { accessMfaForShell } from "./access-mfa-for-shell";
import { accessNoSshIngress } from "./access-no-ssh-ingress";
import { accessSessionLogging } from "./access-session-logging";

/** Control family: access (runbook: Access Controls, SSH access). */
export const accessPolicies: PackPolicy[] = [accessNoSshIngress, accessMfaForShell, accessSessionLogging];
