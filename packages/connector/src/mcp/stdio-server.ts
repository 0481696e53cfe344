// `casebridge mcp`: the MCP server on stdio for one employee, a client of the bot API with the session from the
// environment. The session must belong to CASEBRIDGE_MCP_TENANT: checked at start (a session of another tenant stops
// the server) and, when the service could not confirm it then, before the first tool call. Nothing but JSON-RPC
// goes to stdout; logs go to stderr and never hold the session.

import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Readable, Writable } from 'node:stream';

import { appError } from '../errors/app-error.js';
import { MCP_SESSION_MISSING, MCP_TENANT_MISMATCH } from '../errors/codes/mcp.js';
import type { Logger } from '../logging/logger.js';
import { botApiDesk, type BotApiDesk } from './bot-api-desk.js';
import { RemoteCodedError } from './coded-error.js';
import type { EmployeeDesk } from './employee-desk.js';
import { createEmployeeMcpServer } from './employee-mcp-server.js';
import type { Clock } from '../domain/clock-ports.js';

export interface StdioMcpOptions {
  session: string | undefined;
  tenant: string | undefined;
  botUrl: string;
  log: Logger;
  version: string;
  /** times each tool call (the CLI passes the system clock) */
  clock: Clock;
  stdin?: Readable;
  stdout?: Writable;
  fetch?: typeof fetch;
}

export interface RunningStdioMcp {
  /** resolves when the client closes stdin or close() is called */
  closed: Promise<void>;
  close(): Promise<void>;
}

/** The desk, checked to act in `tenant` before its first call goes through. */
function tenantBound(desk: BotApiDesk, tenant: string): { desk: EmployeeDesk; check(): Promise<void> } {
  let confirmed: Promise<void> | null = null;
  const check = (): Promise<void> => {
    confirmed ??= desk.me().then(
      (owner) => {
        if (owner.tenant !== tenant) throw appError(MCP_TENANT_MISMATCH, { params: { tenant } });
      },
      (err: unknown) => {
        // not confirmed (the service unreachable, the session refused): asked again at the next call
        confirmed = null;
        throw err;
      },
    );
    return confirmed;
  };
  const checked =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      await check();
      return fn(...args);
    };
  return {
    check,
    desk: {
      search: checked(desk.search),
      list: checked(desk.list),
      show: checked(desk.show),
      file: checked(desk.file),
      comment: checked(desk.comment),
      setState: checked(desk.setState),
    },
  };
}

export async function startStdioMcp(options: StdioMcpOptions): Promise<RunningStdioMcp> {
  const missing = [
    options.session === undefined ? 'CASEBRIDGE_MCP_SESSION' : null,
    options.tenant === undefined ? 'CASEBRIDGE_MCP_TENANT' : null,
  ].filter((name) => name !== null);
  if (options.session === undefined || options.tenant === undefined)
    throw appError(MCP_SESSION_MISSING, { params: { missing: missing.join(' and ') } });
  const bound = tenantBound(
    botApiDesk({
      url: options.botUrl,
      session: options.session,
      ...(options.fetch === undefined ? {} : { fetch: options.fetch }),
    }),
    options.tenant,
  );
  try {
    await bound.check();
  } catch (err) {
    if (isTenantMismatch(err)) throw err;
    // an ended session or a service not up yet: every tool call says so, with its fix, until it is fixed
    const code =
      err instanceof RemoteCodedError ? err.failure.code : ((err as { code?: string }).code ?? null);
    options.log.warn(
      { code, botUrl: options.botUrl },
      'the employee session could not be confirmed at start',
    );
  }
  const server = createEmployeeMcpServer(() => bound.desk, {
    log: options.log,
    version: options.version,
    clock: options.clock,
  });
  const transport = new StdioServerTransport(options.stdin, options.stdout);
  const closed = new Promise<void>((resolve) => {
    transport.onclose = resolve;
  });
  await server.connect(transport);
  // the SDK's stdio transport does not end with its input: a client that closes stdin is done with the server
  (options.stdin ?? process.stdin).once('end', () => void server.close());
  return { closed, close: () => server.close() };
}

function isTenantMismatch(err: unknown): boolean {
  return (err as { code?: unknown }).code === MCP_TENANT_MISMATCH.code;
}
