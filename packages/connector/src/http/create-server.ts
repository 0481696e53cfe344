// Every HTTP server of the service starts the same way: Fastify without its own logger, framework errors (a path
// too long for the router, a malformed URL) in our error shape, the one error handler, one log line per request,
// and bearer-token auth except on the listed open paths.

import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';

import { appError } from '../errors/app-error.js';
import type { ErrorDefinition } from '../errors/define-error.js';
import type { Logger } from '../logging/logger.js';
import { requireBearer } from './bearer-auth.js';
import {
  ADMIN_LISTENER_CODES,
  installErrorHandler,
  wireError,
  type ListenerErrorCodes,
} from './error-handler.js';
import { logRequests } from './request-log.js';
import { refuseUnsafeInput } from './refuse-unsafe-input.js';

export interface ServerOptions {
  log: Logger;
  /** names the server in log lines */
  component: string;
  token: string;
  openPaths: string[];
  bodyLimit?: number;
  /** the 401 a wrong or missing token gets (default ADMIN_UNAUTHORIZED, which names the admin token file) */
  unauthorized?: ErrorDefinition;
  /** path prefixes with their own authentication, e.g. the console's session cookie under /console */
  openPrefixes?: string[];
  /** the codes of requests no route takes (default the admin API's, whose fixes name docs/admin-api.md) */
  errorCodes?: ListenerErrorCodes;
}

/** The default body limit: a tenant with its key, certificate and settings is a few KB. */
export const DEFAULT_BODY_LIMIT = 256 * 1024;

export function createHttpServer(options: ServerOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const codes = options.errorCodes ?? ADMIN_LISTENER_CODES;
  const app = Fastify({
    logger: false,
    bodyLimit,
    // Errors raised before routing never reach setErrorHandler; without this they leave in Fastify's own shape.
    frameworkErrors: (err, _request, reply) => {
      const error = appError(codes.badRequest, { params: { summary: err.message } });
      // the hook's reply type is generic over route schemas it cannot know yet
      void (reply as FastifyReply).status(error.httpStatus).send(wireError(error));
    },
  });
  installErrorHandler(app, options.log, { bodyLimit, codes });
  refuseUnsafeInput(app, codes);
  logRequests(app, options.log, options.component);
  requireBearer(
    app,
    options.token,
    new Set(options.openPaths),
    options.unauthorized,
    options.openPrefixes ?? [],
  );
  return app;
}
