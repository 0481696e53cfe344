// The pacer's cached inputs: an idle tenant's ticks between polls read nothing from the store, yet a reply this
// process records speeds polling at the next tick, a settings change at the next tick, and activity only another
// worker saw within PACE_INPUTS_TTL_MS and a tick.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { defaultTenantSettings, type TenantSettings } from '../../domain/tenant.js';
import type { MonitorPollStats } from '../../domain/tickets/monitor-ports.js';
import type { DecidedPollPace } from '../../domain/tickets/poll-pace-ports.js';
import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { PaceSignals } from './pace-signals.js';
import { PACE_INPUTS_TTL_MS, PollPacer } from './poll-pacer.js';

const TICK = 5_000;

/** One tenant's store as the pacer reads it, every read counted; `live` is what the replies ledger holds. */
function harness(options: { ttlMs?: number } = {}) {
  const clock = new FixedClock('2026-12-01T00:00:00.000Z');
  const signals = new PaceSignals();
  const state = {
    live: 0,
    reads: 0,
    stats: null as MonitorPollStats | null,
    saved: null as DecidedPollPace | null,
  };
  const read = <T>(value: T): Promise<T> => {
    state.reads += 1;
    return Promise.resolve(value);
  };
  const pacer = new PollPacer({
    audit: {
      summary: (tenantId, since) =>
        read({ tenantId, calls: 10, since: since.toISOString(), lastApiUsed: 10, lastApiMax: 100_000 }),
    },
    stats: { get: () => read(state.stats) },
    activity: { liveConversations: () => read(state.live), waitingCases: () => read(0) },
    paces: {
      save: (pace) => {
        state.saved = pace;
        return Promise.resolve();
      },
      get: () => read(state.saved),
    },
    clock,
    signals,
    ...(options.ttlMs === undefined ? {} : { inputsTtlMs: options.ttlMs }),
  });
  let settings: TenantSettings = defaultTenantSettings();
  let polls: number[] = [];
  /** one tick of the monitor job: the pacer's check, and a poll when due */
  const tick = async (): Promise<boolean> => {
    const { due } = await pacer.check({ id: 'acme', settings });
    if (due) {
      polls.push(clock.now().getTime());
      pacer.polled('acme', clock.now()); // as the monitor job tells it
      state.stats = {
        tenantId: 'acme',
        polledAt: clock.now().toISOString(),
        lagMs: 0,
        watched: 1,
        notified: 0,
        calls: 1,
        skipped: {},
      };
    }
    clock.advance(TICK);
    return due;
  };
  return {
    state,
    signals,
    tick,
    polls: () => polls,
    resetPolls: () => {
      polls = [];
    },
    setSettings: (next: TenantSettings) => {
      settings = next;
    },
  };
}

test('an idle tenant is still polled every 60 s, and its ticks between polls read the store far less', async () => {
  const cached = harness();
  const uncached = harness({ ttlMs: 0 });
  for (let i = 0; i < 720; i += 1) {
    await cached.tick();
    await uncached.tick();
  }
  assert.deepEqual(cached.polls(), uncached.polls());
  assert.equal(cached.polls().length, 60);
  // uncached: every tick reads the usage, the last poll, the two activity counts (and the saved pace once)
  assert.ok(uncached.state.reads >= 720 * 4, `${uncached.state.reads} reads`);
  // cached: the inputs read at each poll and once between (PACE_INPUTS_TTL_MS), the saved pace once
  assert.ok(cached.state.reads <= 2 * 60 * 4 + 1, `${cached.state.reads} reads cached`);
});

test("a reply recorded in this process makes the very next tick poll, though the cached inputs said 'idle'", async () => {
  const h = harness();
  await h.tick(); // polls (never polled)
  await h.tick(); // idle: not due for a minute
  h.resetPolls();
  h.state.live = 1;
  h.signals.changed('acme');
  assert.equal(await h.tick(), true);
  // and at the floor from then on
  assert.equal(await h.tick(), true);
});

test('a settings change is followed at the next tick', async () => {
  const h = harness();
  await h.tick();
  await h.tick();
  const settings = defaultTenantSettings();
  h.setSettings({ ...settings, monitor: { ...settings.monitor, intervalSeconds: 10 } });
  assert.equal(await h.tick(), true, 'a 10 s idle interval: the poll 10 s after the last one is due');
});

test('activity only another worker saw speeds polling within the inputs TTL and one tick', async () => {
  const h = harness();
  await h.tick();
  await h.tick();
  h.state.live = 1; // written by another worker: no signal here
  h.resetPolls();
  let waited = 0;
  while (!(await h.tick())) waited += TICK;
  assert.ok(waited <= PACE_INPUTS_TTL_MS + TICK, `polled after ${waited} ms`);
  assert.ok(waited < 60_000 - 2 * TICK, 'sooner than the idle pace would have polled');
});
