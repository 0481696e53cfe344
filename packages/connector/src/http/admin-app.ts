// The admin API: what the CLI calls while a service holds the store. Loopback only, bearer token from a 0600 file.

import Fastify, { type FastifyInstance } from 'fastify';

import type { Logger } from '../logging/logger.js';
import type { AdminOperations } from '../services/admin-operations.js';
import { requireBearer } from './bearer-auth.js';
import { installErrorHandler } from './error-handler.js';
import { logRequests } from './request-log.js';
import { registerTenantRoutes } from './admin/tenant-routes.js';

export interface AdminAppDeps {
  ops: AdminOperations;
  token: string;
  log: Logger;
}

export function buildAdminApp(deps: AdminAppDeps): FastifyInstance {
  const app = Fastify({ logger: false, bodyLimit: 256 * 1024 });
  installErrorHandler(app, deps.log);
  logRequests(app, deps.log, 'admin-api');
  requireBearer(app, deps.token, new Set(['/v1/health']));
  app.get('/v1/health', (_request, reply) => reply.send({ ok: true }));
  registerTenantRoutes(app, deps.ops);
  return app;
}
