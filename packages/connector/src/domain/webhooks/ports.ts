// Ports of webhook delivery: where a tenant's webhook is kept, how the outbox handler gets its URL and active
// secrets, and the outbox's counts and dead letters as the operator sees them.

import type { OutboxMessage } from '../ports.js';

/** A tenant's webhook as stored: the URL only; its signing secrets are sealed in the tenant's secrets. */
export interface StoredWebhook {
  tenantId: string;
  url: string;
  createdAt: string;
  updatedAt: string;
}

export interface WebhookRepository {
  get(tenantId: string): Promise<StoredWebhook | null>;
  /** creates or replaces the URL */
  put(tenantId: string, url: string): Promise<StoredWebhook>;
  delete(tenantId: string): Promise<boolean>;
}

/** What one delivery needs: the URL (checked again at send time) and the secrets to sign with, newest first. */
export interface ActiveWebhook {
  url: string;
  secrets: readonly string[];
}

export interface WebhookDirectory {
  /** null when the tenant has no webhook */
  active(tenantId: string): Promise<ActiveWebhook | null>;
}

/** The URL policy as services see it: throws a NOTIFY_WEBHOOK_* AppError when the URL may not be used. */
export type WebhookUrlCheck = (url: string) => Promise<void>;

/** The outcome of one attempt, in the outbox's terms (notify/webhook/outcome.ts), without the I/O types. */
export interface WebhookAttempt {
  kind: 'delivered' | 'retryable' | 'permanent';
  status?: number;
  reason?: string;
  code?: string;
}

/** One signed POST outside the outbox (the `webhook test` event). */
export type WebhookSend = (delivery: {
  url: string;
  eventId: string;
  body: string;
  secrets: readonly string[];
}) => Promise<WebhookAttempt>;

/** Outbox messages of one tenant and kind by state, for `status`. */
export interface OutboxCounts {
  tenantId: string;
  kind: string;
  /** waiting for their first attempt */
  pending: number;
  /** failed at least once and waiting for a retry, or being delivered now */
  retrying: number;
  dead: number;
}

export interface OutboxStats {
  counts(): Promise<OutboxCounts[]>;
}

/** A dead message as the operator lists it: never its payload (it may hold a comment's text). */
export type DeadLetter = Pick<
  OutboxMessage,
  'id' | 'eventId' | 'tenantId' | 'kind' | 'orderingKey' | 'attempts' | 'lastError' | 'createdAt'
>;

/**
 * The outbox kind of a ticket notification: payload = the TicketNotification (domain/tickets/notification-rules.ts)
 * as JSON, ordering key = its case id, event id = its `eventId`.
 */
export const TICKET_NOTIFICATION_KIND = 'ticket-notification';
