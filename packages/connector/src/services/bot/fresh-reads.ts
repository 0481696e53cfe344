// Reads of Salesforce that the bot API answers again from memory while they are fresh enough: the employee's ticket
// list and one ticket with its comments, at most `maxAgeMs` old (15 s as served). Concurrent requests for the same
// read share one Salesforce call, so a busy bot (a chat re-listing on every turn, several tabs) costs one query per
// employee and window on each worker, not one per request. The employee's own writes (file, comment, close,
// reopen) forget their entries, so they always see what they just did; an agent's change shows within `maxAgeMs`.

import type { Clock } from '../../domain/ports.js';

/** how old a served ticket read may be, as served (BotTicketDeps.freshReads) */
export const BOT_READ_MAX_AGE_MS = 15_000;

/** employees whose reads are kept per worker; the least recently read go first beyond it */
const MAX_SCOPES = 10_000;

export interface FreshRead<T> {
  value: T;
  /** when casebridge read this from Salesforce */
  readAt: Date;
}

interface Entry<T> {
  readAtMs: number;
  pending: Promise<FreshRead<T>>;
}

export class FreshReads<T> {
  /** scope (one employee of one tenant) → read → entry */
  private readonly scopes = new Map<string, Map<string, Entry<T>>>();

  constructor(
    private readonly clock: Clock,
    readonly maxAgeMs: number,
  ) {}

  /** The read `key` of `scope` if made at most `maxAgeMs` ago (or under way), else `load()`ed afresh. */
  get(scope: string, key: string, load: () => Promise<T>): Promise<FreshRead<T>> {
    const now = this.clock.now().getTime();
    let reads = this.scopes.get(scope);
    const held = reads?.get(key);
    if (held !== undefined && now - held.readAtMs <= this.maxAgeMs) return held.pending;
    if (reads === undefined) reads = new Map();
    // re-inserted, so the map's order is least recently read first
    this.scopes.delete(scope);
    this.scopes.set(scope, reads);
    if (this.scopes.size > MAX_SCOPES) {
      const oldest = this.scopes.keys().next();
      if (oldest.done !== true) this.scopes.delete(oldest.value);
    }
    const pending = load().then((value) => ({ value, readAt: new Date(now) }));
    const entry = { readAtMs: now, pending };
    reads.set(key, entry);
    // a failed read is not kept: the next request asks Salesforce again
    pending.catch(() => {
      if (reads.get(key) === entry) reads.delete(key);
    });
    return pending;
  }

  /** Forgets every read of `scope` (after the employee's own write). */
  forget(scope: string): void {
    this.scopes.delete(scope);
  }
}
