import assert from "node:assert/strict";
import { test } from "node:test";
import { ALERT_ROUTES, INCIDENT_CLASSES, renderIncidentMessage, routeOf } from "../../../components/alerting/incidents";

test("P0/P1 route to critical (PagerDuty + Slack, high urgency), P2/P3 to warning (Slack only, low)", () => {
  assert.deepEqual(
    Object.values(INCIDENT_CLASSES).map((c) => [c.priority, c.route, c.pagerDutyUrgency, c.responseMinutes]),
    [["P0", "critical", "high", 15], ["P1", "critical", "high", 60], ["P2", "warning", "low", 240], ["P3", "warning", "low", 1440]],
  );
  assert.equal(routeOf("P1"), "critical");
  assert.deepEqual(ALERT_ROUTES.critical, { pagerDuty: true, slack: true });
  assert.deepEqual(ALERT_ROUTES.warning, { pagerDuty: false, slack: true });
});

const started = new Date("2026-03-01T10:00:00Z");

test("initial message carries severity, start time, impact and the next update time", () => {
  const text = renderIncidentMessage("initial", { priority: "P0", incidentId: "INC-42", title: "API down", impact: "all API requests fail", status: "investigating", at: started, details: "failing over database" });
  assert.equal(text.split("\n")[0], "🚨 INCIDENT P0 [INC-42]: API down");
  assert.match(text, /^Started: 2026-03-01T10:00:00Z$/m);
  assert.match(text, /^Impact: all API requests fail$/m);
  assert.match(text, /^Next steps: failing over database$/m);
  assert.match(text, /^Next update by: 2026-03-01T10:30:00Z$/m);
});

test("status update is stamped and schedules the next one by priority", () => {
  const text = renderIncidentMessage("update", { priority: "P2", title: "slow responses", impact: "p95 12 s", status: "mitigating", at: new Date("2026-03-01T11:15:00Z") });
  assert.match(text, /^📢 UPDATE P2: slow responses$/m);
  assert.match(text, /^Time: 2026-03-01T11:15:00Z$/m);
  assert.match(text, /^Next update by: 2026-03-01T15:15:00Z$/m);
});

test("resolution states duration and root cause; it needs the start time", () => {
  const text = renderIncidentMessage("resolution", { priority: "P1", title: "login failures", impact: "logins failed", status: "resolved", at: new Date("2026-03-01T12:05:00Z"), startedAt: started, details: "expired signing key" });
  assert.match(text, /^✅ RESOLVED P1: login failures$/m);
  assert.match(text, /^Duration: 2 h 5 min \(since 2026-03-01T10:00:00Z\)$/m);
  assert.match(text, /^Root cause: expired signing key$/m);
  assert.throws(() => renderIncidentMessage("resolution", { priority: "P1", title: "x", impact: "y", status: "resolved", at: started }), /startedAt/);
  assert.throws(() => renderIncidentMessage("initial", { priority: "P1", title: "x", impact: "y", status: "s", at: new Date("nope") }), /valid date/);
});
