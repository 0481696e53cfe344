// One log line per request (debug; warn for server errors): method, path without its query string, status and
// duration. Query strings and headers are never logged: they are where tokens travel.

import type { FastifyInstance } from 'fastify';

import type { Logger } from '../logging/logger.js';

export function logRequests(app: FastifyInstance, log: Logger, component: string): void {
  const http = log.child({ component });
  app.addHook('onResponse', (request, reply, done) => {
    const entry = {
      reqId: request.id,
      method: request.method,
      path: request.url.split('?')[0] ?? '',
      status: reply.statusCode,
      durationMs: Math.round(reply.elapsedTime),
    };
    if (reply.statusCode >= 500) http.warn(entry, 'request failed');
    else http.debug(entry, 'request');
    done();
  });
}
