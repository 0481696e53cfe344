// `casebridge serve`: run the service until SIGINT/SIGTERM.

import type { Command } from 'commander';

import { openRuntime } from '../../main.js';
import { serviceLogger } from '../service-logger.js';
import type { CliContext } from '../context.js';
import { startService } from '../service.js';
import { waitForSignal } from './emulator.js';

export function registerServeCommand(program: Command, context: () => CliContext): void {
  program
    .command('serve')
    .description('Run the casebridge service (admin API for the CLI, status API) until stopped')
    .action(async () => {
      const ctx = context();
      const log = serviceLogger(ctx, { interactive: false });
      const runtime = await openRuntime(ctx.config, { log });
      try {
        const service = await startService(runtime);
        // Human mode: the 'service started' log line (on stdout, with both URLs) is the output; no second format.
        if (ctx.output.json)
          ctx.output.result(
            { store: ctx.config.dataDir, adminUrl: service.adminUrl, statusUrl: service.statusUrl },
            () => undefined,
          );
        await waitForSignal();
        await service.stop();
      } finally {
        await runtime.close();
      }
    });
}
