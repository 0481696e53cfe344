// How a request to the bot API carries its employee session: `Authorization: Bearer cbs_…` (bot platforms), or the
// web chat's HttpOnly cookie. A cookie is sent by the browser on its own, so with it every write must also carry the
// CSRF token, which only a page of casebridge's origin can read (GET /chat/:tenant/session; no CORS on this
// listener). The token is derived from the session, so any worker checks it without shared state.

import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyRequest } from 'fastify';

import { appError } from '../../errors/app-error.js';
import { BOT_SESSION_INVALID } from '../../errors/codes/bot.js';
import { CHAT_CSRF_REFUSED } from '../../errors/codes/chat.js';

export const SESSION_COOKIE = 'cb_session';
export const CSRF_HEADER = 'x-casebridge-csrf';

/** The CSRF token of a session: a hash under its own label, so it reveals nothing of the session or its stored hash. */
export function csrfTokenOf(session: string): string {
  return createHash('sha256').update(`casebridge chat csrf\0${session}`).digest('base64url');
}

/** The value of one cookie in a Cookie header (RFC 6265 §5.4: `name=value` pairs separated by `; `). */
export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the request carries the web chat's session cookie (it then needs no platform API key). */
export function hasChatCookie(request: FastifyRequest): boolean {
  const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
  return cookie !== undefined && cookie !== '';
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * The session token of a request: the Bearer header, else the chat cookie (with the CSRF token checked on every
 * write). Throws BOT_SESSION_INVALID when there is neither.
 */
export function sessionTokenOf(request: FastifyRequest): string {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer (\S+)$/.exec(authorization);
    if (!match?.[1])
      throw appError(BOT_SESSION_INVALID, { params: { reason: 'a malformed Authorization header' } });
    return match[1];
  }
  const cookie = cookieValue(request.headers.cookie, SESSION_COOKIE);
  if (cookie === undefined || cookie === '')
    throw appError(BOT_SESSION_INVALID, { params: { reason: 'no session in the Authorization header' } });
  if (!SAFE_METHODS.has(request.method)) {
    const sent = request.headers[CSRF_HEADER];
    if (typeof sent !== 'string' || !sameText(sent, csrfTokenOf(cookie))) throw appError(CHAT_CSRF_REFUSED);
  }
  return cookie;
}
