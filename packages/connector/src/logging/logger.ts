// The connector's logger: pino underneath, a narrow interface on top. Known secret paths are redacted by pino;
// every string logged is also scrubbed for secret-looking values. Inject it; never import a global logger.

import { pino, type DestinationStream } from 'pino';

import { scrubSecrets, scrubValue } from './scrub-secrets.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

type LogFn = (obj: Record<string, unknown>, msg: string) => void;

/** Only the levels we use (Nango's StrictLogger idea): a constant message and the data in an object. */
export interface Logger {
  debug: LogFn;
  info: LogFn;
  warn: LogFn;
  error: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

/** Paths pino removes before anything is serialised (pino redaction.md). */
export const REDACT_PATHS = [
  'req.headers.authorization',
  // the bot API's identity token and the employee session it becomes
  'identityToken',
  '*.identityToken',
  'req.headers["idempotency-key"]',
  'req.headers["x-api-key"]',
  'headers["x-api-key"]',
  'headers.authorization',
  'authorization',
  '*.authorization',
  'access_token',
  '*.access_token',
  'accessToken',
  '*.accessToken',
  'assertion',
  '*.assertion',
  'privateKey',
  '*.privateKey',
  'privateKeyPem',
  '*.privateKeyPem',
  'password',
  '*.password',
  'consumerSecret',
  '*.consumerSecret',
  'clientSecret',
  '*.clientSecret',
  'masterKey',
  '*.masterKey',
  'token',
  '*.token',
];

function wrap(base: pino.Logger): Logger {
  const at =
    (level: 'debug' | 'info' | 'warn' | 'error'): LogFn =>
    (obj, msg) => {
      // scrubbing walks every value: not for a line the level drops anyway
      if (!base.isLevelEnabled(level)) return;
      base[level](scrubValue(obj) as Record<string, unknown>, scrubSecrets(msg));
    };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (bindings) => wrap(base.child(scrubValue(bindings) as Record<string, unknown>)),
  };
}

export interface LoggerOptions {
  level?: LogLevel;
  /** where lines go; stdout by default (tests pass a capture stream) */
  destination?: DestinationStream;
  name?: string;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const base = pino(
    {
      name: options.name ?? 'casebridge',
      level: options.level ?? 'info',
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination ?? pino.destination(1),
  );
  return wrap(base);
}

/** A logger that drops everything (unit tests that do not assert on logs). */
export function silentLogger(): Logger {
  return createLogger({ level: 'silent' });
}
