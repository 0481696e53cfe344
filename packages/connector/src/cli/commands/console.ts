// `casebridge console`: prints a one-time link to the operator console (valid once, for 5 minutes). With a service
// running, the service mints the link and serves the console on its admin listener; otherwise this process opens
// the store and serves the console (and the admin API, so other commands reach it) on the admin listener until
// stopped. The link is printed, never logged.

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';

import type { Command } from 'commander';

import { appError } from '../../errors/app-error.js';
import { CLI_SERVICE_UNREACHABLE } from '../../errors/codes/admin.js';
import { CONFIG_PORT_IN_USE } from '../../errors/codes/config.js';
import { buildAdminApp } from '../../http/admin-app.js';
import { openRuntime } from '../../main.js';
import { clearServiceInfo, readServiceInfo, writeServiceInfo } from '../../store/store-lock.js';
import { adminTokenPath } from '../admin-access.js';
import { consoleDepsFor } from '../console-deps.js';
import type { CliContext } from '../context.js';
import { writeNewSecretFile } from '../secret-file.js';
import { serviceLogger } from '../service-logger.js';
import { waitForSignal } from './emulator.js';

interface MintedLink {
  path: string;
  expiresAt: string;
}

/** Asks the running service's admin API for a link; null when no service holds the store. */
async function linkFromService(dataDir: string): Promise<{ url: string; expiresAt: string } | null> {
  const info = readServiceInfo(dataDir);
  if (!info?.adminUrl) return null;
  let token: string;
  try {
    token = readFileSync(adminTokenPath(dataDir), 'utf8').trim();
  } catch {
    return null;
  }
  let response: Response;
  try {
    response = await fetch(`${info.adminUrl}/v1/console/links`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}` },
    });
  } catch (err) {
    throw appError(CLI_SERVICE_UNREACHABLE, { params: { pid: info.pid, url: info.adminUrl }, cause: err });
  }
  if (!response.ok)
    throw appError(CLI_SERVICE_UNREACHABLE, {
      params: { pid: info.pid, url: info.adminUrl },
      details: { status: response.status },
    });
  const link = (await response.json()) as MintedLink;
  return { url: `${info.adminUrl}${link.path}`, expiresAt: link.expiresAt };
}

function printLink(
  ctx: CliContext,
  link: { url: string; expiresAt: string },
  via: 'service' | 'local',
): void {
  ctx.output.result({ ...link, via }, () => {
    ctx.output.line(
      'Open the operator console with this link (it works once, until ' + link.expiresAt + '):',
    );
    ctx.output.line(link.url);
    if (via === 'local') ctx.output.line('Serving the console from this process; stop with Ctrl-C.');
  });
}

export function registerConsoleCommand(program: Command, context: () => CliContext): void {
  program
    .command('console')
    .description('Print a one-time link to the operator console (serves it here when no service runs)')
    .action(async () => {
      const ctx = context();
      const fromService = await linkFromService(ctx.config.dataDir);
      if (fromService !== null) {
        printLink(ctx, fromService, 'service');
        return;
      }
      const log = serviceLogger(ctx, { interactive: true });
      const runtime = await openRuntime(ctx.config, { log });
      const token = randomBytes(32).toString('base64url');
      const deps = consoleDepsFor(runtime);
      const app = buildAdminApp({ ops: runtime.admin, token, log, console: deps });
      try {
        const { host, port, portExplicit } = ctx.config.admin;
        let adminUrl: string;
        try {
          adminUrl = await app.listen({ host, port });
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
          if (portExplicit)
            throw appError(CONFIG_PORT_IN_USE, {
              params: { port, host, server: 'admin API', setting: 'CASEBRIDGE_ADMIN_PORT' },
              cause: err,
            });
          adminUrl = await app.listen({ host, port: 0 });
        }
        // other commands reach this process's admin API while it holds the embedded store, as with `serve`
        // (a PostgreSQL store is not held: they open it themselves, and a running service's files stay its own)
        if (runtime.store.kind === 'pglite') {
          writeNewSecretFile(adminTokenPath(ctx.config.dataDir), `${token}\n`);
          writeServiceInfo(ctx.config.dataDir, {
            pid: process.pid,
            adminUrl,
            startedAt: runtime.clock.now().toISOString(),
          });
        }
        const link = await deps.access.mintLink();
        printLink(
          ctx,
          { url: `${adminUrl}/console/login?t=${link.token}`, expiresAt: link.expiresAt },
          'local',
        );
        await waitForSignal();
      } finally {
        clearServiceInfo(ctx.config.dataDir);
        await app.close();
        await runtime.close();
      }
    });
}
