// One worker's follower of the shared chat feed: while any page is connected it reads the entries added since it
// last looked (any worker may have written them: the outbox runs everywhere) and hands each to the pages of its
// employee. One query per tick for the whole worker, however many pages are open; none while no page is.

import type { ChatFeedEntry, ChatFeedRepository } from '../../domain/chat/chat-ports.js';
import type { Logger } from '../../logging/logger.js';

export type FeedListener = (entry: ChatFeedEntry) => void;

export interface LiveFeedOptions {
  feed: Pick<ChatFeedRepository, 'since' | 'latestSeq'>;
  log: Logger;
  /** how often the store is asked while pages are connected (default 500 ms) */
  everyMs?: number;
}

const PAGE = 500;

export class LiveFeed {
  private readonly listeners = new Map<string, Set<FeedListener>>();
  private cursor = 0;
  private timer: NodeJS.Timeout | null = null;
  private starting: Promise<void> | null = null;
  private busy = false;

  constructor(private readonly options: LiveFeedOptions) {}

  /**
   * Hands every later entry of the employee to `listener` until the returned function is called. Resolves once the
   * follower is reading, so an entry added after it resolves is sure to reach the listener (one added before may
   * too: the caller's replay and this overlap, and the caller drops what it already sent).
   */
  async subscribe(tenantId: string, employeeId: string, listener: FeedListener): Promise<() => void> {
    const key = `${tenantId}\0${employeeId}`;
    let set = this.listeners.get(key);
    if (set === undefined) this.listeners.set(key, (set = new Set()));
    set.add(listener);
    if (this.timer === null) {
      this.starting ??= this.start();
      await this.starting;
    }
    return () => {
      const current = this.listeners.get(key);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(key);
      if (this.listeners.size === 0) this.stop();
    };
  }

  get connected(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  private async start(): Promise<void> {
    try {
      this.cursor = await this.options.feed.latestSeq();
      if (this.listeners.size > 0 && this.timer === null) {
        this.timer = setInterval(() => void this.tick(), this.options.everyMs ?? 500);
        this.timer.unref();
      }
    } finally {
      this.starting = null;
    }
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (;;) {
        const entries = await this.options.feed.since(this.cursor, PAGE);
        for (const entry of entries) {
          this.cursor = Math.max(this.cursor, entry.seq);
          for (const listener of this.listeners.get(`${entry.tenantId}\0${entry.employeeId}`) ?? [])
            listener(entry);
        }
        if (entries.length < PAGE) break;
      }
    } catch (err) {
      this.options.log.warn({ err }, 'could not read the chat feed; retrying');
    } finally {
      this.busy = false;
    }
  }
}
