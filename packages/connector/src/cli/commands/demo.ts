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
import { statusTokenPath } from '../admin-access.js';
import { startService } from '../service.js';
import { describeStore, locateDemoStore } from '../store-location.js';
import { waitForSignal } from './emulator.js';
import { printDoctor } from './print-doctor.js';
import { startDemoIntranet, type DemoEmployee, type DemoIntranet } from './demo-intranet.js';

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

/** The seeded org's employees (Contacts with an email), the first of them the one the demo signs in. */
export function seededEmployees(emulator: Started, max = 6): DemoEmployee[] {
  const employees: DemoEmployee[] = [];
  for (const id of emulator.demo?.contactIds ?? []) {
    const record = emulator.org.data.peek(id)?.record;
    const email = record?.['Email'];
    if (typeof email !== 'string' || email === '') continue;
    const name = [record?.['FirstName'], record?.['LastName']].filter((v) => typeof v === 'string').join(' ');
    const department = record?.['Department'];
    employees.push({
      name: name || email,
      email,
      department: typeof department === 'string' ? department : null,
    });
    if (employees.length === max) break;
  }
  return employees;
}

/**
 * The web chat of the demo: the intranet stand-in signs identity tokens, the tenant trusts its key and lets its
 * origin embed the chat, and the monitor polls often enough that an agent's answer shows within seconds.
 */
export async function openDemoChat(
  runtime: Runtime,
  emulator: Started,
  botUrl: string,
  port = 8790,
): Promise<DemoIntranet> {
  const intranet = await startDemoIntranet({
    tenant: DEMO_TENANT,
    chatBaseUrl: botUrl,
    employees: seededEmployees(emulator),
    port,
  });
  await runtime.bot.identity.set(DEMO_TENANT, intranet.identity);
  // tickets filed from the chat go to the first demo agent, so the agent console can answer and close them (the
  // org's Case sharing is Private: an agent edits only the cases they own)
  const agent = emulator.demo?.agentUsernames[0];
  const agentId = agent === undefined ? undefined : emulator.org.data.getUser(agent)?.['Id'];
  const current = await runtime.admin.showTenant(DEMO_TENANT);
  await runtime.admin.updateTenant(DEMO_TENANT, {
    settings: {
      chat: { allowedOrigins: [intranet.origin] },
      monitor: { intervalSeconds: 10 },
      ...(typeof agentId === 'string'
        ? { caseDefaults: { ...current.settings.caseDefaults, OwnerId: agentId } }
        : {}),
    },
  });
  return intranet;
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
      const out = ctx.output;
      const store = locateDemoStore(ctx.store);
      const config = { ...ctx.config, dataDir: store.path };
      const log = serviceLogger(ctx, { interactive: true });
      const emulator = await startDemoEmulator(options.emulatorPort, join(config.dataDir, 'emulator'));
      let stopped = false;
      try {
        const runtime = await openRuntime(config, { log });
        try {
          await registerDemoTenant(runtime, emulator);
          // The service's ports are taken before the checks run: a busy port fails (or is replaced) at once.
          const service = options.exit ? null : await startService(runtime, { freePortIfDefaultBusy: true });
          const intranet = service ? await openDemoChat(runtime, emulator, service.botUrl) : null;
          const employees = seededEmployees(emulator);
          try {
            const report = await runtime.admin.doctor(DEMO_TENANT, {});
            if (!report.ok) setExitCode(EXIT.salesforceAccess);
            const emulatorPort = Number(new URL(emulator.loginUrl).port);
            const substituted = [
              ...(emulatorPort !== options.emulatorPort && options.emulatorPort !== 0
                ? [{ setting: '--emulator-port', wanted: options.emulatorPort, got: emulatorPort }]
                : []),
              ...(service?.substituted ?? []),
            ];
            const statusTokenFile = statusTokenPath(config.dataDir);
            // a one-time link (5 minutes); `npx casebridge console` prints a fresh one while this runs
            const operatorConsole = (await service?.consoleLink()) ?? null;
            const next = [
              `npx casebridge tenants show ${DEMO_TENANT}`,
              `npx casebridge doctor ${DEMO_TENANT}`,
              'npx casebridge status',
            ];
            out.result(
              {
                store: config.dataDir,
                emulator: {
                  loginUrl: emulator.loginUrl,
                  orgId: emulator.orgId,
                  username: emulator.username,
                  consumerKey: emulator.consumerKey,
                  controlUrl: emulator.controlUrl,
                  controlToken: emulator.controlToken,
                  consoleUrl: `${emulator.loginUrl}/console`,
                },
                service: service
                  ? {
                      consoleUrl: operatorConsole?.url ?? null,
                      statusUrl: `${service.statusUrl}/v1/status`,
                      healthUrl: `${service.statusUrl}/health`,
                      adminUrl: service.adminUrl,
                      statusTokenFile: ctx.config.http.statusToken ? null : statusTokenFile,
                    }
                  : null,
                chat:
                  intranet === null
                    ? null
                    : {
                        url: intranet.chatUrlFor(employees[0]?.email ?? ''),
                        intranetUrl: `${intranet.origin}/`,
                        botUrl: service?.botUrl ?? null,
                        employees: employees.map((e) => ({ ...e, chatUrl: intranet.chatUrlFor(e.email) })),
                      },
                substitutedPorts: substituted,
                doctor: report,
                next,
              },
              () => {
                out.line(`Salesforce emulator: demo org ${emulator.orgId}`);
                out.line(`  login URL        ${emulator.loginUrl}   (user ${emulator.username})`);
                out.line(`  control plane    ${emulator.controlUrl}   token ${emulator.controlToken}`);
                out.line('                   act as an agent, move the clock or inject faults, e.g.');
                out.line(
                  `                   curl -H "Authorization: Bearer ${emulator.controlToken}" ${emulator.controlUrl}/faults`,
                );
                const agent = emulator.demo?.agentUsernames[0];
                if (agent !== undefined && emulator.demo)
                  out.line(
                    `  agent console    ${emulator.loginUrl}/console   (sign in as ${agent}, password ${emulator.demo.password})`,
                  );
                out.line(`Tenant "${DEMO_TENANT}" registered; ${describeStore(store)}.`);
                out.line('');
                printDoctor(out, report);
                out.line('');
                if (service) {
                  const token = ctx.config.http.statusToken
                    ? '$CASEBRIDGE_STATUS_TOKEN'
                    : `$(cat ${statusTokenFile})`;
                  out.line('casebridge is running:');
                  out.line(`  status API       ${service.statusUrl}/v1/status`);
                  out.line(
                    `                   curl -H "Authorization: Bearer ${token}" ${service.statusUrl}/v1/status`,
                  );
                  out.line(`  health           ${service.statusUrl}/health`);
                  out.line(
                    `  admin API        ${service.adminUrl}   (loopback; CLI commands use it while this runs)`,
                  );
                }
                if (service && intranet) {
                  const first = employees[0];
                  out.line('');
                  out.line('Open in your browser:');
                  if (first)
                    out.line(
                      `  web chat         ${intranet.chatUrlFor(first.email)}   (signed in as ${first.name})`,
                    );
                  out.line(
                    `  intranet page    ${intranet.origin}/   (the chat widget in a host page; switch employees)`,
                  );
                  const agent = emulator.demo?.agentUsernames[0];
                  if (agent !== undefined && emulator.demo)
                    out.line(
                      `  agent console    ${emulator.loginUrl}/console   (sign in as ${agent}, password ${emulator.demo.password})`,
                    );
                  if (operatorConsole)
                    out.line(
                      `  operator console ${operatorConsole.url}   (one-time link for 5 minutes; a fresh one: npx casebridge console)`,
                    );
                  out.line('  seeded employees (each sees only their own tickets):');
                  for (const e of employees)
                    out.line(`    ${e.name.padEnd(20)} ${intranet.chatUrlFor(e.email)}`);
                  out.line(
                    '  try: ask "where can I park my car?", then "it did not help", file the ticket, answer it in the agent console, reply in the chat.',
                  );
                }
                for (const port of substituted)
                  out.line(
                    `  note: port ${port.wanted} was busy, so port ${port.got} was taken instead (set ${port.setting} to choose one)`,
                  );
                out.line(service ? 'Next, in another terminal:' : 'Next:');
                for (const command of next) out.line(`  ${command}`);
                if (service) out.line('Press Ctrl-C to stop.');
              },
            );
            if (service) {
              await waitForSignal();
              stopped = true;
            }
          } finally {
            await intranet?.close();
            await service?.stop();
          }
        } finally {
          await runtime.close();
        }
      } finally {
        await emulator.close();
        if (stopped) out.line('stopped');
      }
    });
}
