// The tools' input schemas: the bot API's own zod schemas (http/bot/contracts.ts), the same validation rules, with
// the descriptions a model needs to fill them in right. Nothing is re-declared here but the wording, so a limit
// changed in the contract changes the tool too.

import { z } from 'zod';

import {
  CaseNumberParams,
  CommentBody,
  FileTicketBody,
  IdempotencyKey,
  SearchBody,
  StateChangeBody,
} from '../http/bot/contracts.js';

const ticketNumber = CaseNumberParams.shape.number.describe(
  'The ticket number exactly as list_my_tickets or show_ticket gives it, digits only with its leading zeros (e.g. "00001027").',
);

const idempotencyKey = IdempotencyKey.optional().describe(
  'Optional. A random string (1-200 visible ASCII characters, e.g. a UUID) identifying this one request: sending the same key again returns the first answer instead of acting twice. Reuse it only to retry the very same request; without it every call acts anew.',
);

const lastSeenUpdatedAt = StateChangeBody.shape.lastSeenUpdatedAt.describe(
  "Optional. The ticket's updatedAt exactly as show_ticket or list_my_tickets returned it when the employee decided. If the support team changed the ticket after that moment, nothing is changed and the call answers BOT_TICKET_CHANGED.",
);

export const SearchKnowledgeInput = SearchBody.extend({
  query: SearchBody.shape.query.describe(
    'What the employee wants to know, in their own words or as keywords (e.g. "vpn disconnects every hour").',
  ),
  limit: SearchBody.shape.limit.describe('How many articles to return at most. Default 5.'),
  language: SearchBody.shape.language.describe(
    'The language of the articles, as the knowledge base names it (e.g. "en_US", "de"). Default: the tenant\'s default language.',
  ),
});

export const ListMyTicketsInput = z.strictObject({});

export const ShowTicketInput = CaseNumberParams.extend({ number: ticketNumber });

export const FileTicketInput = FileTicketBody.extend({
  subject: FileTicketBody.shape.subject.describe(
    'A one-line summary of the problem in the employee\'s words (e.g. "VPN drops every hour"), at most 255 characters.',
  ),
  description: FileTicketBody.shape.description.describe(
    'What happens, since when, what the employee already tried, and any error message quoted exactly. At most 31,000 characters.',
  ),
  priority: FileTicketBody.shape.priority.describe(
    'Optional, and only when the employee says how urgent it is: a priority of the organisation (usually "Low", "Medium" or "High"). Omit it otherwise.',
  ),
  idempotencyKey,
});

export const CommentOnTicketInput = CaseNumberParams.extend({
  number: ticketNumber,
  text: CommentBody.shape.text.describe(
    'The comment the support team will read, written for the employee (a long text is posted as several comments of 4,000 bytes).',
  ),
  idempotencyKey,
});

export const StateChangeInput = CaseNumberParams.extend({ number: ticketNumber, lastSeenUpdatedAt });

export type SearchKnowledgeArgs = z.output<typeof SearchKnowledgeInput>;
export type ShowTicketArgs = z.output<typeof ShowTicketInput>;
export type FileTicketArgs = z.output<typeof FileTicketInput>;
export type CommentOnTicketArgs = z.output<typeof CommentOnTicketInput>;
export type StateChangeArgs = z.output<typeof StateChangeInput>;
