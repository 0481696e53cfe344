// Where conversations are kept: one state row and the turns per employee of a tenant. An employee is their Contact
// id, or `email:<address>` when no Contact has their email.

import type { ConversationState } from './dialogue.js';
import type { ConversationInput, BotMessage, ConversationTurn } from './messages.js';

export interface ConversationKey {
  readonly tenantId: string;
  readonly employee: string;
}

export interface NewTurn {
  readonly input: ConversationInput | null;
  readonly messages: readonly BotMessage[];
  readonly caseNumber: string | null;
  /** the Idempotency-Key of the request (scoped to the employee), or null for a turn the bot started */
  readonly idempotencyKey: string | null;
}

export interface ConversationRepository {
  state(key: ConversationKey): Promise<ConversationState | null>;
  /** the turn a request with this key already made, if any (a retried request answers it again) */
  turnByKey(key: ConversationKey, idempotencyKey: string): Promise<ConversationTurn | null>;
  /**
   * Saves the new state and appends the turn in one transaction. A second turn with the same key is not appended:
   * the first one is returned (two workers racing with one retried request answer alike).
   */
  append(
    key: ConversationKey,
    state: ConversationState,
    turn: NewTurn,
    at: string,
  ): Promise<ConversationTurn>;
  /** the newest `limit` turns, oldest first */
  history(key: ConversationKey, limit: number): Promise<ConversationTurn[]>;
  /** every employee of a tenant who has a conversation (export and delete by person) */
  employees(tenantId: string): Promise<{ employee: string; turns: number; updatedAt: string }[]>;
  /** removes the employee's conversation (state and turns); false when there was none */
  remove(key: ConversationKey): Promise<boolean>;
  /** removes turns older than `before` and conversations with no turn left and no change since; the count of turns */
  purgeBefore(before: string): Promise<number>;
}

export const employeeKeyOf = (session: { contactId: string | null; email: string }): string =>
  session.contactId ?? `email:${session.email}`;
