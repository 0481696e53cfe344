// The one place outbox delivery runs: claims due messages (fairly across tenants, in order per ordering key),
// hands each to the handler registered for its kind, and completes or fails it with the claim it holds.
// Delivery is at least once: a receiver may accept a message and lose the connection before saying so, so each
// handler gets the message's stable event id and passes it on; the receiver drops what it already has.

import type { ClaimedOutboxMessage, Clock, OutboxRepository, OutboxStatus } from '../domain/ports.js';
import { appError, isAppError } from '../errors/app-error.js';
import { JOBS_UNKNOWN_JOB } from '../errors/codes/jobs.js';
import type { Logger } from '../logging/logger.js';
import { scrubSecrets } from '../logging/scrub-secrets.js';

export interface OutboxDelivery {
  /** stable across every attempt: pass it to the receiver as its deduplication key */
  eventId: string;
  tenantId: string;
  kind: string;
  payload: unknown;
  orderingKey: string | null;
  /** 1 on the first attempt */
  attempt: number;
  /** aborted when the dispatcher stops; a handler should give up its call then */
  signal: AbortSignal;
}

/**
 * Delivers one message. Throw to fail the attempt (retried with backoff, or after `details.retryAfterSeconds` of an
 * AppError when longer); throw JOBS_DELIVERY_REJECTED when the receiver refused it for good (the message goes dead
 * at once, listable and retryable).
 */
export type OutboxHandler = (delivery: OutboxDelivery) => Promise<void>;

export interface DispatcherOptions {
  outbox: OutboxRepository;
  handlers: Readonly<Record<string, OutboxHandler>>;
  log: Logger;
  clock: Clock;
  /** messages claimed at a time (default 20) */
  batchSize?: number;
  /** the claim's lease; a handler still running after it may be replaced by another worker (default 5 min) */
  leaseMs?: number;
  /** how long `run` waits when nothing was due (default 1 s) */
  idleMs?: number;
}

export interface DrainReport {
  claimed: number;
  done: number;
  retrying: number;
  dead: number;
  /** finished after its lease ran out: another worker holds the message now, so this outcome was dropped */
  superseded: number;
  /** not started because the batch's lease had run out (a stalled worker): left to whoever holds it now */
  expired: number;
}

const message = (err: unknown): string => scrubSecrets(err instanceof Error ? err.message : String(err));

export class OutboxDispatcher {
  private readonly log: Logger;

  constructor(private readonly options: DispatcherOptions) {
    this.log = options.log.child({ component: 'outbox' });
  }

  /** Claims one batch and delivers it. */
  async drainOnce(signal: AbortSignal = new AbortController().signal): Promise<DrainReport> {
    const report: DrainReport = { claimed: 0, done: 0, retrying: 0, dead: 0, superseded: 0, expired: 0 };
    if (signal.aborted) return report;
    const kinds = Object.keys(this.options.handlers);
    if (kinds.length === 0) return report;
    const leaseMs = this.options.leaseMs ?? 300_000;
    const leaseEnds = this.options.clock.now().getTime() + leaseMs;
    const batch = await this.options.outbox.claim(this.options.batchSize ?? 20, { kinds, leaseMs });
    report.claimed = batch.length;
    for (const claimed of batch) {
      // Not started after a stop: the lease runs out and another worker delivers it.
      if (signal.aborted) break;
      // A worker that stalled (paused VM, a hung handler) past its lease may have been replaced: delivering the
      // rest of its batch would only send messages its successor is sending.
      if (this.options.clock.now().getTime() >= leaseEnds) {
        report.expired += 1;
        continue;
      }
      const outcome = await this.deliver(claimed, signal);
      report[outcome] += 1;
    }
    return report;
  }

  /** Drains until `signal` aborts, waiting `idleMs` whenever nothing was due. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      let claimed = 0;
      try {
        claimed = (await this.drainOnce(signal)).claimed;
      } catch (err) {
        this.log.error({ err: message(err) }, 'outbox claim failed');
      }
      if (claimed === 0) await idle(this.options.idleMs ?? 1_000, signal);
    }
  }

  private async deliver(
    claimed: ClaimedOutboxMessage,
    signal: AbortSignal,
  ): Promise<'done' | 'retrying' | 'dead' | 'superseded'> {
    const log = this.log.child({ tenantId: claimed.tenantId, kind: claimed.kind, eventId: claimed.eventId });
    const handler = this.options.handlers[claimed.kind];
    try {
      if (handler === undefined)
        throw appError(JOBS_UNKNOWN_JOB, {
          params: { job: claimed.kind, known: Object.keys(this.options.handlers).join(', ') },
        });
      await handler({
        eventId: claimed.eventId,
        tenantId: claimed.tenantId,
        kind: claimed.kind,
        payload: claimed.payload,
        orderingKey: claimed.orderingKey,
        attempt: claimed.attempts,
        signal,
      });
    } catch (err) {
      const permanent = isAppError(err, 'JOBS_DELIVERY_REJECTED');
      const retryAfterMs = retryAfterOf(err);
      const failed = await this.options.outbox.fail(claimed, message(err), {
        permanent,
        ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      });
      if (failed === false) return 'superseded';
      const status: OutboxStatus = failed.status;
      log.warn(
        { err: message(err), attempt: claimed.attempts, status, nextAttemptAt: failed.nextAttemptAt },
        status === 'dead' ? 'outbox message dead' : 'outbox delivery failed; retrying',
      );
      return status === 'dead' ? 'dead' : 'retrying';
    }
    if (await this.options.outbox.complete(claimed)) return 'done';
    log.warn(
      { attempt: claimed.attempts },
      'outbox delivery finished after its lease; another worker has it',
    );
    return 'superseded';
  }
}

/** A handler's error may carry `details.retryAfterSeconds` (the receiver's Retry-After): the retry waits for it. */
function retryAfterOf(err: unknown): number | undefined {
  if (!isAppError(err)) return undefined;
  const seconds = err.details?.['retryAfterSeconds'];
  return typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : undefined;
}

function idle(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    timer.unref();
    signal.addEventListener('abort', done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}
