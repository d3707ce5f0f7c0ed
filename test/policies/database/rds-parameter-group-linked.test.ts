import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown, urnOf } from "../../support/pack";

const POLICY = "rds-parameter-group-linked";
const DB = "aws:rds/instance:Instance";
const PG = "aws:rds/parameterGroup:ParameterGroup";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const group = (name: string, forceSsl: string) =>
  fixture(PG, name, { family: "postgres16", parameters: [{ name: "rds.force_ssl", value: forceSsl }, { name: "shared_preload_libraries", value: "pgaudit" }] });
/** parameterGroupName is the group's computed name: unknown in a preview, linked by URN. */
const db = (name: string, groupName?: string, props: Record<string, unknown> = {}) =>
  fixture(DB, name, { engine: "postgres", ...(groupName ? { parameterGroupName: unknown } : {}), ...props }, groupName ? { propertyDependencies: { parameterGroupName: [urnOf(PG, groupName)] } } : {});

test("compliant: instance linked by URN to a TLS + pgaudit group; literal name also resolves", async () => {
  assert.deepEqual(pack.of(await pack.analyzeStack([group("pg", "1"), db("db", "pg")]), POLICY), []);
  const literal = fixture(PG, "pg", { name: "duespark-pg16", family: "postgres16", parameters: [{ name: "rds.force_ssl", value: "1" }, { name: "shared_preload_libraries", value: "pgaudit" }] });
  assert.deepEqual(pack.of(await pack.analyzeStack([literal, db("db", undefined, { parameterGroupName: "duespark-pg16" })]), POLICY), []);
});

test("non-compliant: linked group does not force TLS", async () => {
  const [v] = pack.mandatory(await pack.analyzeStack([group("pg", "0"), db("db", "pg")]), POLICY);
  assert.equal(v.urn, urnOf(DB, "db"));
  assert.match(v.message, /RDS instance db uses parameter group pg, where rds\.force_ssl is "0"/);
});

test("non-compliant: default group, and a group name the stack does not declare", async () => {
  const r = await pack.analyzeStack([db("a"), db("b", undefined, { parameterGroupName: "default.postgres16" })]);
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /RDS instance a uses the default parameter group/);
  assert.match(messages[1], /RDS instance b uses parameter group "default\.postgres16", which this stack does not declare/);
});

test("unknown group parameters defer", async () => {
  const r = await pack.analyzeStack([fixture(PG, "pg", { family: "postgres16", parameters: unknown }), db("db", "pg")]);
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'rds-parameter-group-linked'/);
});
