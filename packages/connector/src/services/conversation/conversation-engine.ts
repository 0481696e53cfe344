// The conversation engine: runs the dialogue's steps (domain/conversation/dialogue.ts) against the employee's own
// tickets and the tenant's knowledge through the bot ticket operations, so every ownership rule of the bot API holds
// here too, and keeps each turn. Deterministic; a language-model engine can implement ConversationEngine later.

import type { BotSession } from '../../domain/bot/bot-ports.js';
import {
  employeeKeyOf,
  type ConversationKey,
  type ConversationRepository,
} from '../../domain/conversation/conversation-ports.js';
import {
  afterCloseLookup,
  afterSearch,
  decide,
  EMPTY_STATE,
  ticketActions,
  type Awaiting,
  type ConversationState,
  type Step,
} from '../../domain/conversation/dialogue.js';
import type {
  ArticleCard,
  BotMessage,
  ConversationInput,
  ConversationTurn,
  TicketCard,
} from '../../domain/conversation/messages.js';
import type { KnowledgeSearchResult } from '../../domain/knowledge/search-result.js';
import type { Clock } from '../../domain/ports.js';
import { isAppError } from '../../errors/app-error.js';
import type { TicketDetail, TicketSummary, NewTicket } from '../bot/bot-tickets.js';
import type { SearchRequest } from '../knowledge/knowledge-search.js';

/** how many articles an answer shows */
export const ARTICLES_PER_ANSWER = 3;
/** how many turns the history answers by default, and at most */
export const HISTORY_LIMIT = 200;

export interface ConversationEngine {
  /** one turn: the employee's input and the bot's answer (a retried key answers the same turn again) */
  handle(session: BotSession, input: ConversationInput, idempotencyKey: string): Promise<ConversationTurn>;
  history(session: BotSession, limit?: number): Promise<ConversationTurn[]>;
  forget(session: BotSession): Promise<boolean>;
}

/** The bot ticket operations the engine uses (BotTicketService). */
export interface ConversationTickets {
  search(session: BotSession, query: string, request: SearchRequest): Promise<KnowledgeSearchResult>;
  list(session: BotSession): Promise<TicketSummary[]>;
  show(session: BotSession, caseNumber: string): Promise<TicketDetail>;
  file(session: BotSession, input: NewTicket, idempotencyKey: string): Promise<TicketSummary>;
  comment(
    session: BotSession,
    caseNumber: string,
    text: string,
    idempotencyKey: string,
  ): Promise<{ number: string; parts: number; replayed: boolean }>;
  setState(
    session: BotSession,
    caseNumber: string,
    action: 'close' | 'reopen',
    lastSeen: string | undefined,
  ): Promise<TicketSummary>;
}

/** Answers an autonomous-resolution offer (services/conversation/resolution-service.ts). */
export interface ResolutionAnswers {
  answer(
    session: BotSession,
    caseNumber: string,
    decision: 'confirm' | 'decline',
    idempotencyKey: string,
  ): Promise<{ messages: BotMessage[]; awaiting: Awaiting }>;
  /** details the employee gave after declining, relayed to the case */
  details(
    session: BotSession,
    caseNumber: string,
    text: string,
    idempotencyKey: string,
  ): Promise<BotMessage[]>;
}

export interface ConversationEngineDeps {
  tickets: ConversationTickets;
  conversations: ConversationRepository;
  clock: Clock;
  resolution?: ResolutionAnswers;
}

export function ticketCard(ticket: TicketSummary | TicketDetail): TicketCard {
  const latest =
    'comments' in ticket ? ([...ticket.comments].reverse().find((c) => c.fromAgent) ?? null) : null;
  return {
    number: ticket.number,
    subject: ticket.subject,
    state: ticket.state,
    label: ticket.label,
    meaning: ticket.meaning,
    isClosed: ticket.isClosed,
    updatedAt: ticket.updatedAt,
    latestAgentComment: latest === null ? null : { body: latest.body, createdAt: latest.createdAt },
  };
}

function articleCards(result: KnowledgeSearchResult): ArticleCard[] {
  return result.hits.slice(0, ARTICLES_PER_ANSWER).map((hit) => ({
    articleId: hit.articleId,
    articleNumber: hit.articleNumber,
    title: hit.title,
    section: hit.section,
    snippet: hit.snippet.text,
    marks: hit.snippet.marks,
    link: hit.link,
  }));
}

const text = (t: string): BotMessage => ({ type: 'text', text: t });

interface Outcome {
  messages: BotMessage[];
  state: ConversationState;
  caseNumber: string | null;
}

export class RuleConversationEngine implements ConversationEngine {
  constructor(private readonly deps: ConversationEngineDeps) {}

  async handle(
    session: BotSession,
    input: ConversationInput,
    idempotencyKey: string,
  ): Promise<ConversationTurn> {
    const key = keyOf(session);
    const scoped = `conv:${idempotencyKey}`;
    const earlier = await this.deps.conversations.turnByKey(key, scoped);
    if (earlier !== null) return earlier;
    const state = (await this.deps.conversations.state(key)) ?? EMPTY_STATE;
    const outcome = await this.run(session, state, decide(state, input), scoped);
    return this.deps.conversations.append(
      key,
      outcome.state,
      { input, messages: outcome.messages, caseNumber: outcome.caseNumber, idempotencyKey: scoped },
      this.deps.clock.now().toISOString(),
    );
  }

  history(session: BotSession, limit = HISTORY_LIMIT): Promise<ConversationTurn[]> {
    return this.deps.conversations.history(keyOf(session), Math.min(limit, HISTORY_LIMIT));
  }

  forget(session: BotSession): Promise<boolean> {
    return this.deps.conversations.remove(keyOf(session));
  }

  /**
   * A turn the bot starts (a notification, a resolution offer): it is kept in the employee's conversation, and the
   * conversation now waits for what it asked, about its case, so the employee's next words land on that case.
   */
  async speak(
    key: ConversationKey,
    turn: { messages: BotMessage[]; caseNumber: string; awaiting: Awaiting },
  ): Promise<ConversationTurn> {
    const state = (await this.deps.conversations.state(key)) ?? EMPTY_STATE;
    return this.deps.conversations.append(
      key,
      { ...state, awaiting: turn.awaiting, focusCase: turn.caseNumber, draft: null, candidates: [] },
      { input: null, messages: turn.messages, caseNumber: turn.caseNumber, idempotencyKey: null },
      this.deps.clock.now().toISOString(),
    );
  }

  private async run(
    session: BotSession,
    state: ConversationState,
    step: Step,
    key: string,
  ): Promise<Outcome> {
    const { tickets } = this.deps;
    switch (step.kind) {
      case 'answer':
        return { messages: step.messages, state: step.state, caseNumber: step.state.focusCase };
      case 'search': {
        const result = await tickets.search(session, step.query, { limit: ARTICLES_PER_ANSWER });
        const answer = afterSearch(step.state, articleCards(result));
        return { ...answer, caseNumber: null };
      }
      case 'list': {
        const list = (await tickets.list(session)).map(ticketCard);
        return {
          messages:
            list.length === 0
              ? [text('You have no tickets yet.')]
              : [
                  text(`Your tickets, latest change first (${list.length}):`),
                  { type: 'tickets', tickets: list },
                ],
          state: { ...state, awaiting: 'nothing' },
          caseNumber: null,
        };
      }
      case 'show': {
        const found = await this.orMissing(
          () => tickets.show(session, step.caseNumber),
          step.caseNumber,
          state,
        );
        if ('messages' in found) return found;
        const card = ticketCard(found);
        return {
          messages: [
            text(`Ticket ${card.number}: ${card.label}. ${card.meaning}`),
            { type: 'ticket', ticket: card },
            { type: 'actions', actions: ticketActions(card) },
          ],
          state: {
            ...state,
            awaiting: 'nothing',
            focusCase: card.number,
            candidates: [{ number: card.number, updatedAt: card.updatedAt }],
          },
          caseNumber: card.number,
        };
      }
      case 'close-by-words': {
        const open = (await tickets.list(session)).filter((t) => !t.isClosed && t.state !== 'RESOLVED');
        const answer = afterCloseLookup(state, open.map(ticketCard), step.words);
        return { ...answer, caseNumber: answer.state.focusCase };
      }
      case 'close': {
        try {
          const closed = await tickets.setState(
            session,
            step.caseNumber,
            'close',
            step.lastSeen ?? undefined,
          );
          return {
            messages: [
              text(`Ticket ${closed.number} is closed.`),
              { type: 'ticket', ticket: ticketCard(closed) },
            ],
            state: { ...state, awaiting: 'nothing', candidates: [] },
            caseNumber: closed.number,
          };
        } catch (err) {
          if (isAppError(err) && err.code === 'BOT_TICKET_CHANGED')
            return {
              messages: [
                text(
                  `The support team changed ticket ${step.caseNumber} since you saw it, so I left it open. Have a look first:`,
                ),
                ...(await this.run(session, state, { kind: 'show', caseNumber: step.caseNumber }, key))
                  .messages,
              ],
              state: { ...state, awaiting: 'nothing', candidates: [] },
              caseNumber: step.caseNumber,
            };
          const missing = this.missing(err, step.caseNumber, state);
          if (missing !== null) return missing;
          throw err;
        }
      }
      case 'file': {
        const made = await tickets.file(
          session,
          { subject: step.draft.subject, description: step.draft.description },
          key,
        );
        return {
          messages: [
            text(`I filed ticket ${made.number} for you. I will let you know when the support team answers.`),
            { type: 'ticket', ticket: ticketCard(made) },
          ],
          state: { ...EMPTY_STATE, focusCase: made.number },
          caseNumber: made.number,
        };
      }
      case 'comment': {
        if (step.why === 'details' && this.deps.resolution !== undefined) {
          const messages = await this.deps.resolution.details(session, step.caseNumber, step.text, key);
          return { messages, state: { ...state, awaiting: 'nothing' }, caseNumber: step.caseNumber };
        }
        try {
          await tickets.comment(session, step.caseNumber, step.text, key);
        } catch (err) {
          if (isAppError(err) && err.code === 'REPLY_CASE_CLOSED')
            return {
              messages: [
                text(
                  `Ticket ${step.caseNumber} is closed, so I could not add that. Shall I file a new ticket?`,
                ),
                { type: 'actions', actions: [{ action: 'file-ticket', label: 'File a new ticket' }] },
              ],
              state: { ...EMPTY_STATE, notes: [step.text] },
              caseNumber: step.caseNumber,
            };
          const missing = this.missing(err, step.caseNumber, state);
          if (missing !== null) return missing;
          throw err;
        }
        return {
          messages: [text(`I added that to ticket ${step.caseNumber} for the support team.`)],
          state: { ...state, awaiting: 'nothing' },
          caseNumber: step.caseNumber,
        };
      }
      case 'resolution': {
        if (this.deps.resolution === undefined)
          return {
            messages: [
              text(`There is no proposed fix waiting for your answer on ticket ${step.caseNumber}.`),
            ],
            state: { ...state, awaiting: 'nothing' },
            caseNumber: step.caseNumber,
          };
        const answer = await this.deps.resolution.answer(session, step.caseNumber, step.decision, key);
        return {
          messages: answer.messages,
          state: { ...state, awaiting: answer.awaiting, focusCase: step.caseNumber },
          caseNumber: step.caseNumber,
        };
      }
    }
  }

  private async orMissing<T>(
    read: () => Promise<T>,
    caseNumber: string,
    state: ConversationState,
  ): Promise<T | Outcome> {
    try {
      return await read();
    } catch (err) {
      const missing = this.missing(err, caseNumber, state);
      if (missing !== null) return missing;
      throw err;
    }
  }

  private missing(err: unknown, caseNumber: string, state: ConversationState): Outcome | null {
    if (!isAppError(err) || err.code !== 'BOT_TICKET_NOT_FOUND') return null;
    return {
      messages: [
        text(`I found no ticket ${caseNumber} of yours. Here is how to see the ones you have:`),
        { type: 'actions', actions: [{ action: 'my-tickets', label: 'My tickets' }] },
      ],
      state: { ...state, awaiting: 'nothing' },
      caseNumber: null,
    };
  }
}

function keyOf(session: BotSession): ConversationKey {
  return { tenantId: session.tenantId, employee: employeeKeyOf(session) };
}
