/**
 * Every stack has a policy config (stacks/policy-config.<stack>.json, the
 * file `pulumi preview --policy-pack-config` takes and the offline preview
 * reads by default). It validates against the schemas the pack serves, and
 * the thresholds that depend on the stack agree with the stack file: a DR
 * region or an MFA mode that drifted from the stack would make a policy
 * check the wrong thing without failing.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, test } from "node:test";
import { listStacks, readProject } from "../../tools/preview/stack-file";
import { readPolicyConfigFile, resolvePolicyConfig } from "../../tools/preview/policy-config";
import { fixture, PackHarness, startPack } from "../support/pack";
import { ROOT, stackConfig } from "../support/mocks";

const project = readProject(ROOT);
const STACK_DIR = path.join(ROOT, project.stackConfigDir);
const STACKS = listStacks(project);
const configFile = (stack: string) => path.join(STACK_DIR, `policy-config.${stack}.json`);

let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

test("the stack list is read from the stack folder", () => {
  for (const s of ["dev", "staging", "prod", "prod-dr"]) assert.ok(STACKS.includes(s), `${s} is missing from ${STACK_DIR}`);
});

test("every stack has a policy config and every policy config has a stack", () => {
  const missing = STACKS.filter((s) => !fs.existsSync(configFile(s)));
  assert.deepEqual(missing, [], `stacks without ${project.stackConfigDir}/policy-config.<stack>.json`);
  const orphans = fs
    .readdirSync(STACK_DIR)
    .map((f) => /^policy-config\.(.+)\.json$/.exec(f)?.[1])
    .filter((s): s is string => !!s && !STACKS.includes(s));
  assert.deepEqual(orphans, []);
});

for (const stack of STACKS) {
  test(`${stack}: the policy config validates against the pack's config schemas`, () => {
    const raw = readPolicyConfigFile(configFile(stack));
    const resolved = resolvePolicyConfig(pack.info, raw, configFile(stack));
    // One entry per policy of the pack, all still mandatory (the file sets thresholds, not levels).
    assert.equal(Object.keys(resolved.entries).length, pack.info.policies.length);
    for (const [name, entry] of Object.entries(resolved.entries)) assert.equal(entry.enforcementLevel, "mandatory", name);
    // Thresholds only: no "all" override, no enforcement level in any entry, no exceptions.
    assert.equal(raw.all, undefined);
    for (const [name, value] of Object.entries(raw)) {
      assert.equal(typeof value, "object", `${name} must be an object of thresholds`);
      assert.equal((value as Record<string, unknown>).enforcementLevel, undefined, name);
    }
    assert.deepEqual(resolved.exceptions, []);
  });

  test(`${stack}: stack-dependent thresholds agree with Pulumi.${stack}.yaml`, () => {
    const cfg = stackConfig(stack);
    const raw = readPolicyConfigFile(configFile(stack)) as Record<string, Record<string, unknown>>;
    assert.equal(raw["secrets-replicated"]?.drRegion, cfg.drRegion);
    assert.notEqual(raw["secrets-replicated"]?.drRegion, cfg.region, "the DR region must differ from the stack's region");
    assert.equal(raw["access-mfa-for-shell"]?.mfaEnforcedAtIdentityProvider, cfg.access.mfaEnforcement === "identity-provider");
    assert.equal(raw["pg-admin-group-size"]?.adminGroup, cfg.database.adminGroup);
    assert.equal(raw["pg-readonly-default-owner"]?.ownerRole, cfg.database.ownerRole);
    for (const policy of ["pg-readonly-default-owner", "pg-readonly-privileges", "pg-readonly-role-attributes"]) {
      assert.deepEqual(raw[policy]?.readonlyRoles, [cfg.database.readonlyRole.name], policy);
    }
  });

  test(`${stack}: the pack applies the stack's DR region and MFA mode`, async () => {
    const cfg = stackConfig(stack);
    await pack.configure(readPolicyConfigFile(configFile(stack)));
    try {
      // Replicated, but to neither the stack's region nor its DR region.
      const elsewhere = cfg.drRegion === "eu-west-1" ? "eu-central-1" : "eu-west-1";
      const secret = fixture("aws:secretsmanager/secret:Secret", "s", {
        region: cfg.region,
        kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k",
        replicas: [{ region: elsewhere, kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/r" }],
      });
      const [v] = pack.mandatory(await pack.analyze(secret), "secrets-replicated");
      assert.ok(v, "a replica outside the DR region must be reported");
      assert.match(v.message, new RegExp(`not to the DR region ${cfg.drRegion}`));

      const shell = fixture("aws:iam/policy:Policy", "p", {
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ssm:StartSession", Resource: "*" }] }),
      });
      const mfa = pack.mandatory(await pack.analyze(shell), "access-mfa-for-shell");
      assert.equal(mfa.length, cfg.access.mfaEnforcement === "identity-provider" ? 0 : 1);
    } finally {
      await pack.configure({});
    }
  });
}

test("validation is real: a misspelt threshold or a wrong type is rejected", () => {
  assert.throws(() => resolvePolicyConfig(pack.info, { "secrets-replicated": { drregion: "us-west-2" } }, "typo"), /secrets-replicated\.drregion: unknown property/);
  assert.throws(() => resolvePolicyConfig(pack.info, { "access-mfa-for-shell": { mfaEnforcedAtIdentityProvider: "yes" } }, "type"), /expected boolean/);
  assert.throws(() => resolvePolicyConfig(pack.info, { "secrets-replicatd": { drRegion: "us-west-2" } }, "name"), /no such policy/);
});
