import assert from "node:assert/strict";
import { test } from "node:test";
import { conditionEntries, coversAction, findConditions, hasPublicPrincipal, parseOperator, parseStatements, principalsOf, wildcardMatch } from "../../../policies/lib/iam";

test("Statement as one object or an array, from a string or an object", () => {
  const one = parseStatements(JSON.stringify({ Statement: { Effect: "Allow", Action: "s3:GetObject" } }));
  assert.ok(one.ok && one.value.length === 1);
  const two = parseStatements({ Statement: [{ Effect: "Allow", Action: "a:b" }, { Effect: "Deny", Action: "c:d" }] });
  assert.ok(two.ok && two.value[1].Effect === "Deny");
  assert.match((parseStatements("{") as { reason: string }).reason, /not valid JSON/);
  assert.match((parseStatements({ Version: "2012-10-17" }) as { reason: string }).reason, /no Statement/);
});

test("Action / NotAction with wildcards, case-insensitive", () => {
  assert.ok(wildcardMatch("ssm:Start*", "ssm:StartSession"));
  assert.ok(wildcardMatch("SSM:startsession", "ssm:StartSession"));
  assert.ok(wildcardMatch("ssm:?tartSession", "ssm:StartSession"));
  assert.ok(!wildcardMatch("ssm:Start*", "ssm:SendCommand"));
  assert.ok(coversAction({ Effect: "Allow", Action: ["ec2:*", "*"] }, "ssm:SendCommand"));
  assert.ok(coversAction({ Effect: "Allow", NotAction: "iam:*" }, "ssm:StartSession"));
  assert.ok(!coversAction({ Effect: "Allow", NotAction: ["ssm:*"] }, "ssm:StartSession"));
});

test("condition operators: IfExists suffix and ForAnyValue/ForAllValues prefixes", () => {
  assert.deepEqual(parseOperator("ForAnyValue:StringLikeIfExists"), { base: "StringLike", ifExists: true, set: "ForAnyValue" });
  assert.deepEqual(parseOperator("BoolIfExists"), { base: "Bool", ifExists: true, set: undefined });
  assert.deepEqual(parseOperator("Null"), { base: "Null", ifExists: false, set: undefined });
  const s = { Effect: "Allow", Condition: { BoolIfExists: { "aws:MultiFactorAuthPresent": "true" }, "ForAllValues:StringEquals": { "aws:TagKeys": ["a", "b"] } } };
  assert.equal(conditionEntries(s).length, 2);
  const [mfa] = findConditions(s, "AWS:multifactorauthpresent", "bool");
  assert.equal(mfa.ifExists, true);
  assert.deepEqual(mfa.values, ["true"]);
  assert.deepEqual(findConditions(s, "aws:TagKeys")[0].values, ["a", "b"]);
});

test("principals: '*', {AWS: '*'}, arrays, services", () => {
  assert.ok(hasPublicPrincipal({ Effect: "Allow", Principal: "*" }));
  assert.ok(hasPublicPrincipal({ Effect: "Allow", Principal: { AWS: ["arn:aws:iam::1:root", "*"] } }));
  assert.ok(!hasPublicPrincipal({ Effect: "Allow", Principal: { Service: "logs.amazonaws.com" } }));
  assert.ok(!hasPublicPrincipal({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::1:root" } }));
  assert.deepEqual(principalsOf({ Service: ["logs.amazonaws.com"] }), [{ type: "Service", value: "logs.amazonaws.com" }]);
});
