import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { fixture, PackHarness, startPack, unknown } from "../../support/pack";

const POLICY = "access-session-logging";
const DOC = "aws:ssm/document:Document";
let pack: PackHarness;
before(async () => (pack = await startPack()));
after(() => pack.close());

const session = (inputs: Record<string, unknown>) =>
  JSON.stringify({ schemaVersion: "1.0", description: "Session Manager preferences", sessionType: "Standard_Stream", inputs });

test("compliant: JSON with encrypted S3 + KMS, YAML with encrypted CloudWatch + KMS, non-Session docs ignored", async () => {
  const json = session({ s3BucketName: "duespark-session-logs", s3EncryptionEnabled: true, kmsKeyId: "alias/duespark", runAsEnabled: true });
  assert.deepEqual(pack.of(await pack.analyze(fixture(DOC, "prefs", { documentType: "Session", documentFormat: "JSON", content: json })), POLICY), []);
  const yaml = "schemaVersion: '1.0'\nsessionType: Standard_Stream\ninputs:\n  cloudWatchLogGroupName: /duespark/sessions\n  cloudWatchEncryptionEnabled: true\n  kmsKeyId: alias/duespark\n";
  assert.deepEqual(pack.of(await pack.analyze(fixture(DOC, "prefs", { documentType: "Session", documentFormat: "YAML", content: yaml })), POLICY), []);
  assert.deepEqual(pack.of(await pack.analyze(fixture(DOC, "cmd", { documentType: "Command", content: "{}" })), POLICY), []);
});

test("non-compliant: S3 logging without encryption and no kmsKeyId", async () => {
  const r = await pack.analyze(fixture(DOC, "prefs", { documentType: "Session", content: session({ s3BucketName: "logs", s3EncryptionEnabled: false }) }));
  const messages = pack.mandatory(r, POLICY).map((d) => d.message);
  assert.equal(messages.length, 2);
  assert.match(messages[0], /logs to no encrypted destination/);
  assert.match(messages[1], /has no kmsKeyId/);
});

test("non-compliant: CloudWatch encryption on (as the string \"true\") but no log group", async () => {
  const yaml = "inputs:\n  cloudWatchEncryptionEnabled: 'true'\n  kmsKeyId: alias/duespark\n";
  const [v, ...rest] = pack.mandatory(await pack.analyze(fixture(DOC, "prefs", { documentType: "Session", documentFormat: "YAML", content: yaml })), POLICY);
  assert.equal(rest.length, 0);
  assert.match(v.message, /no encrypted destination: set s3BucketName with s3EncryptionEnabled true or cloudWatchLogGroupName/);
});

test("non-compliant: content that is not JSON", async () => {
  const [v] = pack.mandatory(await pack.analyze(fixture(DOC, "prefs", { documentType: "Session", content: "inputs: {" })), POLICY);
  assert.match(v.message, /content is not valid JSON/);
});

test("unknown content (bucket name from an output) defers", async () => {
  const r = await pack.analyze(fixture(DOC, "prefs", { documentType: "Session", documentFormat: "JSON", content: unknown }));
  assert.deepEqual(pack.mandatory(r, POLICY), []);
  assert.match(pack.advisory(r, POLICY)[0].message, /can't run policy 'access-session-logging'.*content can't be known/);
});
