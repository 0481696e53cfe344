// The web chat on the bot API's listener (so the page, its calls and its event stream share one origin):
//   GET  /chat/:tenant/             the page (strict CSP; frame-ancestors = the tenant's allowlist)
//   GET  /chat/assets/:name         its script, stylesheet, the widget script and the icon, served ready (no build)
//   POST /chat/:tenant/session      identity token → employee session in an HttpOnly cookie (JSON or a form post)
//   GET  /chat/:tenant/session      who is signed in, and the CSRF token writes must carry
//   POST /chat/:tenant/sign-out     ends the session and clears the cookie
//   GET  /chat/:tenant/articles/:id an article's body, sanitized
//   GET  /v1/events                 live ticket notifications (server-sent events, replay after Last-Event-ID)
// The page calls the bot API's own operations (/v1/...) with the cookie; no API key ever reaches a browser.

import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import type { BotSession } from '../../domain/bot/bot-ports.js';
import type { ChatFeedEntry, ChatFeedRepository, LiveFeedSubscriber } from '../../domain/chat/chat-ports.js';
import {
  frameAncestors,
  normalizeOrigin,
  originAllowed,
  sessionCookieAttributes,
} from '../../domain/chat/embed-rules.js';
import type { ArticleKey, StoredKnowledgeArticle } from '../../domain/knowledge/article.js';
import type { Tenant } from '../../domain/tenant.js';
import { describeCaseState } from '../../domain/tickets/case-states.js';
import { appError, isAppError } from '../../errors/app-error.js';
import { BOT_BAD_REQUEST, BOT_SESSION_INVALID } from '../../errors/codes/bot.js';
import {
  CHAT_ARTICLE_NOT_FOUND,
  CHAT_ORIGIN_REFUSED,
  CHAT_TENANT_NOT_FOUND,
} from '../../errors/codes/chat.js';
import type { BotSessionService } from '../../services/bot/bot-sessions.js';
import { SESSION_MAX_MS } from '../../services/bot/bot-sessions.js';
import { sanitizeArticleHtml } from './article-html.js';
import { chatPage, notFoundPage } from './chat-page.js';
import { csrfTokenOf, SESSION_COOKIE, sessionTokenOf } from './session-cookie.js';

export interface ChatRouteDeps {
  tenants: { show(id: string): Promise<Tenant> };
  sessions: BotSessionService;
  articles: { get(key: ArticleKey): Promise<StoredKnowledgeArticle | null> };
  feed: Pick<ChatFeedRepository, 'forEmployee'>;
  live: LiveFeedSubscriber;
  version: string;
  /** a heartbeat comment this often keeps proxies from closing an idle stream (default 15 s) */
  heartbeatMs?: number;
}

const ASSETS: Record<string, string> = {
  'chat.js': 'text/javascript; charset=utf-8',
  'chat.css': 'text/css; charset=utf-8',
  'widget.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

interface Asset {
  type: string;
  plain: Buffer;
  gzip: Buffer;
}

/** The chat's files, read and compressed once per process. */
export function chatAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (const [name, type] of Object.entries(ASSETS)) {
    const plain = readFileSync(new URL(`./assets/${name}`, import.meta.url));
    assets.set(name, { type, plain, gzip: gzipSync(plain, { level: 9 }) });
  }
  return assets;
}

/** Content-Security-Policy of the page: nothing inline, nothing from elsewhere, framed only by the allowlist. */
export function chatCsp(allowedOrigins: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' https: data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    `frame-ancestors ${frameAncestors(allowedOrigins)}`,
  ].join('; ');
}

const TenantParams = z.strictObject({ tenant: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a tenant id') });
const SessionBody = z.strictObject({
  identityToken: z.string().min(1).max(8192),
  embedded: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  contactId: z
    .string()
    .regex(/^003[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/)
    .optional(),
});
const ArticleParams = TenantParams.extend({ id: z.string().regex(/^[0-9A-Za-z]{15,18}$/, 'an article id') });
const ArticleQuery = z.strictObject({
  language: z
    .string()
    .regex(/^[A-Za-z_-]{2,10}$/)
    .optional(),
});
const EventsQuery = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
});

function parse<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const summary = parsed.error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
  throw appError(BOT_BAD_REQUEST, { params: { summary } });
}

const allowedOf = (tenant: Tenant): string[] => tenant.settings.chat?.allowedOrigins ?? [];

/** The employee's view of one notification: what the chat shows, never the case id or internal fields. */
export function eventView(entry: ChatFeedEntry): Record<string, unknown> {
  const n = entry.notification;
  const words = describeCaseState(n.state);
  return {
    seq: entry.seq,
    eventId: n.eventId,
    kind: n.kind,
    caseNumber: n.caseNumber,
    state: n.state,
    label: words.label,
    meaning: words.meaning,
    occurredAt: n.occurredAt,
    ...(n.comment === undefined ? {} : { comment: { body: n.comment.body, createdAt: n.comment.createdAt } }),
    ...(n.ended === undefined ? {} : { ended: { reason: n.ended.reason } }),
    ...(n.reminder === undefined ? {} : { reminder: { number: n.reminder.number, of: n.reminder.of } }),
    // a resolution offer's articles (public knowledge, as the employee would see them), shown as cards
    ...(n.offer === undefined
      ? {}
      : {
          offer: {
            articles: n.offer.articles.map((a) => ({
              articleId: a.articleId,
              title: a.title,
              section: a.section,
              snippet: a.snippet,
              link: a.link,
              marks: [],
            })),
          },
        }),
  };
}

const REPLAY_PAGE = 200;

export function registerChatRoutes(app: FastifyInstance, deps: ChatRouteDeps): void {
  const assets = chatAssets();
  const streams = new Set<ServerResponse>();
  app.addHook('onClose', (_app, done) => {
    for (const stream of streams) stream.end();
    done();
  });
  // The sign-in form an intranet page posts (application/x-www-form-urlencoded); values are read as text only.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(
        null,
        Object.fromEntries(new URLSearchParams(typeof body === 'string' ? body : body.toString('utf8'))),
      );
    },
  );

  const tenantOf = async (id: string): Promise<Tenant> => {
    try {
      return await deps.tenants.show(id);
    } catch (err) {
      if (isAppError(err, 'TENANT_NOT_FOUND'))
        throw appError(CHAT_TENANT_NOT_FOUND, { params: { tenant: id } });
      throw err;
    }
  };
  const sessionFor = async (request: FastifyRequest, tenant?: string): Promise<BotSession> => {
    const session = await deps.sessions.authenticate(sessionTokenOf(request));
    if (tenant !== undefined && session.tenantId !== tenant)
      throw appError(BOT_SESSION_INVALID, { params: { reason: 'the session is for another tenant' } });
    return session;
  };
  const security = (reply: FastifyReply): FastifyReply =>
    reply
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', 'no-store');

  app.get('/chat/assets/:name', (request, reply) => {
    const { name } = request.params as { name: string };
    const asset = assets.get(name);
    if (asset === undefined) return security(reply).status(404).type('text/plain').send('not found');
    const gzip = /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
    void reply
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'public, max-age=300')
      .header('vary', 'accept-encoding')
      .type(asset.type);
    if (gzip) void reply.header('content-encoding', 'gzip');
    return reply.send(gzip ? asset.gzip : asset.plain);
  });

  app.get('/chat/:tenant', (request, reply) => {
    const { tenant } = request.params as { tenant: string };
    return reply.redirect(`/chat/${encodeURIComponent(tenant)}/`, 301);
  });

  app.get('/chat/:tenant/', async (request, reply) => {
    const params = TenantParams.safeParse(request.params);
    let tenant: Tenant | null = null;
    if (params.success)
      try {
        tenant = await tenantOf(params.data.tenant);
      } catch (err) {
        if (!isAppError(err, 'CHAT_TENANT_NOT_FOUND')) throw err;
      }
    if (tenant === null)
      return security(reply)
        .status(404)
        .header('content-security-policy', chatCsp([]))
        .type('text/html; charset=utf-8')
        .send(notFoundPage());
    const allowed = allowedOf(tenant);
    const embedded = (request.query as Record<string, unknown>)['embed'] === '1';
    return security(reply)
      .header('content-security-policy', chatCsp(allowed))
      .type('text/html; charset=utf-8')
      .send(
        chatPage({
          tenant: tenant.id,
          tenantName: tenant.name,
          embedded,
          allowedOrigins: allowed,
          version: deps.version,
        }),
      );
  });

  app.post('/chat/:tenant/session', async (request, reply) => {
    const { tenant: tenantId } = parse(TenantParams, request.params);
    const tenant = await tenantOf(tenantId);
    const origin = request.headers.origin;
    const own =
      origin !== undefined && normalizeOrigin(origin) !== null && new URL(origin).host === request.host;
    // A sign-in is a write with no session yet: only this page (embedded or not) or an allowlisted intranet page
    // may make one, so no other site can sign a browser in under someone else's identity.
    if (!own && !originAllowed(origin, allowedOf(tenant)))
      throw appError(CHAT_ORIGIN_REFUSED, { params: { origin: origin ?? '(none)', tenant: tenant.id } });
    const form = request.headers['content-type']?.startsWith('application/x-www-form-urlencoded') === true;
    const body = parse(SessionBody, request.body ?? {});
    const created = await deps.sessions.create({
      tenantId: tenant.id,
      identityToken: body.identityToken,
      ...(body.contactId === undefined ? {} : { contactId: body.contactId }),
    });
    const mode = body.embedded === true ? 'embedded' : 'standalone';
    void security(reply).header(
      'set-cookie',
      `${SESSION_COOKIE}=${created.session}; ${sessionCookieAttributes(mode, request.protocol === 'https', SESSION_MAX_MS / 1000)}`,
    );
    if (form) return reply.redirect(`/chat/${encodeURIComponent(tenant.id)}/`, 303);
    return reply.status(201).send({
      employee: created.employee,
      expiresAt: created.expiresAt,
      csrf: csrfTokenOf(created.session),
    });
  });

  app.get('/chat/:tenant/session', async (request, reply) => {
    const { tenant } = parse(TenantParams, request.params);
    const session = await sessionFor(request, tenant);
    return security(reply).send({
      employee: { contactId: session.contactId, name: session.name, email: session.email },
      expiresAt: session.expiresAt,
      csrf: csrfTokenOf(sessionTokenOf(request)),
    });
  });

  app.post('/chat/:tenant/sign-out', async (request, reply) => {
    const { tenant } = parse(TenantParams, request.params);
    const session = await sessionFor(request, tenant);
    await deps.sessions.revoke(session);
    // the cookie is cleared under both attribute sets: a partitioned cookie is only replaced by a partitioned one
    return security(reply)
      .header('set-cookie', [
        `${SESSION_COOKIE}=; ${sessionCookieAttributes('standalone', request.protocol === 'https', 0)}`,
        `${SESSION_COOKIE}=; ${sessionCookieAttributes('embedded', true, 0)}`,
      ])
      .status(204)
      .send();
  });

  app.get('/chat/:tenant/articles/:id', async (request, reply) => {
    const { tenant, id } = parse(ArticleParams, request.params);
    const { language } = parse(ArticleQuery, request.query);
    await sessionFor(request, tenant);
    const settings = (await tenantOf(tenant)).settings;
    const article = await deps.articles.get({
      tenantId: tenant,
      articleId: id,
      language: language ?? settings.knowledge.language,
    });
    if (article === null) throw appError(CHAT_ARTICLE_NOT_FOUND);
    return security(reply).send({
      title: article.title,
      articleNumber: article.articleNumber,
      html: sanitizeArticleHtml(article.bodyHtml),
      lastPublishedAt: article.lastPublishedAt,
    });
  });

  app.get('/v1/events', async (request, reply) => {
    const session = await sessionFor(request);
    const { after } = parse(EventsQuery, request.query);
    const lastEventId = request.headers['last-event-id'];
    // Last-Event-ID (sent by the browser on a reconnect) wins over the page's own ?after= from its last visit
    let sent = Number(
      typeof lastEventId === 'string' && /^\d{1,15}$/.test(lastEventId) ? lastEventId : (after ?? '0'),
    );
    reply.hijack();
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    streams.add(raw);
    raw.write('retry: 2000\n\n');
    const send = (entry: ChatFeedEntry): void => {
      if (entry.seq <= sent || raw.writableEnded) return;
      sent = entry.seq;
      raw.write(`id: ${entry.seq}\nevent: ticket\ndata: ${JSON.stringify(eventView(entry))}\n\n`);
    };
    const employee = session.contactId;
    let unsubscribe = (): void => undefined;
    const heartbeat = setInterval(() => raw.write(': keep-alive\n\n'), deps.heartbeatMs ?? 15_000);
    heartbeat.unref();
    const closed = (): void => {
      clearInterval(heartbeat);
      unsubscribe();
      streams.delete(raw);
    };
    request.raw.on('close', closed);
    if (employee === null) {
      // no Contact behind the session: nothing is addressed to it (notifications follow Contacts)
      raw.write('event: ready\ndata: {"live":false}\n\n');
      return;
    }
    // live first, then the replay: an entry written in between reaches the page by one path or both, once
    const queued: ChatFeedEntry[] = [];
    let replaying = true;
    unsubscribe = await deps.live.subscribe(session.tenantId, employee, (entry) => {
      if (replaying) queued.push(entry);
      else send(entry);
    });
    if (raw.writableEnded || raw.destroyed) return unsubscribe();
    for (;;) {
      const page = await deps.feed.forEmployee(session.tenantId, employee, sent, REPLAY_PAGE);
      for (const entry of page) send(entry);
      if (page.length < REPLAY_PAGE) break;
    }
    replaying = false;
    for (const entry of queued.sort((a, b) => a.seq - b.seq)) send(entry);
    raw.write('event: ready\ndata: {"live":true}\n\n');
  });
}
