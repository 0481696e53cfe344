// `casebridge demo`: the whole system on embedded defaults against a seeded emulator org. Starts the emulator,
// registers it as tenant `demo` (importing the demo app's key into the encrypted store), runs doctor, then keeps
// the service and the emulator running until Ctrl-C (or stops at once with --exit).

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { Command } from 'commander';

import { isAppError } from '../../errors/app-error.js';
import { EXIT } from '../../errors/exit-codes.js';
import { openRuntime, type Runtime } from '../../main.js';
import type { CliContext } from '../context.js';
import { loadEmulator, type EmulatorModule } from '../load-emulator.js';
import { serviceLogger } from '../service-logger.js';
import { startService } from '../service.js';
import { waitForSignal } from './emulator.js';
import { printDoctor } from './print-doctor.js';

const DEMO_TENANT = 'demo';

type Started = Awaited<ReturnType<EmulatorModule['startEmulator']>>;

async function startDemoEmulator(port: number, dataDir: string): Promise<Started> {
  const { startEmulator } = await loadEmulator();
  try {
    return await startEmulator({ port, dataDir });
  } catch (err) {
    // Another emulator (or anything) on the usual port: take any free one rather than fail the demo.
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') return startEmulator({ port: 0, dataDir });
    throw err;
  }
}

/** Creates tenant `demo` for this emulator run, or points the existing one at it (its port may have changed). */
async function registerDemoTenant(runtime: Runtime, emulator: Started): Promise<void> {
  const [privateKeyPem, certificatePem] = await Promise.all([
    readFile(emulator.privateKeyPath, 'utf8'),
    readFile(emulator.certificatePath, 'utf8'),
  ]);
  const identity = {
    loginUrl: emulator.loginUrl,
    consumerKey: emulator.consumerKey,
    username: emulator.username,
  };
  try {
    await runtime.admin.updateTenant(DEMO_TENANT, identity);
    await runtime.admin.importKey(DEMO_TENANT, privateKeyPem, certificatePem);
  } catch (err) {
    if (!isAppError(err, 'TENANT_NOT_FOUND')) throw err;
    await runtime.admin.addTenant({
      id: DEMO_TENANT,
      name: 'Demo org (emulator)',
      ...identity,
      privateKeyPem,
      certificatePem,
    });
  }
}

export function registerDemoCommand(
  program: Command,
  context: () => CliContext,
  setExitCode: (code: number) => void,
): void {
  program
    .command('demo')
    .description('Run casebridge against a seeded Salesforce emulator org on an embedded store')
    .option(
      '--emulator-port <n>',
      'port of the emulator (taken if free, else any)',
      (v) => Number.parseInt(v, 10),
      4711,
    )
    .option('--exit', 'stop after the checks instead of serving until Ctrl-C')
    .action(async (options: { emulatorPort: number; exit?: boolean }) => {
      const ctx = context();
      const log = serviceLogger(ctx, { interactive: true });
      const emulator = await startDemoEmulator(options.emulatorPort, join(ctx.config.dataDir, 'emulator'));
      try {
        ctx.output.line(`Salesforce emulator: demo org ${emulator.orgId} at ${emulator.loginUrl}`);
        const runtime = await openRuntime(ctx.config, { log });
        try {
          await registerDemoTenant(runtime, emulator);
          ctx.output.line(
            `Tenant "${DEMO_TENANT}" registered (store: ${ctx.config.store.kind} in ${ctx.config.dataDir}).`,
          );
          ctx.output.line('');
          const report = await runtime.admin.doctor(DEMO_TENANT, {});
          if (ctx.output.json)
            ctx.output.result(
              { emulator: { loginUrl: emulator.loginUrl, orgId: emulator.orgId }, doctor: report },
              () => undefined,
            );
          else printDoctor(ctx.output, report);
          if (!report.ok) setExitCode(EXIT.salesforceAccess);
          if (options.exit) return;
          const service = await startService(runtime);
          ctx.output.line('');
          ctx.output.line(
            `casebridge is running: status ${service.statusUrl}/v1/status (token in ${join(ctx.config.dataDir, 'status.token')})`,
          );
          ctx.output.line(
            `Try: npx casebridge tenants show ${DEMO_TENANT}   |   npx casebridge doctor ${DEMO_TENANT}`,
          );
          ctx.output.line('Press Ctrl-C to stop.');
          await waitForSignal();
          await service.stop();
        } finally {
          await runtime.close();
        }
      } finally {
        await emulator.close();
      }
    });
}
