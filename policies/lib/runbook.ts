/**
 * Runbook sections the policies link to (`url`). The runbook lives in
 * docs/RUNBOOK.md; anchors follow its headings.
 */
const BASE = "https://github.com/duespark/duespark-ops/blob/main/docs/RUNBOOK.md";

export const RUNBOOK = {
  secretRotation: `${BASE}#secret-rotation-schedule`,
  secretManagement: `${BASE}#secret-management`,
  databaseAccess: `${BASE}#database-access`,
  sshAccess: `${BASE}#ssh-access`,
  accessControls: `${BASE}#access-controls`,
  backupStrategy: `${BASE}#backup-strategy`,
  retentionPolicy: `${BASE}#retention-policy`,
  backupVerification: `${BASE}#backup-verification`,
  disasterRecovery: `${BASE}#disaster-recovery`,
  alerting: `${BASE}#alerting-configuration`,
  incidentClassification: `${BASE}#incident-classification`,
  securityMonitoring: `${BASE}#security-monitoring`,
  compliance: `${BASE}#compliance--auditing`,
  encryption: `${BASE}#encryption`,
  healthChecks: `${BASE}#health-check-monitoring`,
  securityMaintenance: `${BASE}#security-maintenance`,
} as const;

export type RunbookSection = keyof typeof RUNBOOK;
