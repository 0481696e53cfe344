// Pure rules of the embeddable chat: which origins may host it (the tenant's allowlist, which is also the page's
// CSP frame-ancestors), and the session cookie's attributes.

/**
 * An origin as a browser sends it (`event.origin`, the Origin header): scheme, host, port; no path, no
 * credentials, no wildcard. Returns the normalised form, or null when the text is not one.
 */
export function normalizeOrigin(text: string): string | null {
  if (!/^https?:\/\/[^/?#*\s@]+\/?$/i.test(text)) return null;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  return url.origin === 'null' ? null : url.origin;
}

/** Whether a message or request from `origin` may hand the chat an identity (exact match, never a suffix). */
export function originAllowed(origin: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined) return false;
  const normal = normalizeOrigin(origin);
  return normal !== null && allowed.includes(normal);
}

/** The CSP `frame-ancestors` value: the allowlist, or 'none' when the tenant embeds the chat nowhere. */
export function frameAncestors(allowed: readonly string[]): string {
  return allowed.length === 0 ? "'none'" : allowed.join(' ');
}

export type CookieMode = 'embedded' | 'standalone';

/**
 * The session cookie's attributes. Embedded in another site's page the cookie is third-party: browsers send it only
 * as `SameSite=None; Secure`, and `Partitioned` (CHIPS) keeps it to that one host page, so it still works where
 * third-party cookies are blocked. The stand-alone page is first-party: `SameSite=Lax`, `Secure` when served over
 * https (the demo runs over http on loopback).
 */
export function sessionCookieAttributes(mode: CookieMode, secure: boolean, maxAgeSeconds: number): string {
  const common = `Path=/; HttpOnly; Max-Age=${maxAgeSeconds}`;
  if (mode === 'embedded') return `${common}; Secure; SameSite=None; Partitioned`;
  return `${common}; SameSite=Lax${secure ? '; Secure' : ''}`;
}
