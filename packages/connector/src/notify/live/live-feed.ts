// One worker's follower of the shared chat feed: while any page is connected it reads the entries added since it
// last looked (any worker may have written them: the outbox runs everywhere) and hands each to the pages of its
// employee. One query per read for the whole worker, however many pages are open; none while no page is.
// With signals (NOTIFY on every insert, migration 0061) it reads as soon as an entry is committed anywhere and
// polls only as a safety net; while signals may be missed (the listening connection is down) it polls at the
// fast pace, and reads once more when they are heard again. Reads always start at the cursor, so nothing is lost.

import type { ChatFeedEntry, ChatFeedRepository, FeedSignals } from '../../domain/chat/chat-ports.js';
import type { Logger } from '../../logging/logger.js';

export type FeedListener = (entry: ChatFeedEntry) => void;

export interface LiveFeedOptions {
  feed: Pick<ChatFeedRepository, 'since' | 'latestSeq'>;
  log: Logger;
  /** how often the store is asked while pages are connected and no signal is heard (default 500 ms) */
  everyMs?: number;
  /** new-entry signals from the store; without them the follower polls at `everyMs` */
  signals?: FeedSignals;
  /** the safety-net poll while signals are heard (default 5 s) */
  safetyEveryMs?: number;
}

const PAGE = 500;

export class LiveFeed {
  private readonly listeners = new Map<string, Set<FeedListener>>();
  private cursor = 0;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private starting: Promise<void> | null = null;
  private busy = false;
  /** a signal came while a read was running: read again when it ends */
  private again = false;
  private signalsLive = false;
  private listening: Promise<{ close(): Promise<void> } | null> | null = null;

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
    if (!this.running) {
      this.starting ??= this.start();
      await this.starting;
    }
    return () => {
      const current = this.listeners.get(key);
      current?.delete(listener);
      if (current?.size === 0) this.listeners.delete(key);
      if (this.listeners.size === 0) void this.stop();
    };
  }

  get connected(): number {
    let n = 0;
    for (const set of this.listeners.values()) n += set.size;
    return n;
  }

  /** whether new entries are signalled right now (false: polling at the fast pace) */
  get signalled(): boolean {
    return this.signalsLive;
  }

  /** Stops reading and stops listening for signals (the last page left, or the process is closing). */
  async stop(): Promise<void> {
    this.running = false;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const listening = this.listening;
    this.listening = null;
    this.signalsLive = false;
    const handle = await listening;
    await handle?.close();
  }

  private async start(): Promise<void> {
    try {
      // listening before the cursor is read: an entry committed after that read is signalled or polled
      if (this.options.signals !== undefined && this.listening === null) this.listening = this.listen();
      await this.listening;
      this.cursor = await this.options.feed.latestSeq();
      if (this.listeners.size > 0 && !this.running) {
        this.running = true;
        this.schedule();
      }
    } finally {
      this.starting = null;
    }
  }

  private async listen(): Promise<{ close(): Promise<void> } | null> {
    try {
      return await (this.options.signals as FeedSignals).listen({
        signal: () => this.wake(),
        live: (up) => {
          const back = up && !this.signalsLive;
          this.signalsLive = up;
          if (!this.running) return;
          // back after a gap: what was signalled meanwhile was not heard, so read now
          if (back) this.wake();
          this.schedule();
        },
      });
    } catch (err) {
      this.options.log.warn({ err }, 'could not listen for chat feed signals; polling');
      return null;
    }
  }

  private schedule(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    if (!this.running) return;
    const every = this.signalsLive ? (this.options.safetyEveryMs ?? 5_000) : (this.options.everyMs ?? 500);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, every);
    this.timer.unref();
  }

  private wake(): void {
    if (this.running) void this.tick();
  }

  private async tick(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        for (;;) {
          const entries = await this.options.feed.since(this.cursor, PAGE);
          for (const entry of entries) {
            this.cursor = Math.max(this.cursor, entry.seq);
            for (const listener of this.listeners.get(`${entry.tenantId}\0${entry.employeeId}`) ?? [])
              listener(entry);
          }
          if (entries.length < PAGE) break;
        }
      } while (this.again && this.running);
    } catch (err) {
      this.options.log.warn({ err }, 'could not read the chat feed; retrying');
    } finally {
      this.busy = false;
    }
  }
}
