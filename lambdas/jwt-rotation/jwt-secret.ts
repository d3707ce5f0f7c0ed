/**
 * The JWT signing key secret: {"current", "previous", "previousValidUntil", "rotatedAt"}.
 * `previous`/`previousValidUntil` are always present (empty when there is no
 * overlap) so a reader can address them without a missing-key error.
 */
import { randomBytes } from "crypto";

export interface JwtSecret {
  current: string;
  previous: string;
  /** ISO 8601; until then the API still accepts tokens signed with `previous`. */
  previousValidUntil: string;
  rotatedAt: string;
}

/** 64 random bytes: well above the 32-byte minimum for HS256/HS512 keys. */
export const JWT_KEY_BYTES = 64;
export const JWT_MIN_KEY_BYTES = 32;

export function buildNextJwtSecret(
  current: Partial<JwtSecret> | undefined,
  now: Date,
  overlapMinutes: number,
  random: (n: number) => Buffer = randomBytes,
): JwtSecret {
  if (!Number.isInteger(overlapMinutes) || overlapMinutes < 0) throw new Error(`overlap minutes must be a whole number >= 0, got ${overlapMinutes}`);
  const key = random(JWT_KEY_BYTES).toString("base64url");
  const keepPrevious = overlapMinutes > 0 && typeof current?.current === "string" && current.current.length > 0;
  return {
    current: key,
    previous: keepPrevious ? current!.current! : "",
    previousValidUntil: keepPrevious ? new Date(now.getTime() + overlapMinutes * 60_000).toISOString() : "",
    rotatedAt: now.toISOString(),
  };
}

/** Rejects a pending value that must not become current. */
export function validateJwtSecret(s: Partial<JwtSecret> | undefined): asserts s is JwtSecret {
  if (!s || typeof s.current !== "string") throw new Error("pending JWT secret has no current key");
  if (!/^[A-Za-z0-9_-]+$/.test(s.current)) throw new Error("pending JWT key is not base64url");
  if (Buffer.from(s.current, "base64url").length < JWT_MIN_KEY_BYTES) throw new Error(`pending JWT key is shorter than ${JWT_MIN_KEY_BYTES} bytes`);
  if (typeof s.previous !== "string" || typeof s.previousValidUntil !== "string") throw new Error("pending JWT secret lacks previous/previousValidUntil");
  if (s.previous === s.current) throw new Error("pending JWT key equals the previous key");
  if (s.previous !== "" && Number.isNaN(Date.parse(s.previousValidUntil))) throw new Error("pending JWT secret keeps a previous key without a valid previousValidUntil");
}
