import { z } from "zod";
import { hostname, percent, positiveInt } from "../common";

/** `duespark-ops:alerting` — Alerting Configuration and Incident Classification. */
export const alertingSchema = z.strictObject({
  pagerduty: z.strictObject({
    serviceName: z.string().min(1),
    /** PagerDuty user ids (P + 6 characters) in the on-call rotation. */
    onCallUserIds: z.array(z.string().regex(/^P[A-Z0-9]{6}$/, { error: "must be a PagerDuty user id such as PABC123" })).min(1),
    rotationLengthHours: positiveInt("alerting.pagerduty.rotationLengthHours"),
    rotationStart: z.iso.datetime({ offset: true, error: "must be an ISO 8601 timestamp with offset, e.g. 2026-01-05T09:00:00Z" }),
    timeZone: z.string().min(1),
    /** PagerDuty accepts 0..9 repeats of the escalation policy. */
    escalationLoops: z.number().int().min(0, { error: "PagerDuty accepts 0 to 9 escalation loops" }).max(9, { error: "PagerDuty accepts 0 to 9 escalation loops" }),
    escalationDelayMinutes: positiveInt("alerting.pagerduty.escalationDelayMinutes"),
  }),
  slack: z.strictObject({
    workspaceId: z.string().regex(/^T[A-Z0-9]{8,12}$/, { error: "must be a Slack workspace id such as T0123ABCD" }),
    criticalChannelId: z.string().regex(/^C[A-Z0-9]{8,12}$/, { error: "must be a Slack channel id such as C0123ABCD" }),
    warningChannelId: z.string().regex(/^C[A-Z0-9]{8,12}$/, { error: "must be a Slack channel id such as C0123ABCD" }),
    /**
     * Region whose AWS Chatbot API manages the channel configurations. The
     * Chatbot API exists only in these four regions; the configurations still
     * receive notifications from topics in any region.
     */
    chatbotRegion: z.enum(["us-east-2", "us-west-2", "eu-west-1", "ap-southeast-1"], { error: "AWS Chatbot's API is only in us-east-2, us-west-2, eu-west-1, ap-southeast-1" }),
  }),
  /** Public host name whose /health endpoint the downtime alarm probes. */
  healthCheckHost: hostname,
  thresholds: z.strictObject({
    errorRatePercent: percent("alerting.thresholds.errorRatePercent").default(5),
    responseTimeSeconds: z.number().positive().default(10),
    cpuPercent: percent("alerting.thresholds.cpuPercent").default(80),
    memoryPercent: percent("alerting.thresholds.memoryPercent").default(80),
    storagePercent: percent("alerting.thresholds.storagePercent").default(80),
    downtimeMinutes: positiveInt("alerting.thresholds.downtimeMinutes").default(5),
    authFailuresPerFiveMinutes: positiveInt("alerting.thresholds.authFailuresPerFiveMinutes").default(50),
    dbConnectionFailures: positiveInt("alerting.thresholds.dbConnectionFailures").default(5),
    paymentErrors: positiveInt("alerting.thresholds.paymentErrors").default(3),
  }),
});
export type AlertingConfig = z.infer<typeof alertingSchema>;
