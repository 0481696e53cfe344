// The operator console under /console on the admin listener (loopback). A one-time link (`casebridge console`)
// becomes an HttpOnly, SameSite=Strict session cookie and is stripped from the address bar by a redirect; the
// link's query string is never logged (request-log.ts logs paths only, and this scope's error handler too).
// Pages are read-only; the two actions are POST forms with the session's form token that ask for confirmation
// on a page of their own, and are recorded in the operator action log. Strict CSP: scripts and styles are files.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomUUID } from 'node:crypto';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { isAppError } from '../../errors/app-error.js';
import type { Logger } from '../../logging/logger.js';
import { ConsoleAccess, type ConsoleSession } from '../../services/console/console-access.js';
import type { ConsoleData } from '../../services/console/console-data.js';
import { markup } from './html.js';
import { page } from './layout.js';
import {
  auditBody,
  confirmBody,
  funnelBody,
  knowledgeBody,
  messageBody,
  monitoringBody,
  outboxBody,
  tenantsBody,
  usageBody,
  type AuditQuery,
} from './pages.js';

export const SESSION_COOKIE = 'cb_console';

export interface ConsoleDeps {
  data: ConsoleData;
  access: ConsoleAccess;
  log: Logger;
}

export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const ASSETS: Record<string, string> = {
  'console.css': 'text/css; charset=utf-8',
  'console.js': 'text/javascript; charset=utf-8',
  'usage-charts.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

const assetCache = new Map<string, Promise<string>>();
function cached(key: string, load: () => Promise<string>): Promise<string> {
  let found = assetCache.get(key);
  if (found === undefined) assetCache.set(key, (found = load()));
  return found;
}

/** chart.js's UMD build, served as it ships in node_modules */
function chartJs(): Promise<string> {
  return cached('chart.js', () => {
    const main = createRequire(import.meta.url).resolve('chart.js');
    return readFile(join(dirname(main), 'chart.umd.min.js'), 'utf8');
  });
}

function cookieOf(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function formOf(request: FastifyRequest): Record<string, string> {
  return (request.body ?? {}) as Record<string, string>;
}

const AUDIT_LIMIT = 200;

/** `4xx` → class 4, `403` → exact; null when it is neither */
function parseStatus(text: string): { exact: number } | { class: number } | null {
  const klass = /^([1-5])xx$/i.exec(text);
  if (klass?.[1] !== undefined) return { class: Number(klass[1]) };
  if (/^[1-5]\d\d$/.test(text)) return { exact: Number(text) };
  return null;
}

/** a datetime-local value read as UTC (the console shows UTC everywhere) */
function parseUtc(text: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(text)) return null;
  const at = new Date(`${text}Z`);
  return Number.isNaN(at.getTime()) ? null : at;
}

export function registerConsole(app: FastifyInstance, deps: ConsoleDeps): void {
  const { data, access } = deps;
  const log = deps.log.child({ component: 'console' });

  void app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: 16 * 1024 },
      (_request, body, parsed) => {
        const text = typeof body === 'string' ? body : body.toString('utf8');
        parsed(null, Object.fromEntries(new URLSearchParams(text)));
      },
    );
    scope.addHook('onSend', (_request, reply, payload, next) => {
      void reply
        .header('content-security-policy', CONSOLE_CSP)
        .header('x-content-type-options', 'nosniff')
        .header('x-frame-options', 'DENY')
        // the login link must not travel on in a Referer header
        .header('referrer-policy', 'no-referrer')
        .header('cache-control', 'no-store');
      next(null, payload);
    });
    scope.setErrorHandler((err, request, reply) => {
      const reference = randomUUID();
      const known = isAppError(err);
      // the path only: the login link's token is in the query string
      if (!known)
        log.error(
          { reference, err, method: request.method, path: request.url.split('?')[0] },
          'console error',
        );
      const text = known
        ? `${err.code}: ${err.message} ${err.fix}`
        : `Something went wrong (reference ${reference}, in the service log).`;
      void reply
        .status(known ? err.httpStatus : 500)
        .type('text/html; charset=utf-8')
        .send(page({ title: 'Something went wrong', body: messageBody(text, 'error') }));
    });

    const html = (reply: FastifyReply, status: number, body: string): FastifyReply =>
      reply.status(status).type('text/html; charset=utf-8').send(body);

    const signedOut = (reply: FastifyReply): FastifyReply =>
      html(
        reply,
        401,
        page({
          title: 'Sign in',
          body: markup`<p>Run <code>casebridge console</code> on the machine running casebridge and open the link it
            prints. A link works once, within 5 minutes.</p>`,
        }),
      );

    /** the request's session, or null after answering with the sign-in page */
    const sessionOf = async (
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<ConsoleSession | null> => {
      const session = await access.session(cookieOf(request, SESSION_COOKIE));
      if (session === null) void signedOut(reply);
      return session;
    };

    /** a POST's session, refused without the session's form token */
    const postSession = async (
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<ConsoleSession | null> => {
      const session = await sessionOf(request, reply);
      if (session === null) return null;
      if (!ConsoleAccess.sameCsrf(session, formOf(request)['csrf'])) {
        void html(
          reply,
          403,
          page({
            title: 'Refused',
            csrf: session.csrf,
            body: messageBody(
              'The form was not sent by this console session. Reload the page and try again.',
              'error',
            ),
          }),
        );
        return null;
      }
      return session;
    };

    scope.get('/console/assets/:name', async (request, reply) => {
      const name = (request.params as { name: string }).name;
      const type = ASSETS[name];
      if (type === undefined)
        return html(reply, 404, page({ title: 'Not found', body: messageBody('No such file.', 'error') }));
      const text = await cached(name, () => readFile(new URL(`./assets/${name}`, import.meta.url), 'utf8'));
      return reply.type(type).send(text);
    });
    scope.get('/console/vendor/chart.umd.min.js', async (_request, reply) =>
      reply.type('text/javascript; charset=utf-8').send(await chartJs()),
    );

    scope.get('/console/login', async (request, reply) => {
      const token = (request.query as { t?: unknown }).t;
      const redeemed = typeof token === 'string' ? await access.redeem(token) : null;
      if (redeemed === null) {
        log.info({}, 'console link refused (unknown, used or expired)');
        return html(
          reply,
          401,
          page({
            title: 'This link no longer works',
            body: messageBody(
              'The link was already used or has expired (links work once, within 5 minutes). Run casebridge console for a new one.',
              'error',
            ),
          }),
        );
      }
      log.info({ actor: redeemed.session.actor }, 'console session started');
      return reply
        .header(
          'set-cookie',
          `${SESSION_COOKIE}=${encodeURIComponent(redeemed.sessionToken)}; Path=/console; HttpOnly; SameSite=Strict`,
        )
        .redirect('/console', 303);
    });

    scope.post('/console/logout', async (request, reply) => {
      const session = await postSession(request, reply);
      if (session === null) return reply;
      await access.end(cookieOf(request, SESSION_COOKIE));
      return reply
        .header('set-cookie', `${SESSION_COOKIE}=; Path=/console; HttpOnly; SameSite=Strict; Max-Age=0`)
        .redirect('/console', 303);
    });

    const view = (
      path: string,
      title: string,
      body: (session: ConsoleSession, request: FastifyRequest) => Promise<ReturnType<typeof markup>>,
      scripts?: string[],
    ): void => {
      scope.get(path, async (request, reply) => {
        const session = await sessionOf(request, reply);
        if (session === null) return reply;
        return html(
          reply,
          200,
          page({
            title,
            current: path,
            csrf: session.csrf,
            body: await body(session, request),
            ...(scripts === undefined ? {} : { scripts }),
          }),
        );
      });
    };

    view('/console', 'Tenants', async (session) => tenantsBody(await data.tenants(), session.csrf));
    view('/console/knowledge', 'Knowledge', async () => knowledgeBody(await data.knowledge()));
    view('/console/monitoring', 'Ticket monitoring', async () => monitoringBody(await data.monitoring()));
    view('/console/usage', 'API usage', async () => usageBody(await data.usage()), [
      '/console/vendor/chart.umd.min.js',
      '/console/assets/usage-charts.js',
    ]);
    view('/console/outbox', 'Outbox', async (session) => outboxBody(await data.outbox(), session.csrf));
    view('/console/funnel', 'Resolution funnel', async () => funnelBody(await data.funnels()));
    view('/console/audit', 'Audit log', async (_session, request) => {
      const raw = request.query as Record<string, unknown>;
      const text = (key: string): string => (typeof raw[key] === 'string' ? raw[key].trim() : '');
      const query: AuditQuery = {
        tenant: text('tenant'),
        path: text('path').slice(0, 200),
        status: text('status'),
        from: text('from'),
        to: text('to'),
      };
      const problems: string[] = [];
      const status = query.status === '' ? null : parseStatus(query.status);
      if (query.status !== '' && status === null)
        problems.push('Status must be a code like 403 or a class like 4xx.');
      const from = query.from === '' ? null : parseUtc(query.from);
      if (query.from !== '' && from === null) problems.push('From must be a date and time.');
      const to = query.to === '' ? null : parseUtc(query.to);
      if (query.to !== '' && to === null) problems.push('To must be a date and time.');
      const [{ entries, actions }, tenants] = await Promise.all([
        data.audit({
          ...(query.tenant === '' ? {} : { tenantId: query.tenant }),
          ...(query.path === '' ? {} : { path: query.path }),
          ...(status === null ? {} : { status }),
          ...(from === null ? {} : { from }),
          ...(to === null ? {} : { to }),
          limit: AUDIT_LIMIT,
        }),
        data.status(),
      ]);
      return auditBody(
        query,
        tenants.tenants.map((t) => t.id),
        entries,
        actions,
        AUDIT_LIMIT,
        problems.length === 0 ? null : problems.join(' '),
      );
    });

    scope.post('/console/tenants/:tenantId/doctor', async (request, reply) => {
      const session = await postSession(request, reply);
      if (session === null) return reply;
      const tenantId = (request.params as { tenantId: string }).tenantId;
      const action = `/console/tenants/${encodeURIComponent(tenantId)}/doctor`;
      if (formOf(request)['confirmed'] !== 'yes')
        return html(
          reply,
          200,
          page({
            title: 'Confirm',
            csrf: session.csrf,
            body: confirmBody(`Run doctor again for ${tenantId}?`, action, session.csrf, '/console'),
          }),
        );
      const job = await data.runDoctor(session.actor, tenantId);
      return html(
        reply,
        202,
        page({
          title: 'Doctor started',
          current: '/console',
          csrf: session.csrf,
          body: messageBody(`Doctor job ${job.id} for ${tenantId} is ${job.state}.`, 'ok', {
            href: '/console',
            label: 'Back to the tenants (reload to see the new report)',
          }),
        }),
      );
    });

    scope.post('/console/dead-letters/:id/retry', async (request, reply) => {
      const session = await postSession(request, reply);
      if (session === null) return reply;
      const id = (request.params as { id: string }).id;
      const action = `/console/dead-letters/${encodeURIComponent(id)}/retry`;
      if (formOf(request)['confirmed'] !== 'yes')
        return html(
          reply,
          200,
          page({
            title: 'Confirm',
            csrf: session.csrf,
            body: confirmBody(`Retry dead letter #${id}?`, action, session.csrf, '/console/outbox'),
          }),
        );
      await data.retryDeadLetter(session.actor, id);
      return html(
        reply,
        200,
        page({
          title: 'Dead letter put back',
          current: '/console/outbox',
          csrf: session.csrf,
          body: messageBody(`Dead letter #${id} is due for delivery again.`, 'ok', {
            href: '/console/outbox',
            label: 'Back to the outbox',
          }),
        }),
      );
    });
    done();
  });
}
