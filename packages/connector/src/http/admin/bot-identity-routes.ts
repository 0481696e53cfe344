// Admin API routes for a tenant's identity-token settings (the bot API's employee sign-in, docs/bot-api.md).

import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import type { BotIdentitySettingsService } from '../../services/bot/identity-settings.js';
import { parseBody } from './parse-body.js';

const tenantParams = z.strictObject({ id: z.string().min(1) });
const settingsBody = z.strictObject({
  issuer: z.string().min(1).max(500),
  audience: z.string().min(1).max(500),
  publicKeyPem: z.string().min(1).max(20_000).optional(),
  jwksUrl: z.string().min(1).max(2_000).optional(),
});

export type BotIdentityPort = Pick<BotIdentitySettingsService, 'set' | 'show'>;

export function registerBotIdentityRoutes(app: FastifyInstance, identity: BotIdentityPort): void {
  app.put('/v1/tenants/:id/bot-identity', async (request) => {
    const { id } = parseBody(tenantParams, request.params);
    const body = parseBody(settingsBody, request.body);
    return identity.set(id, {
      issuer: body.issuer,
      audience: body.audience,
      ...(body.publicKeyPem === undefined ? {} : { publicKeyPem: body.publicKeyPem }),
      ...(body.jwksUrl === undefined ? {} : { jwksUrl: body.jwksUrl }),
    });
  });
  app.get('/v1/tenants/:id/bot-identity', async (request) => ({
    settings: await identity.show(parseBody(tenantParams, request.params).id),
  }));
}
