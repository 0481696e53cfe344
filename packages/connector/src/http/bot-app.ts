// The bot API: employees' own tickets and the tenant's knowledge, for the operator's bot platform. Its own listener
// (CASEBRIDGE_BOT_PORT). An employee session (from POST /v1/sessions) travels only in the Authorization header;
// neither it nor the identity token is ever logged or put in a URL. One audit line per call: tenant, Contact,
// operation, status.

import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { z } from 'zod';

import type { BotSession } from '../domain/bot/bot-ports.js';
import type { RateBucket, RateCounter } from '../domain/bot/api-key-ports.js';
import { firstRefused, MemoryRateCounter, type RateLimit } from '../domain/bot/rate-window.js';
import type { Clock } from '../domain/ports.js';
import { appError } from '../errors/app-error.js';
import {
  BOT_BAD_REQUEST,
  BOT_BODY_TOO_LARGE,
  BOT_IDEMPOTENCY_KEY_MISSING,
  BOT_INPUT_REFUSED,
  BOT_INTERNAL,
  BOT_ROUTE_NOT_FOUND,
  BOT_UNSUPPORTED_MEDIA_TYPE,
  BOT_RATE_LIMITED,
  BOT_SESSION_INVALID,
  BOT_API_KEY_TENANT_MISMATCH,
  BOT_KEY_RATE_LIMITED,
} from '../errors/codes/bot.js';
import type { Logger } from '../logging/logger.js';
import type { BotApiKeyService, VerifiedApiKey } from '../services/bot/bot-api-keys.js';
import type { BotSessionService } from '../services/bot/bot-sessions.js';
import type { BotTicketService } from '../services/bot/bot-tickets.js';
import type { ConversationEngine } from '../services/conversation/conversation-engine.js';
import {
  BOT_OPERATIONS,
  IdempotencyKey,
  operation,
  type BotOperation,
  type ConversationHistoryQuery,
  type ConversationInputBody,
  type CreateSessionBody,
  type FileTicketBody,
  type SearchBody,
} from './bot/contracts.js';
import { botOpenApiDocument } from './bot/openapi.js';
import { DEFAULT_BODY_LIMIT } from './create-server.js';
import { installErrorHandler, wireError, type ListenerErrorCodes } from './error-handler.js';
import { refuseUnsafeInput } from './refuse-unsafe-input.js';
import { hasChatCookie, sessionTokenOf } from './chat/session-cookie.js';
import { registerChatRoutes, type ChatRouteDeps } from './chat/chat-routes.js';
import { InvariantError } from '../errors/invariant-error.js';

export interface BotAppDeps {
  sessions: BotSessionService;
  tickets: BotTicketService;
  /** the conversation engine behind /v1/conversation (services/conversation/) */
  conversation: ConversationEngine;
  log: Logger;
  version: string;
  /** requests per employee and window (default 120 a minute) */
  employeeLimit?: RateLimit;
  /** every time the bot API reads (rate windows, fresh reads): main.ts's, or a test's */
  clock: Clock;
  /** the platform's API keys: every operation then needs `X-Api-Key` (served apps always have them) */
  apiKeys?: Pick<BotApiKeyService, 'verify'>;
  /** where requests are counted: the shared store as served, so workers share each limit; else this worker */
  rates?: RateCounter;
  /** requests per API key and window (default 3,000 a minute) */
  keyLimit?: RateLimit;
  /** the web chat and its live events (http/chat/chat-routes.ts), on this same listener */
  chat?: Omit<ChatRouteDeps, 'sessions' | 'version'>;
}

/** What the bot listener answers to requests no operation takes: its own codes, fixes that name docs/bot-api.md. */
export const BOT_LISTENER_CODES: ListenerErrorCodes = {
  badRequest: BOT_BAD_REQUEST,
  inputRefused: BOT_INPUT_REFUSED,
  bodyTooLarge: BOT_BODY_TOO_LARGE,
  unsupportedMediaType: BOT_UNSUPPORTED_MEDIA_TYPE,
  notFound: BOT_ROUTE_NOT_FOUND,
  internal: BOT_INTERNAL,
};

export const DEFAULT_EMPLOYEE_LIMIT: RateLimit = { max: 120, windowMs: 60_000 };
export const DEFAULT_KEY_LIMIT: RateLimit = { max: 3_000, windowMs: 60_000 };

/** Calls per tenant since start (every call, refused ones too, under the tenant it named or its session's). */
export type BotCallCounts = ReadonlyMap<string, number>;

function parse<S extends z.ZodType>(schema: S | undefined, input: unknown): z.output<S> {
  if (schema === undefined) return undefined as z.output<S>;
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
  throw appError(BOT_BAD_REQUEST, {
    params: { summary: issues.map((i) => `${i.path || '(body)'}: ${i.message}`).join('; ') },
    details: { issues },
  });
}

export function buildBotApp(deps: BotAppDeps): FastifyInstance & { botCalls: BotCallCounts } {
  const sessions = new WeakMap<FastifyRequest, BotSession>();
  const tenants = new WeakMap<FastifyRequest, string>();
  const calls = new Map<string, number>();
  const limit = deps.employeeLimit ?? DEFAULT_EMPLOYEE_LIMIT;
  const keyLimit = deps.keyLimit ?? DEFAULT_KEY_LIMIT;
  const rates = deps.rates ?? new MemoryRateCounter();
  const keys = new WeakMap<FastifyRequest, VerifiedApiKey>();
  const nowMs = (): number => deps.clock.now().getTime();
  const audit = deps.log.child({ component: 'bot-api' });
  const app = Fastify({
    logger: false,
    bodyLimit: DEFAULT_BODY_LIMIT,
    frameworkErrors: (err, _request, reply) => {
      const error = appError(BOT_BAD_REQUEST, { params: { summary: err.message } });
      void (reply as FastifyReply).status(error.httpStatus).send(wireError(error));
    },
  });
  installErrorHandler(app, deps.log, { bodyLimit: DEFAULT_BODY_LIMIT, codes: BOT_LISTENER_CODES });
  // Every body the bot listener reads is JSON (the chat's sign-in form adds its own parser): without Fastify's
  // text/plain parser, a body sent as text is 415 BOT_UNSUPPORTED_MEDIA_TYPE, not a confusing "expected object".
  app.removeContentTypeParser('text/plain');
  refuseUnsafeInput(app, BOT_LISTENER_CODES);

  const sessionOf = (request: FastifyRequest): BotSession => {
    const session = sessions.get(request);
    if (session === undefined) throw appError(BOT_SESSION_INVALID, { params: { reason: 'no session' } });
    return session;
  };
  const keyOf = (request: FastifyRequest): string => {
    const parsed = IdempotencyKey.safeParse(request.headers['idempotency-key']);
    if (!parsed.success) throw appError(BOT_IDEMPOTENCY_KEY_MISSING);
    return parsed.data;
  };

  /**
   * Before every operation: the platform's API key (when the app has keys: always as served), then the employee's
   * session for employee-scoped operations (a session of another tenant than the key's is unknown here), then one
   * count in each rate bucket (the key's, the employee's) in a single store round trip.
   */
  const admit = async (request: FastifyRequest, reply: FastifyReply, op: BotOperation): Promise<void> => {
    let key: VerifiedApiKey | null = null;
    // The web chat's own pages carry the employee's session in its HttpOnly cookie (CSRF-checked on writes) and
    // no platform key: a key never reaches a browser. Every other caller is a platform and shows its key.
    const byChatCookie = op.session && request.headers.authorization === undefined && hasChatCookie(request);
    if (deps.apiKeys !== undefined && !byChatCookie) {
      const header = request.headers['x-api-key'];
      key = await deps.apiKeys.verify(typeof header === 'string' ? header : undefined);
      keys.set(request, key);
      tenants.set(request, key.tenantId);
    }
    const buckets: RateBucket[] = [];
    if (key !== null)
      buckets.push({ bucket: `key/${key.id}`, max: keyLimit.max, windowMs: keyLimit.windowMs });
    if (op.session) {
      // the Bearer header, or the web chat's cookie with its CSRF token on writes (http/chat/)
      const session = await deps.sessions.authenticate(sessionTokenOf(request));
      if (key !== null && session.tenantId !== key.tenantId)
        throw appError(BOT_SESSION_INVALID, { params: { reason: 'unknown session' } });
      sessions.set(request, session);
      tenants.set(request, session.tenantId);
      buckets.push({
        bucket: `employee/${session.tenantId}/${session.contactId ?? session.email}`,
        max: limit.max,
        windowMs: limit.windowMs,
      });
    }
    if (buckets.length === 0) return;
    const now = nowMs();
    const refused = firstRefused(buckets, await rates.hit(buckets, new Date(now)), now);
    if (refused === null) return;
    void reply.header('retry-after', String(refused.retryAfterSeconds));
    throw appError(refused.bucket.bucket.startsWith('key/') ? BOT_KEY_RATE_LIMITED : BOT_RATE_LIMITED, {
      params: {
        max: refused.bucket.max,
        window: refused.bucket.windowMs / 1000,
        retryAfter: refused.retryAfterSeconds,
      },
    });
  };

  const stateChange = (
    request: FastifyRequest,
    op: BotOperation,
    action: 'close' | 'reopen',
  ): Promise<unknown> => {
    const session = sessionOf(request);
    const { number } = parse(op.params, request.params) as { number: string };
    const { lastSeenUpdatedAt } = parse(op.body, request.body ?? {}) as { lastSeenUpdatedAt?: string };
    return deps.tickets.setState(session, number, action, lastSeenUpdatedAt);
  };
  const handlers: Record<
    string,
    (request: FastifyRequest, reply: FastifyReply, op: BotOperation) => Promise<unknown>
  > = {
    createSession: async (request, reply, op) => {
      const body = parse(op.body, request.body) as z.output<typeof CreateSessionBody>;
      const key = keys.get(request);
      if (key !== undefined && key.tenantId !== body.tenant)
        throw appError(BOT_API_KEY_TENANT_MISMATCH, { params: { tenant: body.tenant } });
      tenants.set(request, body.tenant);
      const created = await deps.sessions.create({
        tenantId: body.tenant,
        identityToken: body.identityToken,
        ...(body.contactId === undefined ? {} : { contactId: body.contactId }),
      });
      void reply.status(201);
      return created;
    },
    endSession: async (request, reply) => {
      await deps.sessions.revoke(sessionOf(request));
      void reply.status(204);
      return null;
    },
    me: (request) => {
      const s = sessionOf(request);
      return Promise.resolve({
        tenant: s.tenantId,
        employee: { contactId: s.contactId, name: s.name, email: s.email },
        expiresAt: s.expiresAt,
      });
    },
    searchKnowledge: (request, _reply, op) => {
      const body = parse(op.body, request.body) as z.output<typeof SearchBody>;
      return deps.tickets.search(sessionOf(request), body.query, {
        ...(body.limit === undefined ? {} : { limit: body.limit }),
        ...(body.language === undefined ? {} : { language: body.language }),
      });
    },
    listTickets: (request) => deps.tickets.listWithFreshness(sessionOf(request)),
    fileTicket: async (request, reply, op) => {
      const session = sessionOf(request);
      const key = keyOf(request);
      const body = parse(op.body, request.body) as z.output<typeof FileTicketBody>;
      const ticket = await deps.tickets.file(
        session,
        {
          subject: body.subject,
          description: body.description,
          ...(body.priority === undefined ? {} : { priority: body.priority }),
          ...(body.fields === undefined ? {} : { fields: body.fields }),
        },
        key,
      );
      void reply.status(201);
      return ticket;
    },
    showTicket: (request, _reply, op) => {
      const { number } = parse(op.params, request.params) as { number: string };
      return deps.tickets.show(sessionOf(request), number);
    },
    commentOnTicket: async (request, reply, op) => {
      const session = sessionOf(request);
      const { number } = parse(op.params, request.params) as { number: string };
      const key = keyOf(request);
      const { text } = parse(op.body, request.body) as { text: string };
      const result = await deps.tickets.comment(session, number, text, key);
      void reply.status(201);
      return result;
    },
    closeTicket: (request, _reply, op) => stateChange(request, op, 'close'),
    reopenTicket: (request, _reply, op) => stateChange(request, op, 'reopen'),
    converse: async (request, reply, op) => {
      const session = sessionOf(request);
      const key = keyOf(request);
      const input = parse(op.body, request.body) as z.output<typeof ConversationInputBody>;
      const turn = await deps.conversation.handle(session, input, key);
      void reply.status(201);
      return turn;
    },
    conversationHistory: async (request, _reply, op) => {
      const { limit } = parse(op.query, request.query ?? {}) as z.output<typeof ConversationHistoryQuery>;
      return { turns: await deps.conversation.history(sessionOf(request), limit ?? 50) };
    },
    forgetConversation: async (request, reply) => {
      await deps.conversation.forget(sessionOf(request));
      void reply.status(204);
      return null;
    },
  };

  app.get('/v1/openapi.json', () => botOpenApiDocument(deps.version));
  app.get('/v1/health', () => ({ ok: true }));
  if (deps.chat !== undefined)
    registerChatRoutes(app, { ...deps.chat, sessions: deps.sessions, version: deps.version });
  for (const op of BOT_OPERATIONS) {
    const handler = handlers[op.id];
    if (handler === undefined) throw new InvariantError(`no handler for bot operation ${op.id}`);
    app.route({
      method: op.method,
      url: op.path,
      onRequest: (request: FastifyRequest, reply: FastifyReply) => admit(request, reply, op),
      handler: (request, reply) => handler(request, reply, operation(op.id)),
    });
  }

  app.addHook('onResponse', (request, reply, done) => {
    const tenant = tenants.get(request) ?? null;
    if (tenant !== null) calls.set(tenant, (calls.get(tenant) ?? 0) + 1);
    const session = sessions.get(request);
    // the API audit: who, which operation, what answer; never a header, a body or a query string
    audit.info(
      {
        reqId: request.id,
        tenantId: tenant,
        contactId: session?.contactId ?? null,
        apiKey: keys.get(request)?.name ?? null,
        method: request.method,
        route: request.routeOptions.url ?? null,
        status: reply.statusCode,
        durationMs: Math.round(reply.elapsedTime),
      },
      'bot api call',
    );
    done();
  });
  return Object.assign(app, { botCalls: calls });
}
