import { z } from "zod";
import { hostname } from "../common";

/** `duespark-ops:dr` — disaster recovery (RTO 4 h, RPO 24 h). */
export const drSchema = z.strictObject({
  /** `primary` runs the service; `recovery` rebuilds it in this stack's region from the primary's backups. */
  role: z.enum(["primary", "recovery"]),
  /** Fully qualified stack name of the primary, read through a StackReference when it exists. */
  primaryStack: z.string().regex(/^[\w.-]+\/[\w.-]+\/[\w.-]+$/, { error: "must be org/project/stack" }).optional(),
  /** Route 53 hosted zone and the failover record name. */
  hostedZoneName: hostname,
  recordName: hostname,
});
export type DrConfig = z.infer<typeof drSchema>;
