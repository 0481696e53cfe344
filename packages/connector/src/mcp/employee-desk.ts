// What the MCP tools do, for one employee: the bot API's operations bound to one session. Two implementations: the
// services themselves (the bot listener's /mcp, in the service's process) and the bot API over HTTP (`casebridge
// mcp` on the employee's machine, which holds nothing but the session). Both fail with the same coded errors.

import type { BotSession } from '../domain/bot/bot-ports.js';
import type { KnowledgeSearchResult } from '../domain/knowledge/search-result.js';
import type { BotTicketService, TicketDetail, TicketSummary } from '../services/bot/bot-tickets.js';

export interface SearchInput {
  query: string;
  limit?: number | undefined;
  language?: string | undefined;
}

export interface FileInput {
  subject: string;
  description: string;
  priority?: string | undefined;
}

export interface CommentResult {
  number: string;
  parts: number;
  replayed: boolean;
}

/** Properties, not methods: a desk's functions are passed around alone (stdio-server.ts wraps each one). */
export interface EmployeeDesk {
  search: (input: SearchInput) => Promise<KnowledgeSearchResult>;
  list: () => Promise<TicketSummary[]>;
  show: (number: string) => Promise<TicketDetail>;
  file: (input: FileInput, idempotencyKey: string) => Promise<TicketSummary>;
  comment: (number: string, text: string, idempotencyKey: string) => Promise<CommentResult>;
  setState: (
    number: string,
    action: 'close' | 'reopen',
    lastSeen: string | undefined,
  ) => Promise<TicketSummary>;
}

/** The desk of an authenticated session, on the services the bot API routes call. */
export function serviceDesk(tickets: BotTicketService, session: BotSession): EmployeeDesk {
  return {
    search: (input) =>
      tickets.search(session, input.query, {
        ...(input.limit === undefined ? {} : { limit: input.limit }),
        ...(input.language === undefined ? {} : { language: input.language }),
      }),
    list: () => tickets.list(session),
    show: (number) => tickets.show(session, number),
    file: (input, key) =>
      tickets.file(
        session,
        {
          subject: input.subject,
          description: input.description,
          ...(input.priority === undefined ? {} : { priority: input.priority }),
        },
        key,
      ),
    comment: (number, text, key) => tickets.comment(session, number, text, key),
    setState: (number, action, lastSeen) => tickets.setState(session, number, action, lastSeen),
  };
}
