// Admin API routes for the bot platform's API keys (docs/bot-api.md): made and rotated keys are answered once with
// their secret; listing shows names, public prefixes and states only.

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { BotAdminOperations } from '../../services/bot/bot-admin.js';
import { parseBody } from './parse-body.js';

const tenantParams = z.strictObject({ id: z.string().min(1) });
const keyParams = z.strictObject({ id: z.string().min(1), name: z.string().min(1).max(200) });
const createBody = z.strictObject({ name: z.string().min(1).max(200) });

export type BotKeyPort = Pick<
  BotAdminOperations,
  'createKey' | 'listKeys' | 'rotateKey' | 'finishKeyRotation' | 'revokeKey'
>;

export function registerBotKeyRoutes(app: FastifyInstance, keys: BotKeyPort): void {
  app.post('/v1/tenants/:id/bot-keys', async (request, reply) => {
    const { id } = parseBody(tenantParams, request.params);
    const { name } = parseBody(createBody, request.body);
    void reply.status(201);
    return keys.createKey(id, name);
  });
  app.get('/v1/tenants/:id/bot-keys', async (request) => ({
    keys: await keys.listKeys(parseBody(tenantParams, request.params).id),
  }));
  app.post('/v1/tenants/:id/bot-keys/:name/rotation', async (request, reply) => {
    const { id, name } = parseBody(keyParams, request.params);
    void reply.status(201);
    return keys.rotateKey(id, name);
  });
  app.post('/v1/tenants/:id/bot-keys/:name/rotation/finish', async (request) => {
    const { id, name } = parseBody(keyParams, request.params);
    return { keys: await keys.finishKeyRotation(id, name) };
  });
  app.delete('/v1/tenants/:id/bot-keys/:name', async (request) => {
    const { id, name } = parseBody(keyParams, request.params);
    return keys.revokeKey(id, name);
  });
}
