// Runs casebridge as a service over an open runtime: the admin API (loopback, token in a 0600 file) that CLI
// commands use while this process holds the store, and the status API. Returns a handle to stop it.
// Both ports are taken before anything else starts, so a busy port fails at once with CONFIG_PORT_IN_USE naming
// the setting to change (the demo instead takes a free port when the default is busy).

import { randomBytes } from 'node:crypto';

import type { FastifyInstance } from 'fastify';

import { readOrCreateSecretFile, writeNewSecretFile } from './secret-file.js';
import { appError } from '../errors/app-error.js';
import { CONFIG_PORT_IN_USE } from '../errors/codes/config.js';
import { buildAdminApp } from '../http/admin-app.js';
import { buildStatusApp } from '../http/status-app.js';
import { buildBotApp } from '../http/bot-app.js';
import { mountMcpEndpoint } from '../mcp/http-endpoint.js';
import { CLI_VERSION } from './version.js';
import { startBackgroundWork, type BackgroundWork, type Runtime } from '../main.js';
import { clearServiceInfo, writeServiceInfo } from '../store/store-lock.js';
import { adminTokenPath, statusTokenPath } from './admin-access.js';
import { consoleDepsFor } from './console-deps.js';

export interface RunningService {
  adminUrl: string;
  statusUrl: string;
  /** the bot API (docs/bot-api.md) */
  botUrl: string;
  /** ports taken instead of busy defaults (demo only) */
  substituted: { setting: string; wanted: number; got: number }[];
  /** a one-time link into the operator console of this service (valid once, for 5 minutes) */
  consoleLink(): Promise<{ url: string; expiresAt: string }>;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** when a port is the default (not set by the operator) and busy, take any free one instead of failing */
  freePortIfDefaultBusy?: boolean;
}

interface Listener {
  app: FastifyInstance;
  host: string;
  port: number;
  explicit: boolean;
  setting: string;
  server: string;
}

async function listen(
  listener: Listener,
  options: ServiceOptions,
  substituted: RunningService['substituted'],
): Promise<string> {
  try {
    return await listener.app.listen({ host: listener.host, port: listener.port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    if (options.freePortIfDefaultBusy && !listener.explicit) {
      const url = await listener.app.listen({ host: listener.host, port: 0 });
      substituted.push({ setting: listener.setting, wanted: listener.port, got: Number(new URL(url).port) });
      return url;
    }
    throw appError(CONFIG_PORT_IN_USE, {
      params: {
        port: listener.port,
        host: listener.host,
        server: listener.server,
        setting: listener.setting,
      },
      cause: err,
    });
  }
}

export async function startService(runtime: Runtime, options: ServiceOptions = {}): Promise<RunningService> {
  const { config, log } = runtime;
  const token = randomBytes(32).toString('base64url');
  const consoleDeps = consoleDepsFor(runtime);
  const admin = buildAdminApp({
    ops: runtime.admin,
    token,
    log,
    knowledge: runtime.knowledge,
    botIdentity: runtime.bot.identity,
    console: consoleDeps,
    botKeys: runtime.admin.bot,
  });
  // Monitoring gets its own read-only token: the status API may face the network, the admin token never does.
  const statusToken = config.http.statusToken ?? readOrCreateSecretFile(statusTokenPath(config.dataDir));
  const status = buildStatusApp({
    ops: runtime.admin,
    token: statusToken,
    log,
    metrics: { ops: runtime.admin, repo: runtime.store.console, clock: runtime.clock },
  });
  const bot = buildBotApp({
    sessions: runtime.bot.sessions,
    tickets: runtime.bot.tickets,
    conversation: runtime.bot.conversation,
    apiKeys: runtime.botKeys,
    rates: runtime.bot.rates,
    employeeLimit: { max: config.bot.employeeCallsPerMinute, windowMs: 60_000 },
    keyLimit: { max: config.bot.keyCallsPerMinute, windowMs: 60_000 },
    clock: runtime.clock,
    log,
    version: CLI_VERSION,
    chat: runtime.chat,
  });
  // the MCP tool server's Streamable HTTP transport shares the bot listener (docs/mcp.md says why)
  mountMcpEndpoint(bot, {
    sessions: runtime.bot.sessions,
    tickets: runtime.bot.tickets,
    log,
    version: CLI_VERSION,
    allowedOrigins: config.mcp.allowedOrigins,
    employeeLimit: { max: config.bot.employeeCallsPerMinute, windowMs: 60_000 },
    clock: runtime.clock,
  });
  let work: BackgroundWork | null = null;
  const stop = async (): Promise<void> => {
    clearServiceInfo(config.dataDir);
    await Promise.allSettled([admin.close(), status.close(), bot.close()]);
    await work?.stop();
  };
  const substituted: RunningService['substituted'] = [];
  try {
    const adminUrl = await listen(
      {
        app: admin,
        host: config.admin.host,
        port: config.admin.port,
        explicit: config.admin.portExplicit,
        setting: 'CASEBRIDGE_ADMIN_PORT',
        server: 'admin API',
      },
      options,
      substituted,
    );
    const statusUrl = await listen(
      {
        app: status,
        host: config.http.host,
        port: config.http.port,
        explicit: config.http.portExplicit,
        setting: 'CASEBRIDGE_HTTP_PORT',
        server: 'status API',
      },
      options,
      substituted,
    );
    const botUrl = await listen(
      {
        app: bot,
        host: config.bot.host,
        port: config.bot.port,
        explicit: config.bot.portExplicit,
        setting: 'CASEBRIDGE_BOT_PORT',
        server: 'bot API',
      },
      options,
      substituted,
    );
    writeNewSecretFile(adminTokenPath(config.dataDir), `${token}\n`);
    work = await startBackgroundWork(runtime);
    writeServiceInfo(config.dataDir, {
      pid: process.pid,
      adminUrl,
      startedAt: runtime.clock.now().toISOString(),
    });
    log.info({ adminUrl, statusUrl, botUrl, store: config.dataDir }, 'service started');
    return {
      adminUrl,
      statusUrl,
      botUrl,
      substituted,
      consoleLink: async () => {
        const link = await consoleDeps.access.mintLink();
        return { url: `${adminUrl}/console/login?t=${link.token}`, expiresAt: link.expiresAt };
      },
      stop: async () => {
        await stop();
        log.info({}, 'service stopped');
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
