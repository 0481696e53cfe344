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
      const { startEmulator } = await loadEmulator();
      const started = await startEmulator({
        port: options.port,
        ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      });
      const info = {
        loginUrl: started.loginUrl,
        consumerKey: started.consumerKey,
        username: started.username,
        privateKeyPath: started.privateKeyPath,
        controlUrl: started.controlUrl,
        controlToken: started.controlToken,
      };
      if (ctx.output.json) process.stdout.write(`${JSON.stringify(info)}\n`);
      else {
        ctx.output.line(`Salesforce emulator listening (demo org ${started.orgId})`);
        ctx.output.line(`  login URL        ${info.loginUrl}`);
        ctx.output.line(`  consumer key     ${info.consumerKey}`);
        ctx.output.line(`  username         ${info.username}`);
        ctx.output.line(`  private key      ${info.privateKeyPath}`);
        ctx.output.line(`  control plane    ${info.controlUrl} (token ${info.controlToken})`);
        ctx.output.line('Press Ctrl-C to stop.');
      }
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
