// One place where errors become HTTP responses: AppError → its status and `{ error: { code, message, fix, details } }`;
// Fastify's own client errors (bad JSON, wrong content type, a body too large) and unknown routes → the listener's
// own codes, whose fixes name that listener's docs (a platform developer on the bot API is never sent to the admin
// API's page); anything else → 500 with a reference to look up in the log, never a stack trace or a secret.

import { randomUUID } from 'node:crypto';

import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';

import type { AppError } from '../errors/app-error.js';
import { appError, isAppError } from '../errors/app-error.js';
import {
  ADMIN_BAD_REQUEST,
  ADMIN_BODY_TOO_LARGE,
  ADMIN_INPUT_REFUSED,
  ADMIN_INTERNAL,
  ADMIN_NOT_FOUND,
} from '../errors/codes/admin.js';
import type { ErrorDefinition } from '../errors/define-error.js';
import type { Logger } from '../logging/logger.js';
import { scrubValue } from '../logging/scrub-secrets.js';

/** The codes a request gets when its route raised none of its own. */
export interface RouteErrorCodes {
  /** a 4xx Fastify raised (bad JSON, a broken header); params `summary` */
  badRequest: ErrorDefinition;
  /** a NUL byte or a prototype-changing key (refuse-unsafe-input.ts); params `summary` */
  inputRefused: ErrorDefinition;
  /** params `limit` */
  bodyTooLarge: ErrorDefinition;
  /** a body in a content type no parser reads; params `contentType`. Without it, badRequest's 400 */
  unsupportedMediaType?: ErrorDefinition;
  /** params `reference` */
  internal: ErrorDefinition;
}

/** A listener's codes: a route's, and what a request no route takes gets. */
export interface ListenerErrorCodes extends RouteErrorCodes {
  /** params `method`, `path` */
  notFound: ErrorDefinition;
}

/** The admin API's (and, but for its 404, the status API's) codes: fixes that point at docs/admin-api.md. */
export const ADMIN_LISTENER_CODES: ListenerErrorCodes = {
  badRequest: ADMIN_BAD_REQUEST,
  inputRefused: ADMIN_INPUT_REFUSED,
  bodyTooLarge: ADMIN_BODY_TOO_LARGE,
  notFound: ADMIN_NOT_FOUND,
  internal: ADMIN_INTERNAL,
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** a route that is a surface of its own on a shared listener (/mcp on the bot listener) names its codes */
    errorCodes?: RouteErrorCodes;
  }
}

/** The codes for this request: its route's own, else the listener's. */
export function listenerCodes(request: FastifyRequest, fallback: RouteErrorCodes): RouteErrorCodes {
  return request.routeOptions.config.errorCodes ?? fallback;
}

export interface ErrorHandlerOptions {
  bodyLimit: number;
  /** the listener's codes; a route's `config.errorCodes` wins over them */
  codes: ListenerErrorCodes;
}

/** A Fastify client error (not one of ours) in the listener's codes. */
function clientError(
  err: FastifyError,
  codes: RouteErrorCodes,
  bodyLimit: number,
  contentType: string,
): AppError {
  if (err.statusCode === 413) return appError(codes.bodyTooLarge, { params: { limit: bodyLimit } });
  if (err.statusCode === 415 && codes.unsupportedMediaType !== undefined)
    return appError(codes.unsupportedMediaType, { params: { contentType: contentType.slice(0, 100) } });
  return appError(codes.badRequest, { params: { summary: err.message } });
}

export function installErrorHandler(app: FastifyInstance, log: Logger, options: ErrorHandlerOptions): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    const codes = listenerCodes(request, options.codes);
    let error: AppError;
    if (isAppError(err)) error = err;
    else if (typeof err.statusCode === 'number' && err.statusCode < 500) {
      const contentType = request.headers['content-type'];
      error = clientError(
        err,
        codes,
        options.bodyLimit,
        typeof contentType === 'string' ? contentType : '(none)',
      );
    } else {
      const reference = randomUUID();
      log.error({ reference, err, method: request.method, url: request.url }, 'unexpected error');
      error = appError(codes.internal, { params: { reference } });
    }
    if (error.httpStatus >= 500 && isAppError(err)) log.error({ code: error.code, err }, 'request failed');
    // An error told in the caller's words (the bot's BOT_TICKET_* for a Salesforce refusal) keeps the operator's
    // version as its cause: log that one, since the answer leaves Salesforce's errorCode and fields out.
    else if (isAppError(err) && isAppError(err.cause))
      log.warn(
        { code: error.code, cause: { code: err.cause.code, details: scrubValue(err.cause.details) } },
        'request refused upstream',
      );
    void reply.status(error.httpStatus).send(wireError(error));
  });
  app.setNotFoundHandler((request, reply) => {
    const error = appError(options.codes.notFound, {
      params: { method: request.method, path: (request.url.split('?')[0] ?? '').slice(0, 200) },
    });
    void reply.status(error.httpStatus).send(wireError(error));
  });
}

/** The response body of an error, scrubbed: an upstream message may quote what it should not. */
export function wireError(error: AppError): unknown {
  return scrubValue(error.toJSON());
}
