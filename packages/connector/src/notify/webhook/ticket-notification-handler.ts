// The outbox handler of `ticket-notification` messages: loads the tenant's webhook, sends the notification as a
// signed event (Casebridge-Event-Id = the notification's event id, on every attempt), and tells the dispatcher
// what came of it: return = delivered; NOTIFY_WEBHOOK_DELIVERY_FAILED = retry with backoff; JOBS_DELIVERY_REJECTED =
// dead at once (the receiver or the URL policy refused it for good, or there is no webhook to send to).

import { z } from 'zod';

import { CASE_STATES } from '../../domain/tickets/case-states.js';
import type { TicketNotification, TicketNotificationKind } from '../../domain/tickets/notification-rules.js';
import type { WebhookDirectory } from '../../domain/webhooks/ports.js';
import { appError } from '../../errors/app-error.js';
import { JOBS_DELIVERY_REJECTED } from '../../errors/codes/jobs.js';
import {
  NOTIFY_WEBHOOK_DELIVERY_FAILED,
  NOTIFY_WEBHOOK_NOT_CONFIGURED,
  NOTIFY_WEBHOOK_PAYLOAD_INVALID,
} from '../../errors/codes/notify.js';
import { WEBHOOK_EVENT_TYPES, webhookEventBody } from './payload.js';
import type { WebhookDelivery, DeliveryReport } from './send-webhook.js';

/** What the handler reads of an outbox delivery (jobs/outbox-dispatcher.ts's OutboxDelivery fits). */
export interface TicketNotificationDelivery {
  readonly eventId: string;
  readonly tenantId: string;
  readonly kind: string;
  readonly payload: unknown;
}

export interface TicketNotificationHandlerDeps {
  webhooks: WebhookDirectory;
  sender: { send(delivery: WebhookDelivery): Promise<DeliveryReport> };
}

const text = z.string().min(1).max(100_000);

// Unknown fields are tolerated here and dropped by webhookEventBody, which copies only the fields it names: an
// internal detail a producer might add can never reach the receiver.
const NOTIFICATION = z.object({
  eventId: text,
  // every kind a webhook has an event type for (a kind left out here went dead at once: nudges did)
  kind: z.enum(Object.keys(WEBHOOK_EVENT_TYPES) as [TicketNotificationKind, ...TicketNotificationKind[]]),
  tenantId: text,
  caseId: text,
  caseNumber: z.string(),
  employeeId: text,
  state: z.enum(CASE_STATES),
  occurredAt: text,
  comment: z.object({ id: text, body: z.string(), createdAt: text }).optional(),
  ownerId: text.optional(),
  ended: z.object({ reason: z.enum(['deleted', 'merged']), mergedInto: text.nullable() }).optional(),
  reminder: z
    .object({ number: z.number().int().min(1), of: z.number().int().min(1), waitingSince: text })
    .optional(),
  offer: z
    .object({
      articles: z.array(
        z.object({
          articleId: text,
          articleNumber: z.string(),
          title: z.string(),
          section: z.string().nullable(),
          snippet: z.string(),
          link: z.string().nullable(),
        }),
      ),
    })
    .optional(),
});

function reject(delivery: TicketNotificationDelivery, reason: string): never {
  throw appError(JOBS_DELIVERY_REJECTED, {
    params: { eventId: delivery.eventId, kind: delivery.kind, reason },
  });
}

function parseNotification(delivery: TicketNotificationDelivery): TicketNotification {
  const parsed = NOTIFICATION.safeParse(delivery.payload);
  const invalid = (reason: string): never =>
    reject(
      delivery,
      appError(NOTIFY_WEBHOOK_PAYLOAD_INVALID, {
        params: { eventId: delivery.eventId, tenant: delivery.tenantId, reason },
      }).message,
    );
  if (!parsed.success)
    return invalid(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  // a message of one tenant is never sent to another tenant's webhook, whatever its payload says
  if (parsed.data.tenantId !== delivery.tenantId)
    return invalid('its tenant differs from the message tenant');
  const { comment, ownerId, ended, reminder, offer, ...rest } = parsed.data;
  return {
    ...rest,
    ...(comment === undefined ? {} : { comment }),
    ...(ownerId === undefined ? {} : { ownerId }),
    ...(ended === undefined ? {} : { ended }),
    ...(reminder === undefined ? {} : { reminder }),
    ...(offer === undefined ? {} : { offer }),
  };
}

export function ticketNotificationHandler(
  deps: TicketNotificationHandlerDeps,
): (delivery: TicketNotificationDelivery) => Promise<void> {
  return async (delivery) => {
    const notification = parseNotification(delivery);
    const webhook = await deps.webhooks.active(delivery.tenantId);
    if (webhook === null)
      reject(
        delivery,
        appError(NOTIFY_WEBHOOK_NOT_CONFIGURED, { params: { tenant: delivery.tenantId } }).message,
      );
    // The notification's own event id, which the body's `id` repeats: the receiver deduplicates on it.
    const report = await deps.sender.send({
      url: webhook.url,
      eventId: notification.eventId,
      body: webhookEventBody(notification),
      secrets: webhook.secrets,
    });
    const { outcome } = report;
    switch (outcome.kind) {
      case 'delivered':
        return;
      case 'permanent':
        reject(delivery, outcome.reason);
        break;
      case 'retryable':
        throw appError(NOTIFY_WEBHOOK_DELIVERY_FAILED, {
          params: { eventId: notification.eventId, tenant: delivery.tenantId, reason: outcome.reason },
          // the dispatcher waits at least this long before the retry (capped at its longest backoff)
          ...(outcome.retryAfterSeconds === undefined
            ? {}
            : { details: { retryAfterSeconds: outcome.retryAfterSeconds } }),
        });
    }
  };
}
