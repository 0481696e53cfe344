// Admin API routes for the bot's conversations: who has one, one employee's exported whole, or deleted.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { AdminOperations } from '../../services/admin-operations.js';
import { parseBody } from './parse-body.js';

const tenantParams = z.strictObject({ id: z.string().min(1) });
const employeeParams = z.strictObject({ id: z.string().min(1), employee: z.string().min(1).max(320) });

export function registerConversationRoutes(app: FastifyInstance, ops: AdminOperations): void {
  app.get('/v1/tenants/:id/conversations', async (request) =>
    ops.listConversations(parseBody(tenantParams, request.params).id),
  );

  app.get('/v1/tenants/:id/conversations/:employee', async (request) => {
    const { id, employee } = parseBody(employeeParams, request.params);
    return ops.exportConversation(id, employee);
  });

  app.delete('/v1/tenants/:id/conversations/:employee', async (request) => {
    const { id, employee } = parseBody(employeeParams, request.params);
    return ops.deleteConversation(id, employee);
  });
}
