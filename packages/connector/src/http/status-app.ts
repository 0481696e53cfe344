// The service's own HTTP API: liveness for the platform, and the status of every tenant for operators.

import Fastify, { type FastifyInstance } from 'fastify';

import type { Logger } from '../logging/logger.js';
import { collectStatus, type StatusDeps } from '../services/status-service.js';
import { requireBearer } from './bearer-auth.js';
import { installErrorHandler } from './error-handler.js';

export interface StatusAppDeps extends StatusDeps {
  /** the job runner's view of every tenant's recurring work */
  jobs: () => unknown[];
  token: string;
  log: Logger;
}

export function buildStatusApp(deps: StatusAppDeps): FastifyInstance {
  const app = Fastify({ logger: false });
  installErrorHandler(app, deps.log);
  requireBearer(app, deps.token, new Set(['/health']));
  app.get('/health', (_request, reply) => reply.send({ ok: true }));
  app.get('/v1/status', async () => ({ ...(await collectStatus(deps)), jobs: deps.jobs() }));
  return app;
}
