// The employee desk over the bot API (docs/bot-api.md), for `casebridge mcp`: the process on the employee's machine
// holds only the session; the store, the keys and Salesforce stay with the service. The bot API's coded errors
// come back as they were answered; a service that cannot be reached is MCP_BOT_API_UNREACHABLE.

import type { KnowledgeSearchResult } from '../domain/knowledge/search-result.js';
import { appError } from '../errors/app-error.js';
import { MCP_BOT_API_UNREACHABLE } from '../errors/codes/mcp.js';
import type { TicketDetail, TicketSummary } from '../services/bot/bot-tickets.js';
import { RemoteCodedError, type CodedFailure } from './coded-error.js';
import type { CommentResult, EmployeeDesk } from './employee-desk.js';

export interface BotApiDeskOptions {
  /** the bot API's base URL, e.g. http://127.0.0.1:8789 */
  url: string;
  /** the employee session (`cbs_…`): sent only as `Authorization: Bearer` */
  session: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

/** The employee behind a session, as GET /v1/me answers. */
export interface SessionOwner {
  tenant: string;
  employee: { contactId: string | null; name: string; email: string };
  expiresAt: string;
}

export interface BotApiDesk extends EmployeeDesk {
  me: () => Promise<SessionOwner>;
}

/** The URL as it may be shown: no user name or password, no query. */
function shownUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function isFailure(value: unknown): value is { error: CodedFailure } {
  const error = (value as { error?: Partial<CodedFailure> } | null)?.error;
  return (
    typeof error?.code === 'string' && typeof error.message === 'string' && typeof error.fix === 'string'
  );
}

export function botApiDesk(options: BotApiDeskOptions): BotApiDesk {
  const base = new URL(options.url.endsWith('/') ? options.url : `${options.url}/`);
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  const call = async <T>(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
    idempotencyKey?: string,
  ): Promise<T> => {
    const url = new URL(path, base);
    const unreachable = (reason: string): Error =>
      appError(MCP_BOT_API_UNREACHABLE, { params: { url: shownUrl(url), reason } });
    const headers: Record<string, string> = { authorization: `Bearer ${options.session}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey;
    let response: Response;
    try {
      response = await doFetch(url, {
        method,
        headers,
        signal: AbortSignal.timeout(timeoutMs),
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      const cause = (err as { cause?: { code?: unknown } }).cause?.code;
      const name = (err as { name?: unknown }).name;
      throw unreachable(
        typeof cause === 'string'
          ? cause
          : name === 'TimeoutError'
            ? `no answer in ${timeoutMs} ms`
            : 'no connection',
      );
    }
    const text = await response.text();
    let parsed: unknown;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      throw unreachable(`HTTP ${response.status}, not JSON`);
    }
    if (response.ok) return parsed as T;
    if (isFailure(parsed)) throw new RemoteCodedError(parsed.error);
    throw unreachable(`HTTP ${response.status}`);
  };
  const ticket = (number: string): string => `v1/tickets/${encodeURIComponent(number)}`;

  return {
    me: () => call<SessionOwner>('GET', 'v1/me'),
    search: (input) =>
      call<KnowledgeSearchResult>('POST', 'v1/knowledge/search', {
        query: input.query,
        ...(input.limit === undefined ? {} : { limit: input.limit }),
        ...(input.language === undefined ? {} : { language: input.language }),
      }),
    list: async () => (await call<{ tickets: TicketSummary[] }>('GET', 'v1/tickets')).tickets,
    show: (number) => call<TicketDetail>('GET', ticket(number)),
    file: (input, key) =>
      call<TicketSummary>(
        'POST',
        'v1/tickets',
        {
          subject: input.subject,
          description: input.description,
          ...(input.priority === undefined ? {} : { priority: input.priority }),
        },
        key,
      ),
    comment: (number, text, key) => call<CommentResult>('POST', `${ticket(number)}/comments`, { text }, key),
    setState: (number, action, lastSeen) =>
      call<TicketSummary>(
        'POST',
        `${ticket(number)}/${action}`,
        lastSeen === undefined ? {} : { lastSeenUpdatedAt: lastSeen },
      ),
  };
}
