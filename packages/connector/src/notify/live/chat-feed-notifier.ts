// The second notifier beside the webhook: every `ticket-notification` outbox message is first written to the
// employee's chat feed (once per event id, so an outbox retry adds nothing), then handed to the webhook. A tenant
// with no webhook is served by the chat alone: the message is delivered once it is in the feed, instead of dying
// as NOTIFY_WEBHOOK_NOT_CONFIGURED.

import type { ChatFeedRepository } from '../../domain/chat/chat-ports.js';
import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import type { WebhookDirectory } from '../../domain/webhooks/ports.js';
import type { TicketNotificationDelivery } from '../webhook/ticket-notification-handler.js';

export interface ChatFeedNotifierDeps {
  feed: Pick<ChatFeedRepository, 'append'>;
  webhooks: WebhookDirectory;
  /** the webhook handler (ticket-notification-handler.ts) */
  webhook: (delivery: TicketNotificationDelivery) => Promise<void>;
}

/** A notification an employee's chat can show: its own tenant's, with an employee and a case number. */
function chatNotification(delivery: TicketNotificationDelivery): TicketNotification | null {
  const payload = delivery.payload as Partial<TicketNotification> | null;
  if (payload === null || typeof payload !== 'object') return null;
  if (payload.tenantId !== delivery.tenantId || payload.eventId !== delivery.eventId) return null;
  if (typeof payload.employeeId !== 'string' || payload.employeeId === '') return null;
  if (typeof payload.caseNumber !== 'string' || typeof payload.kind !== 'string') return null;
  return payload as TicketNotification;
}

export function chatFeedNotifier(
  deps: ChatFeedNotifierDeps,
): (delivery: TicketNotificationDelivery) => Promise<void> {
  return async (delivery) => {
    const notification = chatNotification(delivery);
    // A malformed payload goes on to the webhook handler, which rejects it with the reason.
    if (notification !== null) {
      await deps.feed.append(notification);
      if ((await deps.webhooks.active(delivery.tenantId)) === null) return;
    }
    await deps.webhook(delivery);
  };
}
