// AppError: the one error type the connector throws on purpose. It carries a registered code, a message with no
// secrets in it, the fix, and structured details; the HTTP error handler and the CLI turn it into output.

import type { ErrorDefinition } from './define-error.js';

export type ErrorParams = Record<string, string | number | boolean | undefined>;

export interface AppErrorOptions {
  params?: ErrorParams;
  /** structured, secret-free details (e.g. Salesforce's errorCode and fields, validation issues) */
  details?: Record<string, unknown>;
  cause?: unknown;
}

function fill(template: string, params: ErrorParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export class AppError extends Error {
  readonly code: string;
  readonly fix: string;
  readonly httpStatus: number;
  readonly exitCode: number;
  readonly details: Record<string, unknown> | undefined;

  constructor(definition: ErrorDefinition, options: AppErrorOptions = {}) {
    const params = options.params ?? {};
    super(
      fill(definition.message, params),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'AppError';
    this.code = definition.code;
    this.fix = fill(definition.fix, params);
    this.httpStatus = definition.httpStatus;
    this.exitCode = definition.exitCode;
    this.details = options.details;
  }

  /** The wire shape of every error response: `{ error: { code, message, fix, details? } }`. */
  toJSON(): { error: { code: string; message: string; fix: string; details?: Record<string, unknown> } } {
    const error: { code: string; message: string; fix: string; details?: Record<string, unknown> } = {
      code: this.code,
      message: this.message,
      fix: this.fix,
    };
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

/** Raises a registered error: `throw appError(TENANT_NOT_FOUND, { params: { tenant } })`. */
export function appError(definition: ErrorDefinition, options?: AppErrorOptions): AppError {
  return new AppError(definition, options);
}

export function isAppError(err: unknown, code?: string): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}

/**
 * Rebuilds an AppError received over the admin API (already filled in by the server). `definition` is the
 * registered definition of that code when known, for the exit code; the message and fix are the server's.
 */
export function restoreAppError(
  wire: { code: string; message: string; fix: string; details?: Record<string, unknown> },
  httpStatus: number,
  definition: ErrorDefinition | undefined,
): AppError {
  // No params are given, so fill() leaves the server's text exactly as it came.
  return new AppError(
    {
      code: wire.code,
      message: wire.message,
      fix: wire.fix,
      httpStatus,
      exitCode: definition?.exitCode ?? 1,
    },
    wire.details === undefined ? {} : { details: wire.details },
  );
}
