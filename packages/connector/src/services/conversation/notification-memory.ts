// A delivered ticket notification is also a bot turn in the employee's conversation, and the conversation now knows
// which case it was about: the employee's reply (a free text right after it) lands on that case, even when the bot
// platform does not say which notification the employee answers.

import type { ConversationKey } from '../../domain/conversation/conversation-ports.js';
import type { Awaiting } from '../../domain/conversation/dialogue.js';
import type { BotMessage } from '../../domain/conversation/messages.js';
import { describeCaseState } from '../../domain/tickets/case-states.js';
import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import type { Logger } from '../../logging/logger.js';

export interface ConversationVoice {
  speak(
    key: ConversationKey,
    turn: { messages: BotMessage[]; caseNumber: string; awaiting: Awaiting },
  ): Promise<unknown>;
}

/** What a notification says in the conversation, and whether the employee's next words are a reply to its case. */
export function notificationTurn(
  n: TicketNotification,
): { messages: BotMessage[]; caseNumber: string; awaiting: Awaiting } | null {
  const words = describeCaseState(n.state);
  const ticket = `ticket ${n.caseNumber}`;
  switch (n.kind) {
    case 'agent-comment':
      return {
        messages: [
          { type: 'text', text: `The support team wrote on ${ticket}: ${n.comment?.body ?? ''}`.trim() },
        ],
        caseNumber: n.caseNumber,
        awaiting: 'reply',
      };
    case 'waiting-for-employee':
    case 'nudge':
      return {
        messages: [
          {
            type: 'text',
            text: `${ticket[0]?.toUpperCase()}${ticket.slice(1)} is waiting for you: ${words.meaning} Reply here and I will add it.`,
          },
        ],
        caseNumber: n.caseNumber,
        awaiting: 'reply',
      };
    case 'resolved':
    case 'closed':
      return {
        messages: [
          {
            type: 'text',
            text: `${ticket[0]?.toUpperCase()}${ticket.slice(1)}: ${words.label}. ${words.meaning}`,
          },
        ],
        caseNumber: n.caseNumber,
        awaiting: 'nothing',
      };
    case 'resolution-offer':
      return {
        messages: [
          {
            type: 'text',
            text: `About your ${ticket}: I may have the answer already. Does one of these solve it?`,
          },
          {
            type: 'articles',
            articles: (n.offer?.articles ?? []).map((a) => ({ ...a, marks: [] })),
          },
          {
            type: 'actions',
            actions: [
              { action: 'confirm-resolution', label: 'Yes, close my ticket', caseNumber: n.caseNumber },
              { action: 'decline-resolution', label: 'No, I still need help', caseNumber: n.caseNumber },
            ],
          },
        ],
        caseNumber: n.caseNumber,
        awaiting: 'resolution',
      };
    case 'owner-changed':
    case 'case-ended':
      return null;
  }
}

/**
 * Wraps the ticket-notification outbox handler: after a delivery, the turn is kept. Keeping it is best effort: a
 * failure is logged and never turns a delivered notification into a retry (the receiver would get it twice).
 * `delivered` hears of each delivery first (the bot's fresh reads of that employee are forgotten, so the ticket
 * they open from the notification shows the change it announced).
 */
export function rememberNotifications<D extends { payload: unknown }>(
  deliver: (delivery: D) => Promise<void>,
  voice: ConversationVoice,
  log: Logger,
  delivered: (n: TicketNotification) => void = () => undefined,
): (delivery: D) => Promise<void> {
  return async (delivery) => {
    await deliver(delivery);
    const n = delivery.payload as TicketNotification;
    delivered(n);
    const turn = notificationTurn(n);
    if (turn === null || typeof n.employeeId !== 'string' || n.employeeId === '') return;
    try {
      await voice.speak({ tenantId: n.tenantId, employee: n.employeeId }, turn);
    } catch (err) {
      log.warn(
        { err, tenantId: n.tenantId, eventId: n.eventId },
        'could not keep a notification in the conversation',
      );
    }
  };
}
