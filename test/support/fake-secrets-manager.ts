/**
 * An in-memory Secrets Manager behind a real SecretsManagerClient, faked at
 * the SDK boundary with aws-sdk-client-mock. It keeps versions and staging
 * labels the way the service does for rotation:
 *  - a rotation starts with a version that has the AWSPENDING label and no
 *    value yet (GetSecretValue on it is ResourceNotFoundException);
 *  - PutSecretValue with the same token and value is idempotent, with a
 *    different value it is rejected;
 *  - moving AWSCURRENT labels the old version AWSPREVIOUS.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";

interface Version {
  value?: string;
  stages: Set<string>;
}

export class FakeSecretsManager {
  readonly client = new SecretsManagerClient({ region: "us-east-1", credentials: { accessKeyId: "test", secretAccessKey: "test" } });
  readonly mock = mockClient(this.client);
  private readonly secrets = new Map<string, Map<string, Version>>();
  private counter = 0;

  constructor() {
    this.mock.on(DescribeSecretCommand).callsFake((i) => this.describe(i.SecretId));
    this.mock.on(GetSecretValueCommand).callsFake((i) => this.get(i.SecretId, i.VersionStage, i.VersionId));
    this.mock.on(PutSecretValueCommand).callsFake((i) => this.put(i.SecretId, i.ClientRequestToken, i.SecretString, i.VersionStages));
    this.mock.on(UpdateSecretVersionStageCommand).callsFake((i) => this.move(i.SecretId, i.VersionStage, i.MoveToVersionId, i.RemoveFromVersionId));
  }

  private versions(secretId: string): Map<string, Version> {
    const v = this.secrets.get(secretId);
    if (!v) throw new ResourceNotFoundException({ message: `Secrets Manager can't find the specified secret: ${secretId}`, $metadata: {} });
    return v;
  }

  /** Creates a secret whose AWSCURRENT version holds `value`. */
  create(secretId: string, value: unknown): string {
    const id = `v${++this.counter}-initial`;
    this.secrets.set(secretId, new Map([[id, { value: JSON.stringify(value), stages: new Set(["AWSCURRENT"]) }]]));
    return id;
  }

  /** What RotateSecret does before invoking the function: a new AWSPENDING version without a value. */
  startRotation(secretId: string, token = `token-${++this.counter}`): string {
    const versions = this.versions(secretId);
    for (const v of versions.values()) v.stages.delete("AWSPENDING");
    versions.set(token, { stages: new Set(["AWSPENDING"]) });
    return token;
  }

  stagesOf(secretId: string): Record<string, string[]> {
    return Object.fromEntries([...this.versions(secretId)].filter(([, v]) => v.stages.size).map(([id, v]) => [id, [...v.stages].sort()]));
  }

  valueAt(secretId: string, stage: string): any {
    const found = [...this.versions(secretId).values()].find((v) => v.stages.has(stage));
    return found?.value === undefined ? undefined : JSON.parse(found.value);
  }

  /** Overwrites the value of a version (to simulate a tampered or broken pending secret). */
  setValue(secretId: string, versionId: string, value: unknown): void {
    const v = this.versions(secretId).get(versionId);
    if (!v) throw new Error(`no version ${versionId}`);
    v.value = JSON.stringify(value);
  }

  private describe(secretId: string) {
    const versions = this.versions(secretId);
    return {
      ARN: secretId,
      Name: secretId.split(":").pop(),
      RotationEnabled: true,
      VersionIdsToStages: Object.fromEntries([...versions].filter(([, v]) => v.stages.size).map(([id, v]) => [id, [...v.stages]])),
    };
  }

  private get(secretId: string, stage?: string, versionId?: string) {
    const versions = this.versions(secretId);
    const entry = versionId
      ? [versionId, versions.get(versionId)] as const
      : [...versions].find(([, v]) => v.stages.has(stage ?? "AWSCURRENT")) ?? [undefined, undefined];
    const [id, v] = entry;
    if (!id || !v || v.value === undefined || (stage && !v.stages.has(stage))) {
      throw new ResourceNotFoundException({ message: `Secrets Manager can't find the specified secret value for staging label: ${stage ?? "AWSCURRENT"}`, $metadata: {} });
    }
    return { ARN: secretId, VersionId: id, SecretString: v.value, VersionStages: [...v.stages] };
  }

  private put(secretId: string, token: string, value: string, stages: string[] = ["AWSCURRENT"]) {
    const versions = this.versions(secretId);
    const existing = versions.get(token);
    if (existing?.value !== undefined) {
      if (existing.value !== value) throw new ResourceExistsException({ message: `version ${token} already exists with a different value`, $metadata: {} });
      return { ARN: secretId, VersionId: token, VersionStages: [...existing.stages] };
    }
    for (const stage of stages) for (const v of versions.values()) v.stages.delete(stage);
    const version = existing ?? { stages: new Set<string>() };
    version.value = value;
    for (const s of stages) version.stages.add(s);
    versions.set(token, version);
    return { ARN: secretId, VersionId: token, VersionStages: [...version.stages] };
  }

  private move(secretId: string, stage: string, to?: string, from?: string) {
    const versions = this.versions(secretId);
    if (to && !versions.has(to)) throw new ResourceNotFoundException({ message: `no version ${to}`, $metadata: {} });
    const holder = [...versions].find(([, v]) => v.stages.has(stage));
    if (holder && holder[0] !== from && to) {
      throw new Error(`InvalidParameterException: ${stage} is attached to ${holder[0]}, not ${String(from)}`);
    }
    if (from) {
      versions.get(from)?.stages.delete(stage);
      if (stage === "AWSCURRENT") {
        for (const v of versions.values()) v.stages.delete("AWSPREVIOUS");
        versions.get(from)?.stages.add("AWSPREVIOUS");
      }
    }
    if (to) {
      const target = versions.get(to)!;
      target.stages.add(stage);
      // The service leaves AWSPENDING on the new current version; rotation clients ignore it.
    }
    return { ARN: secretId, Name: secretId };
  }
}
