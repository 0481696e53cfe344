// The bot API's operations as data: method, path, summary, and the zod schemas that validate each request. The
// routes (bot-app.ts) validate with these schemas and the OpenAPI document (openapi.ts) is generated from them, so
// the document cannot drift from what the API accepts.

import { z } from 'zod';

import { CONVERSATION_ACTIONS } from '../../domain/conversation/messages.js';
import { MAX_QUERY_CHARS } from '../../domain/knowledge/ranking.js';
import { CASE_STATES } from '../../domain/tickets/case-states.js';
import { MAX_RESULTS } from '../../services/knowledge/knowledge-search.js';
import { InvariantError } from '../../errors/invariant-error.js';

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
  query: z.string().min(1).max(MAX_QUERY_CHARS).describe("the employee's question, in their words"),
  limit: z
    .number()
    .int()
    .min(1)
    .max(MAX_RESULTS)
    .optional()
    .describe('how many articles at most (default 5)'),
  language: z
    .string()
    .min(2)
    .max(10)
    .optional()
    .describe("the articles' language, e.g. en_US (default: the tenant's Knowledge language)"),
});

export const FileTicketBody = z.strictObject({
  subject: z.string().trim().min(1).max(255).describe('the ticket in one line'),
  // Case.Description is a 32,000-character long text area; longer text is refused, never cut
  description: z
    .string()
    .trim()
    .min(1)
    .max(31_000)
    .describe('what the employee needs, in full (longer text is refused, never cut)'),
  priority: z.string().min(1).max(40).optional().describe("one of the org's Case priorities, e.g. High"),
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

const CaseNumber = z.string().regex(/^\d{1,30}$/, 'a case number');

/** What the employee sends to the conversation: a text, or the action of a button the bot offered. */
export const ConversationInputBody = z.union([
  z.strictObject({
    text: z.string().trim().min(1).max(4000),
    caseNumber: CaseNumber.optional().describe(
      "the ticket this text answers, when the platform showed it under that ticket's notification",
    ),
  }),
  z.strictObject({
    action: z.enum(CONVERSATION_ACTIONS),
    caseNumber: CaseNumber.optional().describe('the ticket the action is about (as the button carried it)'),
    subject: z.string().trim().min(1).max(255).optional().describe('file-ticket: the edited draft subject'),
    description: z
      .string()
      .trim()
      .min(1)
      .max(31_000)
      .optional()
      .describe('file-ticket: the edited draft description'),
  }),
]);

const ArticleRefSchema = z.strictObject({
  articleId: z.string(),
  title: z.string(),
  link: z.string().nullable(),
});

/** One ticket as list, file, close and reopen answer it (services/bot/bot-tickets.ts TicketSummary). */
export const TicketSummarySchema = z.strictObject({
  number: z.string().describe('the case number the employee quotes'),
  subject: z.string().nullable(),
  state: z.enum(CASE_STATES),
  label: z.string().describe("the state in the employee's words"),
  meaning: z.string().describe('what the state means for the employee, in a sentence'),
  isClosed: z.boolean(),
  createdAt: z.string().describe('when it was filed (ISO 8601)'),
  updatedAt: z.string().describe('its last change (ISO 8601)'),
});

const freshness = {
  asOf: z
    .string()
    .describe(
      'when casebridge read this from Salesforce: a read is answered again for up to maxAgeSeconds, and at once afresh after the employee’s own file, comment, close or reopen',
    ),
  maxAgeSeconds: z.number().describe('how old a served read may be (15 as served)'),
};

export const TicketListSchema = z.strictObject({
  tickets: z
    .array(TicketSummarySchema)
    .describe(
      'every open ticket, then the closed ones changed in the last 30 days; each group newest change first, 200 at most',
    ),
  ...freshness,
});

export const TicketDetailSchema = TicketSummarySchema.extend({
  description: z.string().nullable(),
  comments: z.array(
    z.strictObject({
      id: z.string(),
      body: z.string(),
      createdAt: z.string(),
      fromAgent: z.boolean().describe("false for the employee's own replies"),
    }),
  ),
  ...freshness,
});

export const TicketCardSchema = z.strictObject({
  number: z.string(),
  subject: z.string().nullable(),
  state: z.enum(CASE_STATES),
  label: z.string().describe("the state in the employee's words"),
  meaning: z.string(),
  isClosed: z.boolean(),
  updatedAt: z.string(),
  latestAgentComment: z
    .strictObject({ body: z.string(), createdAt: z.string() })
    .nullable()
    .describe("the support team's latest public comment (set on a single ticket's card)"),
});

/** One structured bot message; the chat page renders it by `type`. */
export const BotMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text'), text: z.string() }),
  z.strictObject({
    type: z.literal('articles'),
    articles: z.array(
      z.strictObject({
        articleId: z.string(),
        articleNumber: z.string(),
        title: z.string(),
        section: z.string().nullable(),
        snippet: z.string().describe('plain text'),
        marks: z
          .array(z.tuple([z.number().int(), z.number().int()]))
          .describe('[start, end) of matched words'),
        link: z.string().nullable(),
      }),
    ),
  }),
  z.strictObject({ type: z.literal('ticket'), ticket: TicketCardSchema }),
  z.strictObject({ type: z.literal('tickets'), tickets: z.array(TicketCardSchema) }),
  z.strictObject({
    type: z.literal('draft'),
    draft: z.strictObject({
      subject: z.string(),
      description: z.string(),
      articlesTried: z.array(ArticleRefSchema),
    }),
  }),
  z.strictObject({
    type: z.literal('actions'),
    actions: z.array(
      z.strictObject({
        action: z.enum(CONVERSATION_ACTIONS),
        label: z.string(),
        caseNumber: z.string().optional(),
      }),
    ),
  }),
]);

export const ConversationTurnSchema = z.strictObject({
  id: z.string(),
  at: z.string(),
  input: ConversationInputBody.nullable().describe(
    'null when the bot spoke first (a notification, an offer)',
  ),
  messages: z.array(BotMessageSchema),
  caseNumber: z.string().nullable().describe('the ticket the turn was about'),
});

export const ConversationHistoryQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).optional(),
});

export const ConversationHistory = z.strictObject({ turns: z.array(ConversationTurnSchema) });

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
  query?: z.ZodType;
  body?: z.ZodType;
  /** the success answer's body, when documented */
  response?: z.ZodType;
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
    summary: "The employee's open tickets and those closed in the last 30 days",
    session: true,
    response: TicketListSchema,
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
    response: TicketSummarySchema,
    errors: [
      'BOT_IDEMPOTENCY_KEY_MISSING',
      'BOT_FIELD_UNMAPPED',
      'BOT_TICKET_RULE_REFUSED',
      'BOT_TICKET_VALUE_REFUSED',
      'BOT_TICKET_FIELD_REQUIRED',
      'BOT_TICKET_TEXT_TOO_LONG',
      'BOT_TICKET_SETUP_REFUSED',
    ],
  },
  {
    id: 'showTicket',
    method: 'GET',
    path: '/v1/tickets/:number',
    summary: 'One ticket with its public comments and its state in the employee’s words',
    session: true,
    params: CaseNumberParams,
    response: TicketDetailSchema,
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
    errors: [
      'BOT_TICKET_NOT_FOUND',
      'BOT_IDEMPOTENCY_KEY_MISSING',
      'REPLY_CASE_CLOSED',
      'REPLY_TOO_LONG',
      'BOT_TICKET_RULE_REFUSED',
      'BOT_TICKET_LOCKED',
      'BOT_TICKET_ACCESS_REFUSED',
      'BOT_TICKET_SETUP_REFUSED',
    ],
  },
  {
    id: 'closeTicket',
    method: 'POST',
    path: '/v1/tickets/:number/close',
    summary: 'Close (resolve) a ticket, unless the support team changed it since the employee saw it',
    session: true,
    params: CaseNumberParams,
    body: StateChangeBody,
    response: TicketSummarySchema,
    errors: [
      'BOT_TICKET_NOT_FOUND',
      'BOT_TICKET_CHANGED',
      'BOT_TICKET_RULE_REFUSED',
      'BOT_TICKET_LOCKED',
      'BOT_TICKET_ACCESS_REFUSED',
      'BOT_TICKET_SETUP_REFUSED',
    ],
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
    response: TicketSummarySchema,
    errors: [
      'BOT_TICKET_NOT_FOUND',
      'BOT_TICKET_CHANGED',
      'BOT_TICKET_STATE_REFUSED',
      'BOT_TICKET_RULE_REFUSED',
      'BOT_TICKET_LOCKED',
      'BOT_TICKET_ACCESS_REFUSED',
      'BOT_TICKET_SETUP_REFUSED',
    ],
  },
  {
    id: 'converse',
    method: 'POST',
    path: '/v1/conversation/messages',
    summary:
      'Say something to the bot (a text or a button’s action); the answer is the turn with its structured messages (once per Idempotency-Key)',
    session: true,
    idempotencyKey: true,
    body: ConversationInputBody,
    response: ConversationTurnSchema,
    errors: ['BOT_IDEMPOTENCY_KEY_MISSING'],
  },
  {
    id: 'conversationHistory',
    method: 'GET',
    path: '/v1/conversation',
    summary: "The employee's conversation, oldest turn first (the newest `limit`, 50 by default)",
    session: true,
    query: ConversationHistoryQuery,
    response: ConversationHistory,
    errors: [],
  },
  {
    id: 'forgetConversation',
    method: 'DELETE',
    path: '/v1/conversation',
    summary: "Delete the employee's conversation (its turns and what the bot remembered)",
    session: true,
    errors: [],
  },
];

export function operation(id: string): BotOperation {
  const found = BOT_OPERATIONS.find((op) => op.id === id);
  if (found === undefined) throw new InvariantError(`no bot operation ${id}`);
  return found;
}
