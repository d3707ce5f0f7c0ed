import assert from "node:assert/strict";
import { test } from "node:test";
import { DatabaseRoles } from "../../../components/database/database-roles";
import { RoleSettings } from "../../../components/database/role-settings";
import { inputsOf, jsonInput, runMocked, stackConfig, UNKNOWN } from "../../support/mocks";
import { buildDatabase } from "../data-plane";

const cfg = stackConfig("prod");
const build = () => {
  const { database, network, keys } = buildDatabase(cfg);
  new DatabaseRoles("db-roles", { config: cfg.database, database, network, kmsKey: keys.primaryKey, tags: cfg.tags });
};
const FN = "aws:lambda/function:Function";

for (const preview of [false, true]) {
  const mode = preview ? "preview" : "update";

  test(`role-settings function: nodejs22.x, in the private subnets with the app security group, master secret ARN in env (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const fnRes = run.one(FN, "db-roles-settings");
    const fn = inputsOf(fnRes);
    assert.equal(fn.name, "duespark-prod-db-role-settings");
    assert.equal(fn.runtime, "nodejs22.x");
    assert.equal(fn.handler, "index.handler");
    assert.equal(fn.timeout, 60);
    const env = fn.environment.variables;
    assert.deepEqual(Object.keys(env).sort(), ["DB_HOST", "DB_PORT", "MASTER_SECRET_ARN"]);
    // The network has private subnets only.
    const subnets = run.all("aws:ec2/subnet:Subnet");
    const appSg = run.one("aws:ec2/securityGroup:SecurityGroup", "network-app");
    assert.deepEqual(fnRes.propertyDependencies.vpcConfig.sort(), [...subnets.map((s) => s.urn), appSg.urn].sort());
    const instance = run.one("aws:rds/instance:Instance");
    assert.deepEqual(fnRes.propertyDependencies.environment.sort(), [instance.urn]);
    const logGroup = run.one("aws:cloudwatch/logGroup:LogGroup", "db-roles-settings");
    assert.equal(inputsOf(logGroup).name, "/aws/lambda/duespark-prod-db-role-settings");
    assert.equal(inputsOf(logGroup).retentionInDays, 2557);
    assert.deepEqual(logGroup.propertyDependencies.kmsKeyId, [run.one("aws:kms/key:Key").urn]);
    for (const dep of [logGroup, run.one("aws:iam/rolePolicy:RolePolicy", "db-roles-settings"), run.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-roles-settings")]) {
      assert.ok(fnRes.dependencies.includes(dep.urn), `function waits for ${dep.type}`);
    }
    if (preview) {
      assert.equal(env.MASTER_SECRET_ARN, UNKNOWN);
    } else {
      assert.match(env.MASTER_SECRET_ARN, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
      assert.match(env.DB_HOST, /^duespark-prod\.c[0-9a-f]+\.us-east-1\.rds\.amazonaws\.com$/);
      assert.equal(env.DB_PORT, "5432");
      assert.deepEqual(fn.vpcConfig.securityGroupIds, [appSg.id]);
      assert.deepEqual([...fn.vpcConfig.subnetIds].sort(), subnets.map((s) => s.id).sort());
      assert.equal(subnets.length, 3);
    }
  });

  test(`role-settings IAM: GetSecretValue on the master secret only, Decrypt only through Secrets Manager, VPC access by managed policy (${mode})`, async () => {
    const run = await runMocked(build, { preview });
    const role = run.one("aws:iam/role:Role", "db-roles-settings");
    assert.deepEqual(jsonInput(role, "assumeRolePolicy").Statement, [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const attachment = run.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "db-roles-settings");
    assert.deepEqual(attachment.propertyDependencies.role, [role.urn]);
    const policy = run.one("aws:iam/rolePolicy:RolePolicy", "db-roles-settings");
    if (preview) {
      // The master secret ARN is only known once the instance exists.
      assert.equal(inputsOf(policy).policy, UNKNOWN);
      return;
    }
    assert.equal(inputsOf(attachment).policyArn, "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole");
    const doc = jsonInput(policy, "policy");
    const key = run.one("aws:kms/key:Key");
    assert.deepEqual(doc.Statement.map((s: any) => s.Sid), ["ReadMasterUserSecret", "DecryptMasterUserSecret"]);
    const [read, decrypt] = doc.Statement;
    assert.equal(read.Effect, "Allow");
    assert.equal(read.Action, "secretsmanager:GetSecretValue");
    assert.match(read.Resource, /^arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-/);
    assert.equal(decrypt.Action, "kms:Decrypt");
    assert.equal(decrypt.Resource, `arn:aws:kms:us-east-1:123456789012:key/${key.id}`);
    assert.deepEqual(decrypt.Condition, { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } });
    assert.ok(doc.Statement.every((s: any) => s.Resource !== "*" && !String(s.Action).includes("*")));
  });
}

test("role settings outside the allow-list stop the program before anything is declared", () => {
  const base = { database: {} as any, network: {} as any, kmsKey: {} as any, roles: [{} as any] };
  assert.throws(
    () => new RoleSettings("bad", { ...base, settings: [{ role: "developer_readonly", parameter: "search_path", value: "public" }] }),
    /RoleSettings: parameter "search_path" is not allowed; allowed: default_transaction_read_only, statement_timeout, idle_in_transaction_session_timeout, pgaudit.log, pgaudit.log_relation, log_statement/,
  );
  assert.throws(
    () => new RoleSettings("bad", { ...base, settings: [{ role: "developer_readonly", parameter: "default_transaction_read_only", value: "on'; DROP ROLE x; --" }] }),
    /RoleSettings: value .* of default_transaction_read_only for role developer_readonly is not allowed: expected on or off/,
  );
  assert.throws(
    () => new RoleSettings("bad", { ...base, settings: [{ role: 'Robert"); DROP', parameter: "pgaudit.log", value: "all" }] }),
    /RoleSettings: role .* is not allowed/,
  );
  assert.throws(() => new RoleSettings("bad", { ...base, roles: [], settings: [] }), /RoleSettings: roles is empty/);
});
