// The agent console: a small web app on each org's listener under /console that stands in for Salesforce's
// Service Console. Agents sign in with their username and password (session cookie), list and open cases,
// comment publicly or internally, and change status and owner. It reads and writes only through the org's data
// engine as the signed-in agent; writes are UI actions in the call log (see case-writes.ts).

import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Clock } from '../clock.js';
import { SalesforceError } from '../errors.js';
import type { ApiRequest, ApiResult } from '../http/api-types.js';
import type { CallContext, OrgData } from '../org/contract.js';
import { caseBody, commentsFragment } from './case-page.js';
import { CaseQueries, isId, type CaseFilter } from './case-queries.js';
import { CaseWrites, type UiActionLog } from './case-writes.js';
import { markup, type SafeHtml } from './html.js';
import {
  assetResult,
  cookie,
  cookies,
  crossSite,
  formOf,
  htmlResult,
  redirect,
  safeNext,
} from './http-parts.js';
import { page, type Viewer } from './layout.js';
import { listBody } from './list-page.js';
import { loginPage } from './login-page.js';
import {
  LOGIN_COOKIE,
  SESSION_COOKIE,
  SessionStore,
  newToken,
  sameToken,
  type ConsoleSession,
} from './sessions.js';

/** What the console needs of its org: nothing of HTTP, tokens or faults. */
export interface ConsoleHost {
  data: OrgData;
  /** user id → password, as the username-password grant checks them */
  passwords: ReadonlyMap<string, string>;
  clock: Clock;
  log: UiActionLog;
}

export interface AgentConsole {
  handles(path: string): boolean;
  handle(remoteAddress: string | undefined, req: ApiRequest): Promise<ApiResult>;
}

/** The API version the console's reads and writes run under (record URLs only; the console shows none). */
const API_VERSION = '62.0';
const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);
const ASSETS: Record<string, string> = {
  'console.css': 'text/css;charset=UTF-8',
  'console.js': 'text/javascript;charset=UTF-8',
  'favicon.svg': 'image/svg+xml',
};
const MAX_COMMENT = 4000;

const assetCache = new Map<string, Promise<string>>();
function asset(name: string): Promise<string> {
  let found = assetCache.get(name);
  if (found === undefined) {
    found = readFile(new URL(`./assets/${name}`, import.meta.url), 'utf8');
    assetCache.set(name, found);
  }
  return found;
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function createConsole(host: ConsoleHost): AgentConsole {
  const sessions = new SessionStore(host.clock);
  const queries = new CaseQueries(host.data);
  const writes = new CaseWrites(host.data, host.log, () => host.clock.now());
  const orgName = (): string => host.data.settings.name;

  const userName = (userId: string): string => {
    const u = host.data.getUser(userId);
    if (u === undefined) return userId;
    const name = [u['FirstName'], u['LastName']].filter((p) => typeof p === 'string' && p !== '').join(' ');
    return name || String(u['Username']);
  };

  const render = (
    status: number,
    title: string,
    session: ConsoleSession | undefined,
    body: SafeHtml,
  ): ApiResult => {
    const viewer: Viewer | undefined =
      session === undefined ? undefined : { name: userName(session.userId), csrf: session.csrf };
    const flash = session?.flash;
    if (session !== undefined) session.flash = undefined;
    return htmlResult(status, page({ title, orgName: orgName(), viewer, flash, body }));
  };

  const problem = (status: number, title: string, text: string, session?: ConsoleSession): ApiResult =>
    render(
      status,
      title,
      session,
      markup`<section class="panel problem">
        <h1>${title}</h1>
        <p>${text}</p>
        <p><a href="/console/cases">Back to cases</a></p>
      </section>`,
    );

  /** the signed-in agent, or undefined; a session of a user deactivated since is closed */
  const sessionOf = (req: ApiRequest): ConsoleSession | undefined => {
    const id = cookies(req).get(SESSION_COOKIE);
    const session = sessions.find(id);
    if (session === undefined) return undefined;
    if (host.data.getUser(session.userId)?.['IsActive'] !== true) {
      sessions.close(session.id);
      return undefined;
    }
    return session;
  };

  const toLogin = (req: ApiRequest): ApiResult => {
    const back = req.query.toString();
    return redirect(
      `/console/login?next=${encodeURIComponent(back === '' ? req.path : `${req.path}?${back}`)}`,
    );
  };

  const loginForm = (req: ApiRequest, status = 200, error?: string, username?: string): ApiResult => {
    const existing = cookies(req).get(LOGIN_COOKIE);
    const token = existing !== undefined && /^[A-Za-z0-9_-]{32}$/.test(existing) ? existing : newToken();
    const next = safeNext(req.query.get('next') ?? formOf(req)?.get('next'));
    const body = loginPage({
      orgName: orgName(),
      token,
      next,
      ...(error !== undefined ? { error } : {}),
      ...(username !== undefined ? { username } : {}),
    });
    return htmlResult(status, body, { 'set-cookie': cookie(LOGIN_COOKIE, token, 1800) });
  };

  const login = (req: ApiRequest): ApiResult => {
    const form = formOf(req);
    if (form === undefined) return loginForm(req, 415, 'Send the sign-in form as a normal form post.');
    if (!sameToken(form.get('csrf') ?? undefined, cookies(req).get(LOGIN_COOKIE)))
      return loginForm(req, 403, 'The sign-in form expired. Please try again.');
    const username = (form.get('username') ?? '').trim();
    const password = form.get('password') ?? '';
    const user = username === '' ? undefined : host.data.getUser(username);
    const userId = typeof user?.['Id'] === 'string' ? user['Id'] : undefined;
    const stored = userId === undefined ? undefined : host.passwords.get(userId);
    // Compare digests so that the comparison takes the same time whatever the lengths.
    const passwordOk = stored !== undefined && timingSafeEqual(digest(stored), digest(password));
    const allowed =
      user !== undefined &&
      userId !== undefined &&
      String(user['Username']).toLowerCase() === username.toLowerCase() &&
      user['IsActive'] === true &&
      (user['UserType'] ?? 'Standard') === 'Standard' &&
      passwordOk;
    if (!allowed)
      return loginForm(
        req,
        401,
        'Wrong username or password, or the user is inactive. Check them and try again.',
        username,
      );
    const session = sessions.open(userId);
    return redirect(safeNext(form.get('next')), { 'set-cookie': cookie(SESSION_COOKIE, session.id) });
  };

  const ctxOf = (session: ConsoleSession): CallContext => ({
    userId: session.userId,
    apiVersion: API_VERSION,
  });

  const filterOf = (req: ApiRequest, statuses: string[]): CaseFilter => {
    const status = req.query.get('status') ?? '';
    const owner = req.query.get('owner') ?? '';
    const pageNo = Number.parseInt(req.query.get('page') ?? '1', 10);
    return {
      status: statuses.includes(status) ? status : undefined,
      ownerId: isId(owner) ? owner : undefined,
      search: (req.query.get('q') ?? '').slice(0, 200),
      sort: req.query.get('sort') === 'modified' ? 'modified' : 'newest',
      page: Number.isFinite(pageNo) && pageNo > 0 ? pageNo : 1,
    };
  };

  const listCases = (req: ApiRequest, session: ConsoleSession): ApiResult => {
    const ctx = ctxOf(session);
    const statuses = queries.statuses(ctx);
    const filter = filterOf(
      req,
      statuses.map((s) => s.value),
    );
    const body = listBody({
      filter,
      list: queries.list(ctx, filter),
      statuses,
      owners: queries.owners(ctx),
      viewerId: session.userId,
    });
    return render(200, 'Cases', session, body);
  };

  const showCase = (caseId: string, session: ConsoleSession): ApiResult => {
    const ctx = ctxOf(session);
    const detail = queries.detail(ctx, caseId);
    if (detail === undefined)
      return problem(404, 'Case not found', 'This case does not exist or is not shared with you.', session);
    const body = caseBody({
      detail,
      comments: queries.comments(ctx, caseId),
      statuses: queries.statuses(ctx),
      owners: queries.owners(ctx),
      csrf: session.csrf,
    });
    return render(
      200,
      [detail.record['CaseNumber'], detail.record['Subject']]
        .filter((v): v is string => typeof v === 'string')
        .join(' '),
      session,
      body,
    );
  };

  const commentsOnly = (caseId: string, session: ConsoleSession): ApiResult => {
    const ctx = ctxOf(session);
    if (queries.detail(ctx, caseId) === undefined)
      return htmlResult(404, '<p>This case does not exist or is not shared with you.</p>');
    return htmlResult(200, commentsFragment(caseId, queries.comments(ctx, caseId)).text);
  };

  const postComment = (caseId: string, form: URLSearchParams, session: ConsoleSession): ApiResult => {
    const body = (form.get('body') ?? '').trim();
    const back = `/console/cases/${caseId}`;
    if (body === '') {
      session.flash = { kind: 'error', text: 'Write something before posting a comment.' };
      return redirect(back);
    }
    if (body.length > MAX_COMMENT) {
      session.flash = { kind: 'error', text: `A comment holds at most ${MAX_COMMENT} characters.` };
      return redirect(back);
    }
    const outcome = writes.comment(ctxOf(session), caseId, body, form.get('visibility') === 'public');
    session.flash = outcome.ok
      ? { kind: 'ok', text: outcome.message }
      : { kind: 'error', text: `Could not post the comment: ${outcome.message} (${outcome.errorCode})` };
    return redirect(back);
  };

  const postChange = (caseId: string, form: URLSearchParams, session: ConsoleSession): ApiResult => {
    const ctx = ctxOf(session);
    const back = `/console/cases/${caseId}`;
    const current = queries.detail(ctx, caseId);
    if (current === undefined)
      return problem(404, 'Case not found', 'This case does not exist or is not shared with you.', session);
    const status = form.get('status');
    const owner = form.get('owner');
    // Only what changed is written, as the record page's Save does: an unchanged owner is no transfer.
    const change = {
      ...(status !== null && status !== current.record['Status'] ? { status } : {}),
      ...(owner !== null && owner !== current.record['OwnerId'] ? { ownerId: owner } : {}),
    };
    const outcome = writes.change(ctx, caseId, change);
    session.flash = outcome.ok
      ? { kind: 'ok', text: outcome.message }
      : { kind: 'error', text: `Could not save the case: ${outcome.message} (${outcome.errorCode})` };
    return redirect(back);
  };

  const route = async (req: ApiRequest): Promise<ApiResult> => {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    const path = req.path.replace(/\/+$/, '') || '/console';
    const parts = path.split('/').slice(2);
    const [first, caseId, sub, ...rest] = parts;

    if (first === 'assets' && caseId !== undefined && sub === undefined) {
      const type = ASSETS[caseId];
      if (type === undefined || method !== 'GET') return problem(404, 'Not found', 'There is no such page.');
      return assetResult(type, await asset(caseId));
    }
    if (first === 'login' && caseId === undefined) {
      if (method === 'GET') return sessionOf(req) !== undefined ? redirect('/console/cases') : loginForm(req);
      if (method === 'POST')
        return crossSite(req) ? loginForm(req, 403, 'Sign in from this page.') : login(req);
      return problem(405, 'Method not allowed', 'This page answers GET and POST only.');
    }

    const session = sessionOf(req);
    if (method === 'GET') {
      if (session === undefined) {
        return sub === 'comments'
          ? htmlResult(401, '<p>Your session ended. Reload the page to sign in again.</p>')
          : toLogin(req);
      }
      if (first === undefined) return redirect('/console/cases');
      if (first === 'cases' && caseId === undefined) return listCases(req, session);
      if (first === 'cases' && caseId !== undefined && sub === undefined) return showCase(caseId, session);
      if (first === 'cases' && caseId !== undefined && sub === 'comments' && rest.length === 0)
        return commentsOnly(caseId, session);
      return problem(404, 'Not found', 'There is no such page.', session);
    }
    if (method !== 'POST') return problem(405, 'Method not allowed', 'This page answers GET and POST only.');

    const form = formOf(req);
    if (session === undefined) return redirect('/console/login');
    if (form === undefined)
      return problem(415, 'Unsupported form', 'Send forms as normal form posts.', session);
    if (crossSite(req) || !sameToken(form.get('csrf') ?? undefined, session.csrf))
      return problem(
        403,
        'Form expired',
        'This form is no longer valid. Reload the page and try again.',
        session,
      );
    if (first === 'logout' && caseId === undefined) {
      sessions.close(session.id);
      return redirect('/console/login', { 'set-cookie': cookie(SESSION_COOKIE, '', 0) });
    }
    if (first === 'cases' && caseId !== undefined && isId(caseId)) {
      if (sub === undefined) return postChange(caseId, form, session);
      if (sub === 'comments' && rest.length === 0) return postComment(caseId, form, session);
    }
    return problem(404, 'Not found', 'There is no such page.', session);
  };

  return {
    handles: (path) => path === '/console' || path.startsWith('/console/'),
    async handle(remoteAddress, req) {
      if (remoteAddress === undefined || !LOOPBACK.has(remoteAddress))
        return htmlResult(403, '<p>The agent console answers loopback callers only.</p>');
      try {
        return await route(req);
      } catch (err) {
        // What the engine refuses this agent (no access to Case, a field hidden...) is shown, never a 500.
        if (!(err instanceof SalesforceError)) throw err;
        const session = sessionOf(req);
        const status = err.status === 404 ? 404 : err.status >= 500 ? 500 : 403;
        return problem(status, 'Not allowed', `${err.message} (${err.errorCode})`, session);
      }
    },
  };
}
