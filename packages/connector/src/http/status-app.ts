// The service's own HTTP API: liveness for the platform, and the status of every tenant for operators, behind a
// read-only token of its own (never the admin token: this server may face the network).

import type { FastifyInstance } from 'fastify';

import { ADMIN_STATUS_NOT_FOUND, ADMIN_STATUS_UNAUTHORIZED } from '../errors/codes/admin.js';
import type { Logger } from '../logging/logger.js';
import type { AdminOperations } from '../services/admin-operations.js';
import { createHttpServer } from './create-server.js';
import { ADMIN_LISTENER_CODES } from './error-handler.js';
import { parseBody } from './admin/parse-body.js';
import { registerMetrics, type MetricsDeps } from './metrics.js';
import { z } from 'zod';

export interface StatusAppDeps {
  ops: Pick<AdminOperations, 'status' | 'getJob'>;
  token: string;
  log: Logger;
  /** `GET /metrics` in the Prometheus text format (http/metrics.ts) */
  metrics?: MetricsDeps;
}

export function buildStatusApp(deps: StatusAppDeps): FastifyInstance {
  const app = createHttpServer({
    log: deps.log,
    component: 'status-api',
    token: deps.token,
    openPaths: ['/health'],
    // this server may face the network: its 401 says nothing of the admin token or where files live
    unauthorized: ADMIN_STATUS_UNAUTHORIZED,
    // nor does its 404 send a monitoring tool to the admin API's page
    errorCodes: { ...ADMIN_LISTENER_CODES, notFound: ADMIN_STATUS_NOT_FOUND },
  });
  app.get('/health', (_request, reply) => reply.send({ ok: true }));
  app.get('/v1/status', () => deps.ops.status());
  // a job started through the admin API or the CLI, as the store has it (any worker's status API answers alike)
  app.get('/v1/jobs/:jobId', (request) =>
    deps.ops.getJob(parseBody(z.strictObject({ jobId: z.string().min(1).max(200) }), request.params).jobId),
  );
  if (deps.metrics !== undefined) registerMetrics(app, deps.metrics);
  return app;
}
