// The dialogue as a pure state machine: given what the conversation is waiting for and the employee's input, what to
// do next (answer at once, search, list, show, close, file, comment, or answer an autonomous-resolution offer), and,
// once the service has done it, what to say. No I/O: services/conversation/ runs the steps.

import type { CaseState } from '../tickets/case-states.js';
import { classifyText, ticketsNamedBy, type TextIntent } from './intents.js';
import type {
  ArticleCard,
  ArticleRef,
  BotMessage,
  ConversationInput,
  SuggestedAction,
  TicketCard,
  TicketDraft,
} from './messages.js';
import { InvariantError } from '../../errors/invariant-error.js';

/** What the bot asked last, so that a "yes", a "no" or a free text lands where the employee means. */
export type Awaiting =
  /** nothing: a text is a new question or a command */
  | 'nothing'
  /** "did this solve it?" after articles */
  | 'solved'
  /** "shall I file this ticket?" after a draft */
  | 'file'
  /** "what is the problem?" before a draft */
  | 'describe'
  /** "close this ticket?" (candidates holds the one) */
  | 'close-confirm'
  /** "which ticket?" (candidates holds them) */
  | 'close-choice'
  /** a notification about focusCase: the next free text is a reply to that ticket */
  | 'reply'
  /** "did the proposed fix solve it?" (autonomous resolution of focusCase) */
  | 'resolution'
  /** after a declined fix: the next free text is details for focusCase */
  | 'details';

export interface ConversationState {
  readonly awaiting: Awaiting;
  /** what the employee said about the problem in this thread, in order (the draft's description) */
  readonly notes: readonly string[];
  readonly articlesTried: readonly ArticleRef[];
  readonly draft: TicketDraft | null;
  /** the ticket the conversation is about (a notification's, an offer's, the last one shown) */
  readonly focusCase: string | null;
  /** close candidates, with the updatedAt the employee was shown (a later change by an agent wins) */
  readonly candidates: readonly { readonly number: string; readonly updatedAt: string }[];
}

export const EMPTY_STATE: ConversationState = {
  awaiting: 'nothing',
  notes: [],
  articlesTried: [],
  draft: null,
  focusCase: null,
  candidates: [],
};

/** What the service must do for an input. */
export type Step =
  | { readonly kind: 'answer'; readonly messages: BotMessage[]; readonly state: ConversationState }
  | { readonly kind: 'search'; readonly query: string; readonly state: ConversationState }
  | { readonly kind: 'list' }
  | { readonly kind: 'close-by-words'; readonly words: readonly string[] }
  | { readonly kind: 'show'; readonly caseNumber: string }
  | { readonly kind: 'close'; readonly caseNumber: string; readonly lastSeen: string | null }
  | { readonly kind: 'file'; readonly draft: TicketDraft }
  | {
      readonly kind: 'comment';
      readonly caseNumber: string;
      readonly text: string;
      readonly why: 'reply' | 'details';
    }
  | { readonly kind: 'resolution'; readonly caseNumber: string; readonly decision: 'confirm' | 'decline' };

const MAX_NOTES = 10;
const SUBJECT_CHARS = 120;

export const HELP_TEXT =
  'I can search the help articles for you and file a ticket when they do not solve it. Try a question in a few ' +
  'words ("VPN keeps disconnecting"), "my tickets", "status of 00001027", or "close my VPN ticket".';

const actions = (...list: SuggestedAction[]): BotMessage => ({ type: 'actions', actions: list });
const text = (t: string): BotMessage => ({ type: 'text', text: t });

function helpAnswer(state: ConversationState, lead: string): Step {
  return {
    kind: 'answer',
    messages: [
      text(`${lead} ${HELP_TEXT}`),
      actions(
        { action: 'my-tickets', label: 'My tickets' },
        { action: 'file-ticket', label: 'File a ticket' },
      ),
    ],
    state: { ...state, awaiting: 'nothing' },
  };
}

/** The ticket draft from the conversation: the first note as subject, every note and the articles tried below. */
export function draftFrom(state: ConversationState): TicketDraft | null {
  const first = state.notes[0];
  if (first === undefined) return null;
  const line = first.split(/(?<=[.?!])\s|\n/)[0] ?? first;
  const subject = line.length <= SUBJECT_CHARS ? line : `${line.slice(0, SUBJECT_CHARS - 1).trimEnd()}…`;
  const tried =
    state.articlesTried.length === 0
      ? ''
      : `\n\nArticles already tried with the bot:\n${state.articlesTried
          .map((a) => `- ${a.title}${a.link === null ? '' : ` (${a.link})`}`)
          .join('\n')}`;
  return { subject, description: `${state.notes.join('\n\n')}${tried}`, articlesTried: state.articlesTried };
}

function offerDraft(state: ConversationState, lead: string): Step {
  const draft = draftFrom(state);
  if (draft === null)
    return {
      kind: 'answer',
      messages: [text('Tell me the problem in a sentence or two, and I will prepare a ticket for you.')],
      state: { ...state, awaiting: 'describe', draft: null },
    };
  return {
    kind: 'answer',
    messages: [
      text(lead),
      { type: 'draft', draft },
      actions({ action: 'file-ticket', label: 'File this ticket' }, { action: 'cancel', label: 'Not now' }),
    ],
    state: { ...state, awaiting: 'file', draft },
  };
}

function noteOf(state: ConversationState, note: string): ConversationState {
  return { ...state, notes: [...state.notes, note].slice(-MAX_NOTES) };
}

/** What to do with an input, given the state. */
export function decide(state: ConversationState, input: ConversationInput): Step {
  return 'action' in input ? decideAction(state, input) : decideText(state, input.text, input.caseNumber);
}

function decideAction(state: ConversationState, input: Extract<ConversationInput, { action: string }>): Step {
  const caseNumber = input.caseNumber ?? state.focusCase;
  switch (input.action) {
    case 'solved':
      return {
        kind: 'answer',
        messages: [text('Glad that helped. Ask me anything else any time.')],
        state: EMPTY_STATE,
      };
    case 'not-solved':
      return offerDraft(state, 'Sorry it did not help. I can file a ticket for the support team:');
    case 'file-ticket': {
      const drafted = state.draft ?? draftFrom(state);
      if (drafted === null || (state.draft === null && input.subject === undefined))
        return input.subject !== undefined && input.description !== undefined
          ? {
              kind: 'file',
              draft: { subject: input.subject, description: input.description, articlesTried: [] },
            }
          : offerDraft(state, 'Here is the ticket I would file:');
      return {
        kind: 'file',
        draft: {
          subject: input.subject ?? drafted.subject,
          description: input.description ?? drafted.description,
          articlesTried: drafted.articlesTried,
        },
      };
    }
    case 'cancel':
      return {
        kind: 'answer',
        messages: [text('All right, nothing was changed.')],
        state: { ...state, awaiting: 'nothing', draft: null, candidates: [] },
      };
    case 'my-tickets':
      return { kind: 'list' };
    case 'show-ticket':
      return caseNumber === null ? { kind: 'list' } : { kind: 'show', caseNumber };
    case 'close-ticket': {
      if (caseNumber === null) return { kind: 'close-by-words', words: [] };
      const seen = state.candidates.find((c) => c.number === caseNumber)?.updatedAt ?? null;
      return { kind: 'close', caseNumber, lastSeen: seen };
    }
    case 'confirm-resolution':
    case 'decline-resolution':
      if (caseNumber === null) return helpAnswer(state, 'I am not sure which ticket you mean.');
      return {
        kind: 'resolution',
        caseNumber,
        decision: input.action === 'confirm-resolution' ? 'confirm' : 'decline',
      };
  }
}

function decideText(state: ConversationState, raw: string, replyTo: string | undefined): Step {
  const intent: TextIntent = classifyText(raw);
  const focus = replyTo ?? state.focusCase;
  // an answer to what the bot just asked comes first
  if (state.awaiting === 'resolution' && focus !== null && (intent.kind === 'yes' || intent.kind === 'no'))
    return { kind: 'resolution', caseNumber: focus, decision: intent.kind === 'yes' ? 'confirm' : 'decline' };
  if (state.awaiting === 'solved' && intent.kind === 'yes') return decideAction(state, { action: 'solved' });
  if (state.awaiting === 'solved' && intent.kind === 'no')
    return decideAction(state, { action: 'not-solved' });
  if (state.awaiting === 'file' && intent.kind === 'yes')
    return decideAction(state, { action: 'file-ticket' });
  if (
    (state.awaiting === 'file' || state.awaiting === 'close-confirm' || state.awaiting === 'close-choice') &&
    intent.kind === 'no'
  )
    return decideAction(state, { action: 'cancel' });
  if (state.awaiting === 'close-confirm' && intent.kind === 'yes' && state.candidates[0] !== undefined)
    return decideAction(state, { action: 'close-ticket', caseNumber: state.candidates[0].number });
  if (state.awaiting === 'describe' && intent.kind !== 'nonsense')
    return offerDraft(noteOf(state, raw.trim()), 'Here is the ticket I would file:');
  // a free text after a notification (or one the platform marks as answering a ticket) is a reply to that ticket
  const isCommand = ['status', 'my-tickets', 'close', 'file-ticket', 'help'].includes(intent.kind);
  if (
    !isCommand &&
    intent.kind !== 'nonsense' &&
    focus !== null &&
    (replyTo !== undefined || state.awaiting === 'reply' || state.awaiting === 'details')
  )
    return {
      kind: 'comment',
      caseNumber: focus,
      text: raw.trim(),
      why: state.awaiting === 'details' ? 'details' : 'reply',
    };
  switch (intent.kind) {
    case 'status':
      return { kind: 'show', caseNumber: intent.caseNumber };
    case 'my-tickets':
      return { kind: 'list' };
    case 'close':
      return intent.caseNumber !== null
        ? { kind: 'close', caseNumber: intent.caseNumber, lastSeen: null }
        : { kind: 'close-by-words', words: intent.words };
    case 'file-ticket':
      return offerDraft(state, 'Here is the ticket I would file:');
    case 'greeting':
      return helpAnswer(state, 'Hello!');
    case 'help':
      return helpAnswer(state, '');
    case 'nonsense':
      return helpAnswer(state, 'I did not understand that.');
    case 'yes':
    case 'no':
      return helpAnswer(state, 'I am not sure what you are answering.');
    case 'question': {
      // a new question starts a new thread unless it follows the one just answered
      const base = state.awaiting === 'solved' ? state : { ...EMPTY_STATE, focusCase: state.focusCase };
      return { kind: 'search', query: intent.text.trim(), state: noteOf(base, intent.text.trim()) };
    }
  }
}

/** The answer to a search: the best articles and "did this solve it?", or the ticket offer when nothing matched. */
export function afterSearch(
  state: ConversationState,
  articles: readonly ArticleCard[],
): { messages: BotMessage[]; state: ConversationState } {
  if (articles.length === 0) {
    const step = offerDraft(
      state,
      'I found no help article about that. I can file a ticket for the support team instead:',
    );
    if (step.kind !== 'answer') throw new InvariantError('offerDraft answers');
    return { messages: step.messages, state: step.state };
  }
  const known = new Set(state.articlesTried.map((a) => a.articleId));
  const tried = [
    ...state.articlesTried,
    ...articles
      .filter((a) => !known.has(a.articleId))
      .map((a) => ({ articleId: a.articleId, title: a.title, link: a.link })),
  ];
  return {
    messages: [
      text(articles.length === 1 ? 'This article may help:' : 'These articles may help:'),
      { type: 'articles', articles },
      text('Did this solve it?'),
      actions({ action: 'solved', label: 'Yes, solved' }, { action: 'not-solved', label: 'No' }),
    ],
    state: { ...state, awaiting: 'solved', articlesTried: tried },
  };
}

/** The answer to a close request by words, from the employee's open tickets. */
export function afterCloseLookup(
  state: ConversationState,
  open: readonly TicketCard[],
  words: readonly string[],
): { messages: BotMessage[]; state: ConversationState } {
  if (open.length === 0)
    return {
      messages: [text('You have no open tickets to close.')],
      state: { ...state, awaiting: 'nothing' },
    };
  const named = ticketsNamedBy(open, words);
  const candidates = named.map((t) => ({ number: t.number, updatedAt: t.updatedAt }));
  if (named.length === 1 && named[0] !== undefined) {
    const one = named[0];
    return {
      messages: [
        text(`Close ticket ${one.number}${one.subject === null ? '' : ` "${one.subject}"`}?`),
        { type: 'ticket', ticket: one },
        actions(
          { action: 'close-ticket', label: 'Close it', caseNumber: one.number },
          { action: 'cancel', label: 'Keep it open' },
        ),
      ],
      state: { ...state, awaiting: 'close-confirm', candidates, focusCase: one.number },
    };
  }
  const shown = named.length === 0 ? open : named;
  return {
    messages: [
      text(
        named.length === 0
          ? 'I could not tell which ticket you mean. Which one should I close?'
          : 'More than one ticket matches. Which one should I close?',
      ),
      { type: 'tickets', tickets: shown },
      actions(
        ...shown.map((t) => ({
          action: 'close-ticket' as const,
          label: `Close ${t.number}`,
          caseNumber: t.number,
        })),
        { action: 'cancel', label: 'None of them' },
      ),
    ],
    state: {
      ...state,
      awaiting: 'close-choice',
      candidates: shown.map((t) => ({ number: t.number, updatedAt: t.updatedAt })),
    },
  };
}

/** Buttons that fit a ticket in a given state. */
export function ticketActions(ticket: {
  number: string;
  state: CaseState;
  isClosed: boolean;
}): SuggestedAction[] {
  return ticket.isClosed || ticket.state === 'CLOSED'
    ? [{ action: 'my-tickets', label: 'My tickets' }]
    : [
        { action: 'close-ticket', label: 'Close it, it is solved', caseNumber: ticket.number },
        { action: 'my-tickets', label: 'My tickets' },
      ];
}
