// The admin API: what the CLI calls while a service holds the store. Loopback only, bearer token from a 0600 file.

import type { FastifyInstance } from 'fastify';

import type { Logger } from '../logging/logger.js';
import type { AdminOperations } from '../services/admin-operations.js';
import { createHttpServer } from './create-server.js';
import { registerTenantRoutes } from './admin/tenant-routes.js';
import { registerWebhookRoutes } from './admin/webhook-routes.js';
import { registerReplyRoutes } from './admin/reply-routes.js';
import { registerKnowledgeRoutes, type KnowledgeSearchPort } from './admin/knowledge-routes.js';
import { registerJobRoutes } from './admin/job-routes.js';
import { registerConversationRoutes } from './admin/conversation-routes.js';
import { registerBotIdentityRoutes, type BotIdentityPort } from './admin/bot-identity-routes.js';
import { registerConsole, type ConsoleDeps } from './console/console-routes.js';
import { registerBotKeyRoutes, type BotKeyPort } from './admin/bot-key-routes.js';

export interface AdminAppDeps {
  ops: AdminOperations;
  token: string;
  log: Logger;
  /** knowledge search over the service's own index (the CLI's `knowledge search` while the service runs) */
  knowledge?: KnowledgeSearchPort;
  /** a tenant's identity-token settings for the bot API */
  botIdentity?: BotIdentityPort;
  /** the operator console under /console (its own session cookie) and `POST /v1/console/links` */
  console?: ConsoleDeps;
  /** the bot platforms' API keys */
  botKeys?: BotKeyPort;
}

export function buildAdminApp(deps: AdminAppDeps): FastifyInstance {
  const app = createHttpServer({
    log: deps.log,
    component: 'admin-api',
    token: deps.token,
    openPaths: ['/v1/health'],
    ...(deps.console === undefined ? {} : { openPrefixes: ['/console'] }),
  });
  app.get('/v1/health', (_request, reply) => reply.send({ ok: true }));
  registerTenantRoutes(app, deps.ops);
  registerWebhookRoutes(app, deps.ops);
  registerReplyRoutes(app, deps.ops);
  if (deps.knowledge !== undefined) registerKnowledgeRoutes(app, deps.knowledge);
  registerJobRoutes(app, deps.ops);
  registerConversationRoutes(app, deps.ops);
  if (deps.botIdentity !== undefined) registerBotIdentityRoutes(app, deps.botIdentity);
  if (deps.console !== undefined) {
    registerConsole(app, deps.console);
    const access = deps.console.access;
    // behind the admin token: the CLI's `casebridge console` asks the running service for a one-time link
    app.post('/v1/console/links', async (_request, reply) => {
      const link = await access.mintLink();
      return reply.status(201).send({ path: `/console/login?t=${link.token}`, expiresAt: link.expiresAt });
    });
  }
  if (deps.botKeys !== undefined) registerBotKeyRoutes(app, deps.botKeys);
  return app;
}
