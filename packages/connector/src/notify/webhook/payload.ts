// The JSON body of a webhook delivery: one ticket notification in the receiver's terms. It carries only what the
// notification holds, and a notification holds a comment only when it is public, so an internal note cannot reach
// a payload. docs/webhooks.md shows an example that a test keeps equal to this output.

import type { TicketNotification, TicketNotificationKind } from '../../domain/tickets/notification-rules.js';
import { describeCaseState, type CaseState } from '../../domain/tickets/case-states.js';

export const WEBHOOK_EVENT_TYPES: Readonly<Record<TicketNotificationKind, string>> = {
  'agent-comment': 'case.comment_added',
  'waiting-for-employee': 'case.waiting_for_employee',
  resolved: 'case.resolved',
  closed: 'case.closed',
  'owner-changed': 'case.owner_changed',
  'case-ended': 'case.ended',
  nudge: 'case.reminder',
  'resolution-offer': 'case.resolution_offered',
};

export interface WebhookEvent {
  /** equals the Casebridge-Event-Id header: deduplicate on it */
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
  readonly tenant: string;
  readonly case: {
    readonly id: string;
    readonly number: string;
    readonly state: CaseState;
    /** the state in the employee's words */
    readonly stateLabel: string;
  };
  readonly employee: { readonly id: string };
  readonly comment?: { readonly id: string; readonly body: string; readonly createdAt: string };
  readonly owner?: { readonly id: string };
  /** case.ended only: why the case is gone; after a merge, the case the conversation continues on */
  readonly ended?: { readonly reason: 'deleted' | 'merged'; readonly mergedInto?: { readonly id: string } };
  readonly reminder?: { readonly number: number; readonly of: number; readonly waitingSince: string };
  /** case.resolution_offered only: the articles the bot proposes; the employee answers in the conversation */
  readonly offer?: {
    readonly articles: readonly {
      readonly title: string;
      readonly link: string | null;
      readonly snippet: string;
    }[];
  };
}

export function webhookEvent(notification: TicketNotification): WebhookEvent {
  const event: WebhookEvent = {
    id: notification.eventId,
    type: WEBHOOK_EVENT_TYPES[notification.kind],
    occurredAt: notification.occurredAt,
    tenant: notification.tenantId,
    case: {
      id: notification.caseId,
      number: notification.caseNumber,
      state: notification.state,
      stateLabel: describeCaseState(notification.state).label,
    },
    employee: { id: notification.employeeId },
    ...(notification.comment === undefined ? {} : { comment: { ...notification.comment } }),
    ...(notification.ownerId === undefined ? {} : { owner: { id: notification.ownerId } }),
    ...(notification.ended === undefined
      ? {}
      : {
          ended: {
            reason: notification.ended.reason,
            ...(notification.ended.mergedInto === null
              ? {}
              : { mergedInto: { id: notification.ended.mergedInto } }),
          },
        }),
    ...(notification.reminder === undefined
      ? {}
      : {
          reminder: {
            number: notification.reminder.number,
            of: notification.reminder.of,
            waitingSince: notification.reminder.waitingSince,
          },
        }),
    ...(notification.offer === undefined
      ? {}
      : {
          offer: {
            articles: notification.offer.articles.map((a) => ({
              title: a.title,
              link: a.link,
              snippet: a.snippet,
            })),
          },
        }),
  };
  return event;
}

/** The body as sent and signed. */
export function webhookEventBody(notification: TicketNotification): string {
  return JSON.stringify(webhookEvent(notification));
}
