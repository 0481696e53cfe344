// Admin API routes for on-demand jobs: start one for a tenant (202 with the job), read one, list recent ones.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { AdminOperations } from '../../services/admin-operations.js';
import { parseBody } from './parse-body.js';

const tenantParams = z.strictObject({ id: z.string().min(1) });
const jobParams = z.strictObject({ jobId: z.string().min(1).max(200) });
const startBody = z.strictObject({ kind: z.string().min(1).max(200) });
const listQuery = z.strictObject({ tenant: z.string().min(1).optional() });

export function registerJobRoutes(
  app: FastifyInstance,
  ops: Pick<AdminOperations, 'startJob' | 'getJob' | 'listJobs'>,
): void {
  app.post('/v1/tenants/:id/jobs', async (request, reply) => {
    const { id } = parseBody(tenantParams, request.params);
    const { kind } = parseBody(startBody, request.body);
    return reply.status(202).send(await ops.startJob(id, kind));
  });

  app.get('/v1/jobs/:jobId', async (request) => ops.getJob(parseBody(jobParams, request.params).jobId));

  app.get('/v1/jobs', async (request) => {
    const { tenant } = parseBody(listQuery, request.query);
    return ops.listJobs(tenant === undefined ? {} : { tenantId: tenant });
  });
}
