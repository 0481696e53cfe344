// Small HTTP pieces of the console: cookies, form bodies, security headers and the answers it sends.

import type { ApiRequest, ApiResult } from '../http/api-types.js';
import { header } from '../http/api-types.js';

/**
 * No inline script or style, nothing from elsewhere: the page's own stylesheet, script and icon, fetches to its own
 * origin, forms posting only to it, never framed.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function cookies(req: ApiRequest): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (header(req, 'cookie') ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!out.has(name)) out.set(name, part.slice(eq + 1).trim());
  }
  return out;
}

/** a console cookie: HttpOnly, SameSite=Strict, scoped to /console; `maxAge` 0 deletes it */
export function cookie(name: string, value: string, maxAgeSeconds?: number): string {
  const age = maxAgeSeconds === undefined ? '' : `; Max-Age=${maxAgeSeconds}`;
  return `${name}=${value}; Path=/console; HttpOnly; SameSite=Strict${age}`;
}

/** the urlencoded form of a POST, or undefined when the body is of another type */
export function formOf(req: ApiRequest): URLSearchParams | undefined {
  const type = (header(req, 'content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') return undefined;
  return new URLSearchParams(req.rawBody ?? '');
}

/**
 * A POST from another site is refused before its CSRF token is even looked at: browsers send `Origin` on POSTs and
 * `Sec-Fetch-Site` on every request; either naming another origin is enough.
 */
export function crossSite(req: ApiRequest): boolean {
  const site = header(req, 'sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none') return true;
  const origin = header(req, 'origin');
  const host = header(req, 'host');
  // One listener serves one scheme (http, or https with --https), so either scheme names this same origin.
  return (
    origin !== undefined &&
    (host === undefined || (origin !== `http://${host}` && origin !== `https://${host}`))
  );
}

export function htmlResult(status: number, body: string, extra: Record<string, string> = {}): ApiResult {
  return {
    status,
    body,
    headers: {
      ...SECURITY_HEADERS,
      'content-type': 'text/html;charset=UTF-8',
      'cache-control': 'no-store',
      ...extra,
    },
  };
}

export function redirect(location: string, extra: Record<string, string> = {}): ApiResult {
  return {
    status: 303,
    headers: { ...SECURITY_HEADERS, location, 'cache-control': 'no-store', ...extra },
  };
}

export function assetResult(type: string, body: string): ApiResult {
  return {
    status: 200,
    body,
    headers: { ...SECURITY_HEADERS, 'content-type': type, 'cache-control': 'no-cache' },
  };
}

/** a relative path inside the console to go back to after signing in; anything else becomes the case list */
export function safeNext(value: string | null | undefined): string {
  if (value === null || value === undefined) return '/console/cases';
  return /^\/console\/[A-Za-z0-9/?=&%._~+-]*$/.test(value) && !value.startsWith('//')
    ? value
    : '/console/cases';
}
