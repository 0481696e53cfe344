// Input no route may see: a NUL byte anywhere (path, query string, body) or a prototype-changing key. Refused with
// the listener's own code (ADMIN_INPUT_REFUSED, BOT_INPUT_REFUSED) before validation, so a NUL never reaches
// PostgreSQL (where it was a 500) and `__proto__` is named as the problem instead of "not valid JSON".

import type { FastifyInstance } from 'fastify';

import { findUnsafeInput, type InputProblem } from '../domain/input-rules.js';
import { appError } from '../errors/app-error.js';
import { listenerCodes, type RouteErrorCodes } from './error-handler.js';

function refused(problem: InputProblem, codes: Pick<RouteErrorCodes, 'inputRefused'>) {
  return appError(codes.inputRefused, {
    params: { summary: `${problem.path}: ${problem.message}` },
    details: { issues: [problem] },
  });
}

export function refuseUnsafeInput(app: FastifyInstance, codes: RouteErrorCodes): void {
  // Our own JSON parser: Fastify's refuses `__proto__` with the same message as broken JSON. JSON.parse makes
  // `__proto__` an ordinary own key, which the check below then names.
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text) as unknown);
    } catch (err) {
      done(
        appError(listenerCodes(request, codes).badRequest, {
          params: { summary: `the body is not valid JSON (${(err as Error).message})` },
        }),
        undefined,
      );
    }
  });
  app.addHook('preValidation', (request, _reply, done) => {
    const problem =
      findUnsafeInput(request.params, 'path') ??
      findUnsafeInput(request.query, 'query') ??
      findUnsafeInput(request.body);
    done(problem ? refused(problem, listenerCodes(request, codes)) : undefined);
  });
}
