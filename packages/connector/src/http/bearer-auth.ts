// Bearer-token check for the admin API, compared in constant time (Hono bearer-auth's habit).

import { createHash, timingSafeEqual } from 'node:crypto';

import type { FastifyInstance } from 'fastify';

import { appError } from '../errors/app-error.js';
import { ADMIN_UNAUTHORIZED } from '../errors/codes/admin.js';
import type { ErrorDefinition } from '../errors/define-error.js';

function digest(value: string): Buffer {
  // Hash both sides so the comparison is constant-time whatever the lengths.
  return createHash('sha256').update(value).digest();
}

export function requireBearer(
  app: FastifyInstance,
  token: string,
  openPaths: ReadonlySet<string> = new Set(),
  refusal: ErrorDefinition = ADMIN_UNAUTHORIZED,
  /** paths under these prefixes bring their own authentication (the console's session cookie) */
  openPrefixes: readonly string[] = [],
): void {
  const expected = digest(token);
  app.addHook('onRequest', (request, _reply, done) => {
    const path = request.url.split('?')[0] ?? '';
    if (openPaths.has(path)) return done();
    if (openPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return done();
    const match = /^Bearer (.+)$/.exec(request.headers.authorization ?? '');
    if (!match?.[1] || !timingSafeEqual(digest(match[1]), expected)) return done(appError(refusal));
    return done();
  });
}
