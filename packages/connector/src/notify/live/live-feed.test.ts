// The chat follower with signals: an entry reaches a page as soon as it is signalled, a missed signal is caught by
// the safety-net poll, and while signals are down the follower polls fast and reads once more when they are back.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { test } from 'node:test';

import type { ChatFeedEntry, FeedSignals } from '../../domain/chat/chat-ports.js';
import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import { silentLogger } from '../../logging/logger.js';
import { LiveFeed } from './live-feed.js';

class Feed {
  readonly entries: ChatFeedEntry[] = [];
  reads = 0;
  /** held reads: resolved by the test */
  hold: Promise<void> | null = null;
  add(employeeId: string): ChatFeedEntry {
    const entry: ChatFeedEntry = {
      seq: this.entries.length + 1,
      tenantId: 'acme',
      employeeId,
      notification: { eventId: `e${this.entries.length + 1}` } as TicketNotification,
      createdAt: '2026-12-02T10:00:00.000Z',
    };
    this.entries.push(entry);
    return entry;
  }
  async since(after: number, limit: number): Promise<ChatFeedEntry[]> {
    this.reads += 1;
    const snapshot = this.entries.filter((e) => e.seq > after).slice(0, limit);
    if (this.hold !== null) await this.hold;
    return snapshot;
  }
  latestSeq(): Promise<number> {
    return Promise.resolve(this.entries.length);
  }
}

class Signals implements FeedSignals {
  handlers: { signal(): void; live(up: boolean): void } | null = null;
  closed = 0;
  listen(handlers: { signal(): void; live(up: boolean): void }) {
    this.handlers = handlers;
    handlers.live(true);
    return Promise.resolve({ close: () => Promise.resolve(void (this.closed += 1)) });
  }
}

async function until(what: string, done: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!done()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const followed = (options: { everyMs?: number; safetyEveryMs?: number }) => {
  const feed = new Feed();
  const signals = new Signals();
  const live = new LiveFeed({ feed, signals, log: silentLogger(), ...options });
  return { feed, signals, live };
};

test('a signalled entry reaches the page at once, long before the safety-net poll', async () => {
  const { feed, signals, live } = followed({ safetyEveryMs: 60_000 });
  const got: number[] = [];
  const off = await live.subscribe('acme', 'ada', (e) => got.push(e.seq));
  assert.equal(live.signalled, true);
  feed.add('ada');
  feed.add('bob');
  signals.handlers?.signal();
  await until('the entry', () => got.length === 1);
  assert.deepEqual(got, [1]);
  off();
  await until('closed', () => signals.closed === 1);
});

test('an entry whose signal was missed still arrives, by the safety-net poll', async () => {
  const { feed, live } = followed({ safetyEveryMs: 50 });
  const got: number[] = [];
  const off = await live.subscribe('acme', 'ada', (e) => got.push(e.seq));
  feed.add('ada');
  await until('the entry', () => got.length === 1);
  off();
});

test('while signals are down it polls at the fast pace; when they are back it reads at once', async () => {
  const { feed, signals, live } = followed({ everyMs: 20, safetyEveryMs: 60_000 });
  const got: number[] = [];
  const off = await live.subscribe('acme', 'ada', (e) => got.push(e.seq));
  signals.handlers?.live(false);
  assert.equal(live.signalled, false);
  feed.add('ada');
  await until('the polled entry', () => got.length === 1);
  signals.handlers?.live(true);
  // an entry whose signal fell in the gap: the return of signals reads it, the 60 s poll is far away
  feed.add('ada');
  signals.handlers?.live(false);
  signals.handlers?.live(true);
  await until('the entry after the gap', () => got.length === 2);
  assert.deepEqual(got, [1, 2]);
  off();
});

test('a signal during a read makes the follower read again: an entry committed meanwhile is not left waiting', async () => {
  const { feed, signals, live } = followed({ safetyEveryMs: 60_000 });
  const got: number[] = [];
  const off = await live.subscribe('acme', 'ada', (e) => got.push(e.seq));
  let release = (): void => undefined;
  feed.hold = new Promise<void>((resolve) => (release = resolve));
  feed.add('ada');
  signals.handlers?.signal();
  await until('the read started', () => feed.reads >= 1);
  // committed after the running read took its snapshot, signalled while it runs
  feed.add('ada');
  signals.handlers?.signal();
  feed.hold = null;
  release();
  await until('both entries', () => got.length === 2);
  assert.deepEqual(got, [1, 2]);
  off();
});

test('without signals it polls at its pace, as before', async () => {
  const feed = new Feed();
  const live = new LiveFeed({ feed, log: silentLogger(), everyMs: 20 });
  const got: number[] = [];
  const off = await live.subscribe('acme', 'ada', (e) => got.push(e.seq));
  assert.equal(live.signalled, false);
  feed.add('ada');
  await until('the entry', () => got.length === 1);
  off();
});
