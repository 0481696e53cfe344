// Every HTTP server of the service starts the same way: Fastify without its own logger, framework errors (a path
// too long for the router, a malformed URL) in our error shape, the one error handler, one log line per request,
// and bearer-token auth except on the listed open paths.

import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

import { appError } from '../errors/app-error.js';
import { ADMIN_BAD_REQUEST } from '../errors/codes/admin.js';
import type { Logger } from '../logging/logger.js';
import { requireBearer } from './bearer-auth.js';
import { installErrorHandler, wireError } from './error-handler.js';
import { logRequests } from './request-log.js';

export interface ServerOptions {
  log: Logger;
  /** names the server in log lines */
  component: string;
  token: string;
  openPaths: string[];
  bodyLimit?: number;
}

export function createHttpServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    logger: false,
    bodyLimit: options.bodyLimit ?? 256 * 1024,
    // Errors raised before routing never reach setErrorHandler; without this they leave in Fastify's own shape.
    frameworkErrors: (err, _request, reply) => {
      const error = appError(ADMIN_BAD_REQUEST, { params: { summary: err.message } });
      // the hook's reply type is generic over route schemas it cannot know yet
      void (reply as FastifyReply).status(error.httpStatus).send(wireError(error));
    },
  });
  installErrorHandler(app, options.log);
  logRequests(app, options.log, options.component);
  requireBearer(app, options.token, new Set(options.openPaths));
  return app;
}
