// The shape of an error definition: a stable code, a message template, how to fix it, and an HTTP status.

/** Areas, as the code prefix: CONFIG_, SF_AUTH_, SF_API_, STORE_, SECRETS_, TENANT_, KEYS_, CLI_, ADMIN_, SYNC_, BOT_, NOTIFY_ */
export interface ErrorDefinition<Code extends string = string> {
  readonly code: Code;
  /** A message template; `{name}` placeholders are filled from the params given when the error is raised. */
  readonly message: string;
  /** What the operator or admin should do, in words. */
  readonly fix: string;
  /** The HTTP status the admin and bot APIs answer with. */
  readonly httpStatus: number;
  /** The CLI exit code a script can rely on (see docs/errors.md). */
  readonly exitCode: number;
}

/**
 * Declares one error code. Codes are UPPER_SNAKE with an area prefix, e.g.
 * `defineError('SF_AUTH_USER_NOT_APPROVED', 'The service user ...', 'In Setup ...', 401, 3)`.
 */
export function defineError<Code extends string>(
  code: Code,
  message: string,
  fix: string,
  httpStatus = 500,
  exitCode = 1,
): ErrorDefinition<Code> {
  if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$/.test(code)) throw new TypeError(`bad error code ${code}`);
  return Object.freeze({ code, message, fix, httpStatus, exitCode });
}
