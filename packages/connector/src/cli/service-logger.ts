// The logger of the long-running commands (serve, demo). A service logs to stdout, as platforms expect; but with
// --json stdout carries the one JSON document, and the demo is interactive, so their logs go to stderr.

import { pino } from 'pino';

import { createLogger, type Logger } from '../logging/logger.js';
import type { CliContext } from './context.js';

export function serviceLogger(ctx: CliContext, options: { interactive: boolean }): Logger {
  const level = options.interactive && !ctx.config.log.explicit ? 'warn' : ctx.config.log.level;
  const toStderr = ctx.output.json || options.interactive;
  return createLogger({ level, ...(toStderr ? { destination: pino.destination(2) } : {}) });
}
