/**
 * IAM policy documents as typed objects. Policies are written as data and
 * serialised with toJson(), never assembled from string templates, so a
 * condition key or operator cannot be mistyped into invalid JSON.
 */
import * as pulumi from "@pulumi/pulumi";

export type ConditionOperator =
  | "Bool" | "BoolIfExists" | "Null"
  | "StringEquals" | "StringNotEquals" | "StringLike" | "StringNotLike" | "StringEqualsIgnoreCase"
  | "StringEqualsIfExists" | "StringNotEqualsIfExists" | "StringLikeIfExists"
  | "ArnEquals" | "ArnLike" | "ArnNotEquals" | "ArnNotLike" | "ArnLikeIfExists"
  | "NumericLessThan" | "NumericLessThanEquals" | "NumericGreaterThan" | "NumericGreaterThanEquals"
  | "DateGreaterThan" | "DateLessThan" | "IpAddress" | "NotIpAddress"
  | "ForAllValues:StringEquals" | "ForAnyValue:StringEquals" | "ForAnyValue:StringLike";

export type Conditions = Partial<Record<ConditionOperator, Record<string, pulumi.Input<string | string[] | boolean | number>>>>;

export type Principal = "*" | { AWS?: pulumi.Input<string | string[]>; Service?: string | string[]; Federated?: string };

export interface Statement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Principal?: Principal;
  NotPrincipal?: Principal;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: pulumi.Input<string> | pulumi.Input<string>[];
  NotResource?: pulumi.Input<string> | pulumi.Input<string>[];
  Condition?: Conditions;
}

export interface PolicyDocument {
  Version: "2012-10-17";
  Id?: string;
  Statement: Statement[];
}

/** Serialises a document whose fields may hold Outputs (ARNs) into an Output<string> of JSON. */
export function toJson(doc: PolicyDocument): pulumi.Output<string> {
  return pulumi.jsonStringify(pulumi.output(doc as unknown as pulumi.Input<Record<string, unknown>>));
}

/** Trust policy that lets an AWS service assume a role. */
export function serviceTrust(...services: string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: services.length === 1 ? services[0] : services }, Action: "sts:AssumeRole" }],
  };
}

/** Bucket-policy statement refusing every request that does not use TLS (encryption in transit). */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": false } },
  };
}
