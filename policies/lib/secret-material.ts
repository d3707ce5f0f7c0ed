/**
 * Recognising secret material in plaintext configuration (environment
 * variables, ConfigMap data) by the variable's name and by the shape of the
 * value. Callers report the variable name only: never put a value into a
 * message.
 */

/** Names that hold credentials. */
export const SECRET_NAME = /SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|DATABASE_URL|CREDENTIAL/i;

/** Names that point at a secret rather than hold one (ARN, name, path, mounted file). */
export const REFERENCE_NAME = /(_ARNS?|_NAMES?|_IDS?|_PATHS?|_FILES?|_REFS?|_KEY_IDS?)$/i;

const VALUE_SHAPES: [string, RegExp][] = [
  ["a Stripe live key", /\b[sr]k_live_[0-9A-Za-z]{8,}/],
  ["an AWS access key id", /\b(AKIA|ASIA)[0-9A-Z]{16}\b/],
  ["a PEM private key", /-----BEGIN [A-Z ]*PRIVATE KEY-----/],
  ["a connection string with a password", /\b[a-z][a-z0-9+.-]*:\/\/[^:/?#\s@]+:[^@/\s]+@/i],
  ["a Slack token", /\bxox[abprs]-[0-9A-Za-z-]{10,}/],
  ["a GitHub token", /\bgh[pousr]_[0-9A-Za-z]{30,}/],
];

/** What kind of secret material the value looks like, or undefined. */
export function secretShape(value: string): string | undefined {
  return VALUE_SHAPES.find(([, re]) => re.test(value))?.[0];
}

/**
 * Why a literal name=value pair is secret material in plaintext, or
 * undefined. Empty values and references (…_ARN, …_FILE) are fine.
 */
export function plaintextSecretReason(name: string, value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text === "") return undefined;
  const shape = secretShape(text);
  if (shape) return `its value looks like ${shape}`;
  if (SECRET_NAME.test(name) && !REFERENCE_NAME.test(name)) return "its name marks it as a credential and it holds a literal value";
  return undefined;
}
