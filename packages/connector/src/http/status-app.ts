// The service's own HTTP API: liveness for the platform, and the status of every tenant for operators.

import Fastify, { type FastifyInstance } from 'fastify';

import type { Logger } from '../logging/logger.js';
import type { AdminOperations } from '../services/admin-operations.js';
import { requireBearer } from './bearer-auth.js';
import { installErrorHandler } from './error-handler.js';
import { logRequests } from './request-log.js';

export interface StatusAppDeps {
  ops: Pick<AdminOperations, 'status'>;
  token: string;
  log: Logger;
}

export function buildStatusApp(deps: StatusAppDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  installErrorHandler(app, deps.log);
  logRequests(app, deps.log, 'status-api');
  requireBearer(app, deps.token, new Set(['/health']));
  app.get('/health', (_request, reply) => reply.send({ ok: true }));
  app.get('/v1/status', () => deps.ops.status());
  return app;
}
