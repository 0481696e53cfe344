// A coded error as a tool reports it: `{ code, message, fix, details? }`, the bot API's error shape. An AppError
// thrown by the services and an error the bot API answered over HTTP both become one.

import { randomUUID } from 'node:crypto';

import { appError, isAppError } from '../errors/app-error.js';
import { MCP_INTERNAL } from '../errors/codes/mcp.js';
import type { Logger } from '../logging/logger.js';
import { scrubValue } from '../logging/scrub-secrets.js';

export interface CodedFailure {
  code: string;
  message: string;
  fix: string;
  details?: Record<string, unknown>;
}

/** An error the bot API answered with, carried as it came (its message already filled in by the service). */
export class RemoteCodedError extends Error {
  constructor(readonly failure: CodedFailure) {
    super(failure.message);
    this.name = 'RemoteCodedError';
  }
}

/**
 * The coded failure of anything a tool threw, scrubbed of secret-looking text. An error raised on no purpose is
 * logged with a reference and reported as MCP_INTERNAL with that reference only: no message, no stack.
 */
export function failureOf(err: unknown, log: Logger): CodedFailure {
  let failure: CodedFailure;
  if (err instanceof RemoteCodedError) failure = err.failure;
  else if (isAppError(err)) failure = err.toJSON().error;
  else {
    const reference = randomUUID();
    log.error({ reference, err }, 'mcp tool failed unexpectedly');
    failure = appError(MCP_INTERNAL, { params: { reference } }).toJSON().error;
  }
  return scrubValue(failure) as CodedFailure;
}
