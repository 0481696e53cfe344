// What the conversation engine answers, in our words: a turn is the employee's input (a text, or a button they
// pressed) and the list of structured messages the bot answers with. The chat page renders each message by its type;
// the same types are the bot API's contract (http/bot/contracts.ts) and docs/conversation.md.

import type { CaseState } from '../tickets/case-states.js';

/** The buttons a bot message can offer; pressing one sends `{ action, caseNumber? }` back. */
export const CONVERSATION_ACTIONS = [
  /** the articles shown solved the question */
  'solved',
  /** they did not: the bot offers a prefilled ticket */
  'not-solved',
  /** file the ticket of the draft (subject and description may be edited in the same input) */
  'file-ticket',
  /** drop what the bot was asking (a draft, a choice, a confirmation) */
  'cancel',
  /** list the employee's tickets */
  'my-tickets',
  /** show one ticket (caseNumber) */
  'show-ticket',
  /** close one ticket (caseNumber), after the bot asked which or asked to confirm */
  'close-ticket',
  /** the employee confirms that the fix the bot proposed for a ticket (caseNumber) solved it */
  'confirm-resolution',
  /** the fix did not solve it: the ticket stays with the support team and the employee may add details */
  'decline-resolution',
] as const;
export type ConversationAction = (typeof CONVERSATION_ACTIONS)[number];

/** What the employee sends: a text, or an action from a button. */
export type ConversationInput =
  | {
      readonly text: string;
      /** the ticket this text answers (the notification the platform showed it under), when the platform knows */
      readonly caseNumber?: string | undefined;
    }
  | {
      readonly action: ConversationAction;
      readonly caseNumber?: string | undefined;
      /** file-ticket only: the draft as the employee edited it */
      readonly subject?: string | undefined;
      readonly description?: string | undefined;
    };

export interface ArticleCard {
  readonly articleId: string;
  readonly articleNumber: string;
  readonly title: string;
  /** the heading of the best-matching section, null for the part before the first heading */
  readonly section: string | null;
  /** plain text; `marks` are [start, end) character ranges of matched words */
  readonly snippet: string;
  readonly marks: readonly (readonly [number, number])[];
  readonly link: string | null;
}

export interface TicketCard {
  readonly number: string;
  readonly subject: string | null;
  readonly state: CaseState;
  /** the state in the employee's words */
  readonly label: string;
  readonly meaning: string;
  readonly isClosed: boolean;
  readonly updatedAt: string;
  /** the support team's latest public comment, when the card was read with its comments */
  readonly latestAgentComment: { readonly body: string; readonly createdAt: string } | null;
}

export interface SuggestedAction {
  readonly action: ConversationAction;
  /** the button's caption */
  readonly label: string;
  readonly caseNumber?: string;
}

export interface ArticleRef {
  readonly articleId: string;
  readonly title: string;
  readonly link: string | null;
}

export interface TicketDraft {
  readonly subject: string;
  readonly description: string;
  readonly articlesTried: readonly ArticleRef[];
}

export type BotMessage =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'articles'; readonly articles: readonly ArticleCard[] }
  | { readonly type: 'ticket'; readonly ticket: TicketCard }
  | { readonly type: 'tickets'; readonly tickets: readonly TicketCard[] }
  | { readonly type: 'draft'; readonly draft: TicketDraft }
  | { readonly type: 'actions'; readonly actions: readonly SuggestedAction[] };

/** One stored exchange: the employee's input (null when the bot spoke first, e.g. a notification) and the answer. */
export interface ConversationTurn {
  readonly id: string;
  readonly at: string;
  readonly input: ConversationInput | null;
  readonly messages: readonly BotMessage[];
  /** the ticket the turn was about, if any */
  readonly caseNumber: string | null;
}
