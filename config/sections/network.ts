import { z } from "zod";
import { ipv4Cidr } from "../common";

/** `duespark-ops:network` — the VPC that hosts the database and the managed instances. */
export const networkSchema = z.strictObject({
  vpcCidr: ipv4Cidr,
  /** Private subnets are spread over this many availability zones (looked up at deploy time). */
  availabilityZoneCount: z.number().int().min(2, { error: "at least 2 availability zones are needed for Multi-AZ" }).max(6),
  /** Size of each private subnet as extra prefix bits on top of the VPC CIDR (4 turns /16 into /20). */
  subnetPrefixBits: z.number().int().min(1).max(8).default(4),
});
export type NetworkConfig = z.infer<typeof networkSchema>;
