/**
 * The runbook's Incident Classification as data, and its message templates.
 *
 * Routing: P0/P1 go to the critical topic (PagerDuty + Slack), P2/P3 to the
 * warning topic (Slack only). PagerDuty urgency follows the Events API v2
 * severity: the service uses `severity_based` urgency, under which
 * critical/error become high-urgency incidents and warning/info low-urgency.
 */

/** Tag on topics, alarms and rules naming their route, so policies can check it. */
export const SEVERITY_TAG_KEY = "duespark:severity";

export type IncidentPriority = "P0" | "P1" | "P2" | "P3";
export type AlertRoute = "critical" | "warning";
export type PagerDutySeverity = "critical" | "error" | "warning" | "info";

export interface IncidentClass {
  priority: IncidentPriority;
  title: string;
  /** What falls in this class (runbook wording). */
  examples: readonly string[];
  /** Time to first response (acknowledgement and initial message). */
  responseMinutes: number;
  /** Interval between status updates while the incident is open. */
  updateIntervalMinutes: number;
  route: AlertRoute;
  pagerDutySeverity: PagerDutySeverity;
  pagerDutyUrgency: "high" | "low";
}

/**
 * Response times: P0 is immediate (15 minutes to acknowledge, the escalation
 * delay), P1 one hour, P2 four hours, P3 next business day (24 hours).
 */
export const INCIDENT_CLASSES: Readonly<Record<IncidentPriority, IncidentClass>> = {
  P0: {
    priority: "P0",
    title: "Critical - service down or data breach",
    examples: ["complete service outage", "confirmed security breach or data exposure", "payment processing down"],
    responseMinutes: 15,
    updateIntervalMinutes: 30,
    route: "critical",
    pagerDutySeverity: "critical",
    pagerDutyUrgency: "high",
  },
  P1: {
    priority: "P1",
    title: "High - major functionality impaired",
    examples: ["authentication failures", "database connection failures", "backup or restore job failed", "high-severity security finding"],
    responseMinutes: 60,
    updateIntervalMinutes: 60,
    route: "critical",
    pagerDutySeverity: "error",
    pagerDutyUrgency: "high",
  },
  P2: {
    priority: "P2",
    title: "Medium - degraded performance",
    examples: ["error rate above threshold", "slow responses", "resource utilisation above 80%"],
    responseMinutes: 240,
    updateIntervalMinutes: 240,
    route: "warning",
    pagerDutySeverity: "warning",
    pagerDutyUrgency: "low",
  },
  P3: {
    priority: "P3",
    title: "Low - minor issue, no user impact",
    examples: ["failed health check that recovered", "non-urgent maintenance"],
    responseMinutes: 1440,
    updateIntervalMinutes: 1440,
    route: "warning",
    pagerDutySeverity: "info",
    pagerDutyUrgency: "low",
  },
};

export const ALERT_ROUTES: Readonly<Record<AlertRoute, { pagerDuty: boolean; slack: boolean }>> = {
  critical: { pagerDuty: true, slack: true },
  warning: { pagerDuty: false, slack: true },
};

export function routeOf(priority: IncidentPriority): AlertRoute {
  return INCIDENT_CLASSES[priority].route;
}

export type MessageKind = "initial" | "update" | "resolution";

export interface IncidentMessageData {
  priority: IncidentPriority;
  title: string;
  /** Affected services or components. */
  impact: string;
  status: string;
  /** When the incident started (initial) or when this message is sent. */
  at: Date;
  incidentId?: string;
  /** Next steps (initial/update) or root cause (resolution). */
  details?: string;
  /** Resolution only: when the incident started, to state the duration. */
  startedAt?: Date;
  /** Resolution only: follow-up actions (postmortem, tickets). */
  followUp?: string;
}

const iso = (d: Date): string => {
  if (Number.isNaN(d.getTime())) throw new Error("incident message timestamp is not a valid date");
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
};

function duration(from: Date, to: Date): string {
  const minutes = Math.max(0, Math.round((to.getTime() - from.getTime()) / 60000));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${m} min` : `${m} min`;
}

/** Renders the runbook's communication templates (Slack / status page text). */
export function renderIncidentMessage(kind: MessageKind, data: IncidentMessageData): string {
  const cls = INCIDENT_CLASSES[data.priority];
  if (!cls) throw new Error(`unknown incident priority ${String(data.priority)}; allowed: ${Object.keys(INCIDENT_CLASSES).join(", ")}`);
  const ref = data.incidentId ? ` [${data.incidentId}]` : "";
  const nextUpdate = new Date(data.at.getTime() + cls.updateIntervalMinutes * 60000);
  switch (kind) {
    case "initial":
      return [
        `🚨 INCIDENT ${data.priority}${ref}: ${data.title}`,
        `Severity: ${data.priority} (${cls.title})`,
        `Started: ${iso(data.at)}`,
        `Impact: ${data.impact}`,
        `Status: ${data.status}`,
        `Next steps: ${data.details ?? "investigating"}`,
        `Next update by: ${iso(nextUpdate)}`,
      ].join("\n");
    case "update":
      return [
        `📢 UPDATE ${data.priority}${ref}: ${data.title}`,
        `Time: ${iso(data.at)}`,
        `Impact: ${data.impact}`,
        `Status: ${data.status}`,
        `Progress: ${data.details ?? "investigation continues"}`,
        `Next update by: ${iso(nextUpdate)}`,
      ].join("\n");
    case "resolution": {
      if (!data.startedAt) throw new Error("a resolution message needs startedAt to state the incident duration");
      return [
        `✅ RESOLVED ${data.priority}${ref}: ${data.title}`,
        `Resolved: ${iso(data.at)}`,
        `Duration: ${duration(data.startedAt, data.at)} (since ${iso(data.startedAt)})`,
        `Impact: ${data.impact}`,
        `Root cause: ${data.details ?? "under investigation"}`,
        `Follow-up: ${data.followUp ?? "postmortem within 5 business days"}`,
      ].join("\n");
    }
    default: {
      const never: never = kind;
      throw new Error(`unknown message kind ${String(never)}; allowed: initial, update, resolution`);
    }
  }
}
