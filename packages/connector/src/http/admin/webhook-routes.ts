// Admin API routes for a tenant's webhook (URL, secret rotation, test event) and the outbox's dead letters.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { AdminOperations } from '../../services/admin-operations.js';
import { parseBody } from './parse-body.js';

const tenantParams = z.strictObject({ id: z.string().min(1) });
const messageParams = z.strictObject({ messageId: z.string().min(1).max(20) });

export function registerWebhookRoutes(app: FastifyInstance, ops: AdminOperations): void {
  app.put('/v1/tenants/:id/webhook', async (request) => {
    const { id } = parseBody(tenantParams, request.params);
    const { url } = parseBody(z.strictObject({ url: z.string().min(1).max(2_000) }), request.body);
    return ops.setWebhook(id, url);
  });

  app.get('/v1/tenants/:id/webhook', async (request) =>
    ops.showWebhook(parseBody(tenantParams, request.params).id),
  );

  app.delete('/v1/tenants/:id/webhook', async (request, reply) => {
    await ops.removeWebhook(parseBody(tenantParams, request.params).id);
    return reply.status(204).send();
  });

  app.post('/v1/tenants/:id/webhook/secret-rotation', async (request) =>
    ops.rotateWebhookSecret(parseBody(tenantParams, request.params).id),
  );

  app.post('/v1/tenants/:id/webhook/secret-rotation/finish', async (request) =>
    ops.finishWebhookRotation(parseBody(tenantParams, request.params).id),
  );

  app.post('/v1/tenants/:id/webhook/test', async (request) =>
    ops.testWebhook(parseBody(tenantParams, request.params).id),
  );

  app.get('/v1/outbox/dead', async (request) => {
    const { tenant } = parseBody(z.strictObject({ tenant: z.string().min(1).optional() }), request.query);
    return ops.listDeadLetters(tenant);
  });

  app.post('/v1/outbox/dead/retry', async (request) => {
    const { tenant } = parseBody(
      z.strictObject({ tenant: z.string().min(1).optional() }),
      request.body ?? {},
    );
    return ops.retryDeadLetters(tenant === undefined ? { all: true } : { all: true, tenantId: tenant });
  });

  app.post('/v1/outbox/dead/:messageId/retry', async (request) =>
    ops.retryDeadLetters({ id: parseBody(messageParams, request.params).messageId }),
  );
}
