// Admin API route for an employee's reply to a case (what `casebridge cases reply` calls while a service holds the
// store). The bot API will call the reply service directly.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { AdminOperations } from '../../services/admin-operations.js';
import { parseBody } from './parse-body.js';

const tenantParams = z.strictObject({ id: z.string().min(1) });

const replyBody = z.strictObject({
  caseRef: z.string().min(1).max(40),
  email: z.string().min(3).max(254),
  // the admin API's body limit (256 KB) bounds a reply sent this way; the service itself takes up to 1,000 parts
  text: z.string().min(1),
  idempotencyKey: z.string().min(1).max(255),
});

export function registerReplyRoutes(app: FastifyInstance, ops: AdminOperations): void {
  app.post('/v1/tenants/:id/replies', async (request, reply) => {
    const { id } = parseBody(tenantParams, request.params);
    const body = parseBody(replyBody, request.body);
    const result = await ops.replyToCase({ tenantId: id, ...body });
    return reply.status(result.replayed ? 200 : 201).send(result);
  });
}
