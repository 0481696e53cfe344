// The bot API's operations as data: method, path, summary, and the zod schemas that validate each request. The
// routes (bot-app.ts) validate with these schemas and the OpenAPI document (openapi.ts) is generated from them, so
// the document cannot drift from what the API accepts.

import { z } from 'zod';

import { MAX_QUERY_CHARS } from '../../domain/knowledge/ranking.js';
import { MAX_RESULTS } from '../../services/knowledge/knowledge-search.js';

/** A case number as Salesforce shows it (auto-number, digits). */
export const CaseNumberParams = z.strictObject({ number: z.string().regex(/^\d{1,30}$/, 'a case number') });

export const CreateSessionBody = z.strictObject({
  tenant: z.string().min(1).max(100).describe('the tenant id the operator gave the platform'),
  identityToken: z.string().min(1).max(8192).describe('a JWT signed by the platform for the employee'),
  contactId: z
    .string()
    .regex(/^003[0-9A-Za-z]{12}(?:[0-9A-Za-z]{3})?$/, 'a Contact id')
    .optional()
    .describe('the Contact the employee chose after BOT_EMPLOYEE_AMBIGUOUS'),
});

export const SearchBody = z.strictObject({
  query: z.string().min(1).max(MAX_QUERY_CHARS),
  limit: z.number().int().min(1).max(MAX_RESULTS).optional(),
  language: z.string().min(2).max(10).optional(),
});

export const FileTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(255),
  // Case.Description is a 32,000-character long text area; longer text is refused, never cut
  description: z.string().trim().min(1).max(31_000),
  priority: z.string().min(1).max(40).optional(),
  fields: z
    .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/), z.string().max(1_000))
    .refine((fields) => Object.keys(fields).length <= 30, 'at most 30 fields')
    .optional()
    .describe(
      "the bot's own fields (e.g. category), put onto Case fields by the tenant's filing.fields mapping",
    ),
});

export const StateChangeBody = z.strictObject({
  lastSeenUpdatedAt: z.iso
    .datetime({ offset: true })
    .optional()
    .describe(
      "the ticket's updatedAt as the employee last saw it: a change made after it keeps the ticket as it is",
    ),
});

export const CommentBody = z.strictObject({
  text: z.string().min(1).max(100_000),
});

/** An Idempotency-Key: visible ASCII, 1 to 200 characters (the IETF draft's header; Stripe's habit). */
export const IdempotencyKey = z.string().regex(/^[\x21-\x7e]{1,200}$/);

export interface BotOperation {
  id: string;
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify form (`:number`) */
  path: string;
  summary: string;
  /** needs `Authorization: Bearer <session>` */
  session: boolean;
  idempotencyKey?: boolean;
  params?: z.ZodType;
  body?: z.ZodType;
  /** the error codes this operation may answer with, besides session and input errors */
  errors: string[];
}

export const BOT_OPERATIONS: readonly BotOperation[] = [
  {
    id: 'createSession',
    method: 'POST',
    path: '/v1/sessions',
    summary: 'Exchange an identity token for an employee session',
    session: false,
    body: CreateSessionBody,
    errors: [
      'BOT_IDENTITY_NOT_CONFIGURED',
      'BOT_IDENTITY_TOKEN_INVALID',
      'BOT_IDENTITY_TOKEN_REPLAYED',
      'BOT_IDENTITY_KEYS_UNAVAILABLE',
      'BOT_EMPLOYEE_AMBIGUOUS',
      'BOT_EMPLOYEE_CHOICE_INVALID',
    ],
  },
  {
    id: 'endSession',
    method: 'DELETE',
    path: '/v1/sessions/current',
    summary: 'End the session (it is refused from then on)',
    session: true,
    errors: [],
  },
  {
    id: 'me',
    method: 'GET',
    path: '/v1/me',
    summary: 'The employee behind the session',
    session: true,
    errors: [],
  },
  {
    id: 'searchKnowledge',
    method: 'POST',
    path: '/v1/knowledge/search',
    summary: "Search the tenant's knowledge articles",
    session: true,
    body: SearchBody,
    errors: [],
  },
  {
    id: 'listTickets',
    method: 'GET',
    path: '/v1/tickets',
    summary: "The employee's tickets, newest change first",
    session: true,
    errors: [],
  },
  {
    id: 'fileTicket',
    method: 'POST',
    path: '/v1/tickets',
    summary: 'File a ticket (once per Idempotency-Key)',
    session: true,
    idempotencyKey: true,
    body: FileTicketBody,
    errors: ['BOT_IDEMPOTENCY_KEY_MISSING', 'BOT_FIELD_UNMAPPED'],
  },
  {
    id: 'showTicket',
    method: 'GET',
    path: '/v1/tickets/:number',
    summary: 'One ticket with its public comments and its state in the employee’s words',
    session: true,
    params: CaseNumberParams,
    errors: ['BOT_TICKET_NOT_FOUND'],
  },
  {
    id: 'commentOnTicket',
    method: 'POST',
    path: '/v1/tickets/:number/comments',
    summary: 'Add a comment to a ticket (once per Idempotency-Key)',
    session: true,
    idempotencyKey: true,
    params: CaseNumberParams,
    body: CommentBody,
    errors: ['BOT_TICKET_NOT_FOUND', 'BOT_IDEMPOTENCY_KEY_MISSING', 'REPLY_CASE_CLOSED', 'REPLY_TOO_LONG'],
  },
  {
    id: 'closeTicket',
    method: 'POST',
    path: '/v1/tickets/:number/close',
    summary: 'Close (resolve) a ticket, unless the support team changed it since the employee saw it',
    session: true,
    params: CaseNumberParams,
    body: StateChangeBody,
    errors: ['BOT_TICKET_NOT_FOUND', 'BOT_TICKET_CHANGED'],
  },
  {
    id: 'reopenTicket',
    method: 'POST',
    path: '/v1/tickets/:number/reopen',
    summary:
      'Reopen a resolved or closed ticket, unless the support team changed it since the employee saw it',
    session: true,
    params: CaseNumberParams,
    body: StateChangeBody,
    errors: ['BOT_TICKET_NOT_FOUND', 'BOT_TICKET_CHANGED', 'BOT_TICKET_STATE_REFUSED'],
  },
];

export function operation(id: string): BotOperation {
  const found = BOT_OPERATIONS.find((op) => op.id === id);
  if (found === undefined) throw new Error(`no bot operation ${id}`);
  return found;
}
