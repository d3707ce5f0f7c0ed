/**
 * An in-memory Secrets Manager behind aws-sdk-client-mock: versions with
 * staging labels, enough of the API for the rotation protocol.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  ListSecretVersionIdsCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";

interface Version {
  value: string;
  stages: string[];
  created: Date;
}

function notFound(msg: string): Error {
  const e = new Error(msg);
  e.name = "ResourceNotFoundException";
  return e;
}

export class FakeSecretsManager {
  readonly client = new SecretsManagerClient({ region: "us-east-1" });
  readonly mock = mockClient(this.client);
  readonly secrets = new Map<string, Map<string, Version>>();
  readonly calls: string[] = [];

  constructor() {
    this.mock.on(DescribeSecretCommand).callsFake((i) => {
      this.calls.push("DescribeSecret");
      const versions = this.versions(i.SecretId);
      return { ARN: i.SecretId, RotationEnabled: true, VersionIdsToStages: Object.fromEntries([...versions].filter(([, v]) => v.stages.length).map(([id, v]) => [id, [...v.stages]])) };
    });
    this.mock.on(GetSecretValueCommand).callsFake((i) => {
      this.calls.push("GetSecretValue");
      const versions = this.versions(i.SecretId);
      for (const [id, v] of versions) {
        if (i.VersionId && i.VersionId !== id) continue;
        if (i.VersionStage && !v.stages.includes(i.VersionStage)) continue;
        if (!i.VersionId && !i.VersionStage && !v.stages.includes("AWSCURRENT")) continue;
        return { ARN: i.SecretId, VersionId: id, SecretString: v.value, VersionStages: [...v.stages] };
      }
      throw notFound(`Secrets Manager can't find the specified secret value for staging label: ${i.VersionStage}`);
    });
    this.mock.on(PutSecretValueCommand).callsFake((i) => {
      this.calls.push("PutSecretValue");
      const versions = this.versions(i.SecretId);
      const existing = versions.get(i.ClientRequestToken);
      if (existing && existing.value !== "" && existing.value !== i.SecretString) throw Object.assign(new Error("token in use with a different value"), { name: "ResourceExistsException" });
      const stages = i.VersionStages ?? ["AWSCURRENT"];
      for (const v of versions.values()) v.stages = v.stages.filter((s) => !stages.includes(s));
      versions.set(i.ClientRequestToken, { value: i.SecretString, stages: [...new Set([...(existing?.stages ?? []), ...stages])], created: new Date() });
      return { ARN: i.SecretId, VersionId: i.ClientRequestToken };
    });
    this.mock.on(UpdateSecretVersionStageCommand).callsFake((i) => {
      this.calls.push("UpdateSecretVersionStage");
      const versions = this.versions(i.SecretId);
      if (i.VersionStage === "AWSCURRENT") {
        for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== "AWSPREVIOUS");
        const from = i.RemoveFromVersionId ? versions.get(i.RemoveFromVersionId) : undefined;
        if (from) from.stages = [...from.stages.filter((s) => s !== "AWSCURRENT"), "AWSPREVIOUS"];
      }
      const to = versions.get(i.MoveToVersionId);
      if (!to) throw notFound("no such version");
      for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== i.VersionStage);
      to.stages.push(i.VersionStage);
      return {};
    });
    this.mock.on(ListSecretVersionIdsCommand).callsFake((i) => {
      this.calls.push("ListSecretVersionIds");
      return { Versions: [...this.versions(i.SecretId)].map(([id, v]) => ({ VersionId: id, VersionStages: [...v.stages], CreatedDate: v.created })) };
    });
  }

  versions(secretId: string): Map<string, Version> {
    let v = this.secrets.get(secretId);
    if (!v) {
      v = new Map();
      this.secrets.set(secretId, v);
    }
    return v;
  }

  /** Puts a version directly (test setup). */
  put(secretId: string, versionId: string, value: unknown, stages: string[], created = new Date()): void {
    const versions = this.versions(secretId);
    for (const v of versions.values()) v.stages = v.stages.filter((s) => !stages.includes(s));
    versions.set(versionId, { value: typeof value === "string" ? value : JSON.stringify(value), stages, created });
  }

  /** What Secrets Manager does when a rotation starts: the token is staged AWSPENDING (no value yet). */
  startRotation(secretId: string, token: string): void {
    const versions = this.versions(secretId);
    for (const v of versions.values()) v.stages = v.stages.filter((s) => s !== "AWSPENDING");
    versions.set(token, { value: "", stages: ["AWSPENDING"], created: new Date() });
  }

  stagedJson(secretId: string, stage: string): any {
    for (const v of this.versions(secretId).values()) if (v.stages.includes(stage) && v.value) return JSON.parse(v.value);
    return undefined;
  }
}
