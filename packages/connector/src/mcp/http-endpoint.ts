// The Streamable HTTP transport, mounted at /mcp on the bot listener (CASEBRIDGE_BOT_HOST, loopback by default): the
// same audience as the bot API, the same employee sessions from POST /v1/sessions, the same TLS proxy in front, so
// one port to open, not two. Every request carries the session as `Authorization: Bearer`, is authenticated (an
// ended or expired session is a 401 at once) and counted against the employee's rate window; a request with a web
// Origin not allowed is refused before anything else (the spec's DNS-rebinding defence). An MCP session is bound to
// the employee session it was opened with, and so to one tenant and one employee: another session's token on it is
// refused. MCP sessions live in this worker's memory and end after 30 minutes unused, with the employee session.

import { randomUUID } from 'node:crypto';

import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { isInitializeRequest } from '@modelcontextprotocol/sdk/types.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import type { BotSession } from '../domain/bot/bot-ports.js';
import { RateWindows, type RateLimit } from '../domain/bot/rate-window.js';
import type { Clock } from '../domain/ports.js';
import { appError } from '../errors/app-error.js';
import { BOT_RATE_LIMITED, BOT_SESSION_INVALID } from '../errors/codes/bot.js';
import {
  MCP_BAD_REQUEST,
  MCP_BODY_TOO_LARGE,
  MCP_INPUT_REFUSED,
  MCP_INTERNAL,
  MCP_ORIGIN_REFUSED,
  MCP_SESSION_MISMATCH,
  MCP_SESSION_NOT_FOUND,
  MCP_UNSUPPORTED_MEDIA_TYPE,
} from '../errors/codes/mcp.js';
import type { RouteErrorCodes } from '../http/error-handler.js';
import type { Logger } from '../logging/logger.js';
import { SESSION_IDLE_MS, type BotSessionService } from '../services/bot/bot-sessions.js';
import type { BotTicketService } from '../services/bot/bot-tickets.js';
import { serviceDesk } from './employee-desk.js';
import { createEmployeeMcpServer } from './employee-mcp-server.js';

export const MCP_PATH = '/mcp';
/**
 * What /mcp answers to a request its transport cannot take (bad JSON, another content type, a body too large, a NUL
 * byte): codes whose fixes name docs/mcp.md, not the bot API's operations, though it shares their listener.
 */
export const MCP_ENDPOINT_CODES: RouteErrorCodes = {
  badRequest: MCP_BAD_REQUEST,
  inputRefused: MCP_INPUT_REFUSED,
  bodyTooLarge: MCP_BODY_TOO_LARGE,
  unsupportedMediaType: MCP_UNSUPPORTED_MEDIA_TYPE,
  internal: MCP_INTERNAL,
};

export const DEFAULT_MCP_EMPLOYEE_LIMIT: RateLimit = { max: 120, windowMs: 60_000 };

export interface McpEndpointDeps {
  sessions: BotSessionService;
  tickets: BotTicketService;
  log: Logger;
  version: string;
  /** web origins allowed besides none (CASEBRIDGE_MCP_ALLOWED_ORIGINS) */
  allowedOrigins?: readonly string[];
  /** requests per employee and window on /mcp (default 120 a minute), counted per worker */
  employeeLimit?: RateLimit;
  /** session idle time and the rate windows read this (main.ts's, or a test's) */
  clock: Clock;
}

interface OpenSession {
  transport: StreamableHTTPServerTransport;
  tokenHash: string;
  /** the employee session as this MCP session's latest request authenticated it */
  current: BotSession;
  lastUsedMs: number;
}

/** What GET /mcp answers: no server-initiated stream (every answer comes with its POST; the spec allows 405). */
function refuseStream(reply: FastifyReply): void {
  void reply
    .status(405)
    .header('allow', 'POST, DELETE')
    .send({
      jsonrpc: '2.0',
      error: { code: -32000, message: 'This server sends no stream on GET; POST your requests.' },
      id: null,
    });
}

export function mountMcpEndpoint(app: FastifyInstance, deps: McpEndpointDeps): void {
  const open = new Map<string, OpenSession>();
  const allowed = new Set(deps.allowedOrigins ?? []);
  const limit = deps.employeeLimit ?? DEFAULT_MCP_EMPLOYEE_LIMIT;
  const windows = new RateWindows(limit);
  const nowMs = (): number => deps.clock.now().getTime();
  const log = deps.log.child({ component: 'mcp-http' });

  const sweep = (now: number): void => {
    for (const [id, session] of open)
      if (now - session.lastUsedMs >= SESSION_IDLE_MS) {
        open.delete(id);
        void session.transport.close();
      }
  };

  const authenticate = async (request: FastifyRequest, reply: FastifyReply): Promise<BotSession> => {
    const origin = request.headers.origin;
    if (origin !== undefined && !allowed.has(origin))
      throw appError(MCP_ORIGIN_REFUSED, { params: { origin: origin.slice(0, 200) } });
    const match = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '');
    // RFC 6750 §3: a protected resource names its scheme on a 401
    void reply.header('www-authenticate', 'Bearer realm="casebridge"');
    if (!match?.[1])
      throw appError(BOT_SESSION_INVALID, { params: { reason: 'no session in the Authorization header' } });
    const session = await deps.sessions.authenticate(match[1]);
    void reply.removeHeader('www-authenticate');
    const decision = windows.take(`${session.tenantId}\0${session.contactId ?? session.email}`, nowMs());
    if (!decision.allowed) {
      void reply.header('retry-after', String(decision.retryAfterSeconds));
      throw appError(BOT_RATE_LIMITED, {
        params: { max: limit.max, window: limit.windowMs / 1000, retryAfter: decision.retryAfterSeconds },
      });
    }
    return session;
  };

  const opened = async (session: BotSession): Promise<OpenSession> => {
    sweep(nowMs());
    const entry: OpenSession = {
      tokenHash: session.tokenHash,
      current: session,
      lastUsedMs: nowMs(),
      transport: new StreamableHTTPServerTransport({
        sessionIdGenerator: randomUUID,
        enableJsonResponse: true,
        onsessioninitialized: (id) => {
          open.set(id, entry);
          log.info({ tenantId: session.tenantId, contactId: session.contactId }, 'mcp session opened');
        },
        onsessionclosed: (id) => {
          open.delete(id);
        },
      }),
    };
    const server = createEmployeeMcpServer(() => serviceDesk(deps.tickets, entry.current), {
      log: deps.log.child({ tenantId: session.tenantId, contactId: session.contactId }),
      version: deps.version,
      clock: deps.clock,
    });
    await server.connect(entry.transport);
    return entry;
  };

  app.route({
    method: ['GET', 'POST', 'DELETE'],
    url: MCP_PATH,
    config: { errorCodes: MCP_ENDPOINT_CODES },
    handler: async (request, reply) => {
      const session = await authenticate(request, reply);
      const id = request.headers['mcp-session-id'];
      let entry: OpenSession;
      if (typeof id === 'string') {
        const found = open.get(id);
        if (found === undefined) throw appError(MCP_SESSION_NOT_FOUND, { params: { id: id.slice(0, 100) } });
        if (found.tokenHash !== session.tokenHash) throw appError(MCP_SESSION_MISMATCH);
        entry = found;
        entry.current = session;
        entry.lastUsedMs = nowMs();
      } else if (request.method === 'POST' && isInitializeRequest(request.body)) {
        entry = await opened(session);
      } else
        throw appError(MCP_BAD_REQUEST, {
          params: { summary: 'send initialize first, then its Mcp-Session-Id header with every request' },
        });
      if (request.method === 'GET') {
        refuseStream(reply);
        return reply;
      }
      reply.hijack();
      await entry.transport.handleRequest(request.raw, reply.raw, request.body);
      return reply;
    },
  });
  app.addHook('onClose', async () => {
    const sessions = [...open.values()];
    open.clear();
    await Promise.all(sessions.map((s) => s.transport.close()));
  });
}
