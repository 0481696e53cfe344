// The outbox: messages enqueued in the unit of work that made them, delivered at least once, in order per key.

/** pending → processing (claimed, leased) → done; or back to pending with backoff; dead after the last attempt. */
export type OutboxStatus = 'pending' | 'processing' | 'done' | 'dead';

export interface NewOutboxMessage {
  tenantId: string;
  kind: string;
  /** unique per tenant: enqueueing the same key twice keeps the first message */
  idempotencyKey: string;
  payload: unknown;
  /** earliest time to deliver; now when absent */
  notBefore?: Date;
  /**
   * Messages of one tenant sharing this key (e.g. one case's id) are delivered one at a time, in enqueue order:
   * a later one is not claimed while an earlier one is pending or processing. Absent: no order is kept.
   */
  orderingKey?: string;
  /**
   * The message's stable event id, when the producer has one (a ticket notification's `eventId`, so the header a
   * receiver deduplicates on is the event's own id); a random UUID otherwise.
   */
  eventId?: string;
}

export interface OutboxMessage {
  id: string;
  /**
   * Stable across every attempt (delivery is at least once: a receiver may accept a message and lose the
   * connection before saying so). Handlers pass it on so the receiver can drop what it already has.
   */
  eventId: string;
  tenantId: string;
  kind: string;
  idempotencyKey: string;
  orderingKey: string | null;
  payload: unknown;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
}

/** A message as `claim` hands it to one worker: only the holder of `claimToken` may complete or fail it. */
export interface ClaimedOutboxMessage extends OutboxMessage {
  claimToken: string;
}

/** What `complete` and `fail` need of a claim (a ClaimedOutboxMessage will do). */
export type OutboxClaim = Pick<ClaimedOutboxMessage, 'id' | 'claimToken'>;

export interface OutboxClaimOptions {
  leaseMs?: number;
  kinds?: readonly string[];
  tenantId?: string;
}

export interface OutboxRepository {
  /**
   * Idempotent by key: `created` is false (and the existing id returned) when the key was already enqueued.
   * TENANT_NOT_FOUND when the tenant does not exist.
   */
  enqueue(message: NewOutboxMessage): Promise<{ id: string; created: boolean }>;
  /**
   * Claims up to `limit` due messages for `leaseMs`; concurrent claimers never get the same message, and a message
   * whose lease ran out (its worker died) is claimed again with a new claim token, or goes dead once it has used
   * every attempt that way. Fair across tenants: each tenant's oldest due messages come first, round-robin, so one
   * tenant's backlog never starves another's. Keeps order per ordering key.
   */
  claim(limit: number, options?: OutboxClaimOptions): Promise<ClaimedOutboxMessage[]>;
  /**
   * Marks the message done. False, changing nothing, when `claim` is no longer the message's current claim (its
   * lease ran out and another worker claimed it, or it was already completed or failed).
   */
  complete(claim: OutboxClaim): Promise<boolean>;
  /**
   * Records a failed attempt: back to pending after an exponential backoff, or dead after the last attempt (at
   * once when `permanent`). False, changing nothing, when `claim` is no longer the message's current claim.
   */
  fail(
    claim: OutboxClaim,
    error: string,
    options?: {
      permanent?: boolean;
      /** the receiver asked to wait this long (Retry-After): the retry waits at least that, at most the max backoff */
      retryAfterMs?: number;
    },
  ): Promise<{ status: OutboxStatus; nextAttemptAt: string } | false>;
  get(id: string): Promise<OutboxMessage | null>;
  /** dead messages, oldest first (a tenant's only, when given) */
  listDead(options?: { tenantId?: string; limit?: number }): Promise<OutboxMessage[]>;
  /** puts a dead message back to pending, due now, with its attempts reset; false when it is not dead */
  retryDead(id: string): Promise<boolean>;
  /** deletes done messages finished before `before`; returns how many */
  purgeDone(before: Date): Promise<number>;
}
