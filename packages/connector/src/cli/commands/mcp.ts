// `casebridge mcp`: the MCP tool server of one employee on stdio, for an assistant (Claude Desktop, any MCP client)
// that starts it as a child process. The session and tenant come from CASEBRIDGE_MCP_SESSION / _TENANT; it calls the
// running service's bot API (CASEBRIDGE_MCP_BOT_URL), so it needs no store, no key and no Salesforce access.

import type { Command } from 'commander';
import { pino } from 'pino';

import { createLogger } from '../../logging/logger.js';
import { startStdioMcp } from '../../mcp/stdio-server.js';
import { systemClock } from '../../system-clock.js';
import type { CliContext } from '../context.js';
import { CLI_VERSION } from '../version.js';

export function registerMcpCommand(program: Command, context: () => CliContext): void {
  program
    .command('mcp')
    .description(
      "Serve one employee's MCP tools on stdin/stdout (session from CASEBRIDGE_MCP_SESSION, see docs/mcp.md)",
    )
    .action(async () => {
      const { config } = context();
      // stdout carries JSON-RPC only: every log line goes to stderr, which MCP clients keep in their log
      const log = createLogger({
        level: config.log.explicit ? config.log.level : 'info',
        destination: pino.destination(2),
      });
      const running = await startStdioMcp({ ...config.mcp, log, version: CLI_VERSION, clock: systemClock });
      const stop = (): void => void running.close();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      await running.closed;
    });
}
