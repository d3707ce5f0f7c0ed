/**
 * Credentials out of every message a command prints: whatever the user typed
 * (a URL of any scheme, a misplaced positional argument) may be echoed back by
 * an argument parser, a driver or a CLI, and a password must never reach a
 * terminal, a CI log or a bug report.
 */

const MASK = "***";
/** Query parameters that carry credentials in connection URLs (libpq, JDBC, ODBC, most drivers). */
const SECRET_PARAMS = "password|passwd|pwd|pass|sslpassword|secret|token|access_token|api_key|apikey";
const SCHEME = /[a-zA-Z][a-zA-Z0-9+.-]*:\/\//g;

/**
 * Masks the password of every scheme://user:password@ URL and the value of
 * every ?password=... style parameter. A password may hold characters that
 * end a URL anywhere else (quotes, '@', '/'), so the user info runs to the
 * last '@' before whitespace: masking too much is harmless, too little is not.
 */
export function redactCredentials(text: string): string {
  let out = "";
  let last = 0;
  for (const m of text.matchAll(SCHEME)) {
    const start = m.index! + m[0].length;
    if (start < last) continue;
    const rest = text.slice(start);
    const run = /^\S*/.exec(rest)![0];
    const at = run.lastIndexOf("@");
    const colon = run.indexOf(":");
    if (at < 0 || colon < 0 || colon > at) continue;
    out += text.slice(last, start + colon + 1) + MASK;
    last = start + at;
  }
  out += text.slice(last);
  return out.replace(new RegExp(`([?&;](?:${SECRET_PARAMS})=)[^&;#\\s'"]*`, "gi"), `$1${MASK}`);
}

/**
 * Passwords present in the command line (URL user info and ?password=
 * values, raw and percent-decoded), for masking verbatim wherever a library
 * quotes them without their URL around them.
 */
export function credentialsIn(argv: string[]): string[] {
  const found = new Set<string>();
  const add = (s: string) => {
    // Very short strings would mask ordinary words; the URL patterns above still cover them.
    if (s.length < 4) return;
    found.add(s);
    try {
      found.add(decodeURIComponent(s));
    } catch {
      // Undecodable percent-encoding: the raw form is all there is.
    }
  };
  for (const arg of argv) {
    for (const m of arg.matchAll(SCHEME)) {
      const run = /^\S*/.exec(arg.slice(m.index! + m[0].length))![0];
      const at = run.lastIndexOf("@");
      const colon = run.indexOf(":");
      if (at > colon && colon >= 0) add(run.slice(colon + 1, at));
    }
    for (const m of arg.matchAll(new RegExp(`[?&;](?:${SECRET_PARAMS})=([^&;#\\s]*)`, "gi"))) add(m[1]);
  }
  return [...found].sort((a, b) => b.length - a.length);
}

/** redactCredentials plus verbatim masking of the given secrets. */
export function redact(text: string, secrets: string[] = []): string {
  let out = redactCredentials(text);
  for (const s of secrets) out = out.split(s).join(MASK);
  return out;
}
