// The logger of the long-running commands (serve, demo). A service logs to stdout, as platforms expect, and prints
// nothing else there; with --json stdout carries the one JSON document, so logs go to stderr; the demo is
// interactive, so its (few) log lines go to stderr as human lines.

import { pino } from 'pino';

import { createLogger, type Logger } from '../logging/logger.js';
import type { CliContext } from './context.js';
import { humanLogDestination } from './human-log.js';

export function serviceLogger(ctx: CliContext, options: { interactive: boolean }): Logger {
  const level = options.interactive && !ctx.config.log.explicit ? 'warn' : ctx.config.log.level;
  if (options.interactive && !ctx.output.json)
    return createLogger({ level, destination: humanLogDestination() });
  return createLogger({ level, ...(ctx.output.json ? { destination: pino.destination(2) } : {}) });
}
