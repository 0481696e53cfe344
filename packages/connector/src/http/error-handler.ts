// One place where errors become HTTP responses: AppError → its status and `{ error: { code, message, fix, details } }`;
// Fastify's own client errors (bad JSON, wrong content type) → 400; anything else → 500 with a reference to look up
// in the log, never a stack trace or a secret.

import { randomUUID } from 'node:crypto';

import type { FastifyError, FastifyInstance } from 'fastify';

import type { AppError } from '../errors/app-error.js';
import { appError, isAppError } from '../errors/app-error.js';
import {
  ADMIN_BAD_REQUEST,
  ADMIN_BODY_TOO_LARGE,
  ADMIN_INTERNAL,
  ADMIN_NOT_FOUND,
} from '../errors/codes/admin.js';
import type { Logger } from '../logging/logger.js';
import { scrubValue } from '../logging/scrub-secrets.js';

export function installErrorHandler(app: FastifyInstance, log: Logger, limits: { bodyLimit: number }): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    let error: AppError;
    if (isAppError(err)) error = err;
    else if (err.statusCode === 413)
      error = appError(ADMIN_BODY_TOO_LARGE, { params: { limit: limits.bodyLimit } });
    else if (typeof err.statusCode === 'number' && err.statusCode < 500) {
      error = appError(ADMIN_BAD_REQUEST, { params: { summary: err.message } });
    } else {
      const reference = randomUUID();
      log.error({ reference, err, method: request.method, url: request.url }, 'unexpected error');
      error = appError(ADMIN_INTERNAL, { params: { reference } });
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
    const error = appError(ADMIN_NOT_FOUND, {
      params: { method: request.method, path: request.url.split('?')[0] ?? '' },
    });
    void reply.status(error.httpStatus).send(wireError(error));
  });
}

/** The response body of an error, scrubbed: an upstream message may quote what it should not. */
export function wireError(error: AppError): unknown {
  return scrubValue(error.toJSON());
}
