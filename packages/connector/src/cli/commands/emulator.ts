// `casebridge emulator`: the Salesforce emulator with the seeded demo org, on loopback, until Ctrl-C.

import type { Command } from 'commander';

import type { CliContext } from '../context.js';
import { loadEmulator } from '../load-emulator.js';

export function registerEmulatorCommand(program: Command, context: () => CliContext): void {
  program
    .command('emulator')
    .description('Start the Salesforce emulator (seeded demo org) on 127.0.0.1 and print how to log in')
    .option('--port <n>', 'listener port; 0 picks a free one', (v) => Number.parseInt(v, 10), 4711)
    .option('--data-dir <dir>', 'where the demo key pair is kept')
    .action(async (options: { port: number; dataDir?: string }) => {
      const ctx = context();
      const { startEmulator, startInfo, startLines } = await loadEmulator();
      const started = await startEmulator({
        port: options.port,
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      });
      // the emulator's own start line and lines, so `npm run emulator` and this command print the same
      const info = startInfo(started);
      if (ctx.output.json) process.stdout.write(`${JSON.stringify(info)}\n`);
      else for (const line of startLines(info)) ctx.output.line(line);
      await waitForSignal();
      await started.close();
    });
}

export function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
