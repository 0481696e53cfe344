// Ports of the web chat's live feed: the ticket notifications an employee's chat shows, kept in one shared order so
// every worker's pages replay the same sequence after a reconnect (SSE Last-Event-ID = the entry's seq).

import type { TicketNotification } from '../tickets/notification-rules.js';

/** One entry of an employee's feed: the notification as the ticket monitor produced it, and its place in the feed. */
export interface ChatFeedEntry {
  /** the feed's order, shared by every worker: the SSE event id */
  seq: number;
  tenantId: string;
  employeeId: string;
  notification: TicketNotification;
  createdAt: string;
}

export interface ChatFeedRepository {
  /** adds the notification once (by tenant and event id); false when it was there already */
  append(notification: TicketNotification): Promise<boolean>;
  /** the employee's entries after `afterSeq`, oldest first */
  forEmployee(
    tenantId: string,
    employeeId: string,
    afterSeq: number,
    limit: number,
  ): Promise<ChatFeedEntry[]>;
  /** every tenant's entries after `afterSeq`, oldest first: what a worker's follower hands to its open pages */
  since(afterSeq: number, limit: number): Promise<ChatFeedEntry[]>;
  latestSeq(): Promise<number>;
  /** removes entries older than `before`; returns how many */
  purgeBefore(before: Date): Promise<number>;
}

/** A worker's live follower of the feed (notify/live/live-feed.ts), as the chat's event stream uses it. */
export interface LiveFeedSubscriber {
  subscribe(
    tenantId: string,
    employeeId: string,
    listener: (entry: ChatFeedEntry) => void,
  ): Promise<() => void>;
}

/**
 * Tells a worker's follower that the feed has grown, on whichever worker the entry was written (PostgreSQL
 * LISTEN/NOTIFY; PGlite's own listen). A hint only: the follower reads the feed from its cursor either way, so a
 * missed signal costs latency, never an entry.
 */
export interface FeedSignals {
  /** `signal` for each new entry; `live(false)` while signals may be missed, `live(true)` once heard again */
  listen(handlers: { signal(): void; live(up: boolean): void }): Promise<{ close(): Promise<void> }>;
}
