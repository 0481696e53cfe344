// Masks secrets that may hide inside free text (an upstream error message, a URL, a stack): PEM private keys,
// Salesforce access tokens (`00D...!...`), bearer headers, JWT assertions, `oauth_token=` and password-like params.
// Redaction by path (logger.ts) covers known keys; this covers the values no path names.

const PATTERNS: readonly [RegExp, string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, '[REDACTED PRIVATE KEY]'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*/g, '[REDACTED PRIVATE KEY]'],
  // Salesforce session ids: the 15-char org id, '!', then the opaque part (may be URL-encoded as %21).
  [/\b00D[A-Za-z0-9]{12,15}(?:!|%21)[A-Za-z0-9._-]+/g, '[REDACTED TOKEN]'],
  [/\b(Bearer|OAuth)\s+[A-Za-z0-9._~+/=!-]+/gi, '$1 [REDACTED]'],
  // compact JWS (header.claims.signature) such as a JWT bearer assertion
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]+/g, '[REDACTED JWT]'],
  // webhook signing secrets casebridge makes (notify/webhook/signature.ts: `whsec_` + base64url)
  [/\bwhsec_[A-Za-z0-9_-]+/g, 'whsec_[REDACTED]'],
  // the bot API's platform keys (`cbk_<id>_<secret>`: the id stays, to tell keys apart) and employee sessions
  [/\b(cbk_[a-z0-9]{12})_[A-Za-z0-9_-]+/g, '$1_[REDACTED]'],
  [/\bcbs_[A-Za-z0-9_-]+/g, 'cbs_[REDACTED]'],
  [
    /\b(oauth_token|access_token|refresh_token|assertion|client_secret|password|token)=([^&\s"']+)/gi,
    '$1=[REDACTED]',
  ],
];

export function scrubSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

/**
 * Properties of database errors (PGlite, node-postgres) that carry the values of a statement: its parameters, the
 * row of a violated constraint (`Key (id)=(...)`), the parameter being converted (`where`). Never logged: the
 * parameters are tenant data and sealed secrets.
 */
const VALUE_BEARING_ERROR_KEYS = new Set([
  'params',
  'parameters',
  'values',
  'detail',
  'where',
  'internalQuery',
  'queryOptions',
]);

/** A database error's message may quote the offending value (`invalid input syntax for type integer: "..."`). */
function databaseMessage(error: Error): string {
  return 'severity' in error && 'routine' in error
    ? error.message.replace(/"[^"]*"/g, (quoted) => (/^"[A-Za-z0-9_]+"$/.test(quoted) ? quoted : '"…"'))
    : error.message;
}

/** Deep-copies a value with every string scrubbed (for log objects and error details). */
export function scrubValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return scrubSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item) => scrubValue(item, depth + 1));
  if (value instanceof Error) {
    const own = Object.fromEntries(
      Object.entries(value).filter(([key]) => !VALUE_BEARING_ERROR_KEYS.has(key)),
    );
    return {
      type: value.name,
      ...(scrubValue(own, depth + 1) as object),
      message: scrubSecrets(databaseMessage(value)),
    };
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) out[key] = scrubValue(item, depth + 1);
  return out;
}
