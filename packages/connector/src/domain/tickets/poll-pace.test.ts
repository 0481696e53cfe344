// A tenant is polled at the 5 s floor while a conversation is live or a case waits on its employee, at its idle
// interval otherwise, and never faster than its API share allows with the bot's reserve kept aside.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  decidePollPace,
  pollDue,
  POLL_FLOOR_MS,
  type PollPaceInput,
  type PollPaceSettings,
} from './poll-pace.js';

const settings: PollPaceSettings = { idleMs: 60_000, activeMs: POLL_FLOOR_MS, reserveShare: 0.25 };
const input = (overrides: Partial<PollPaceInput> = {}): PollPaceInput => ({
  dailyMax: 100_000,
  share: 0.5,
  callsLast24h: 0,
  callsPerPoll: 1,
  liveConversations: 0,
  waitingCases: 0,
  ...overrides,
});

test('a live conversation or a waiting case polls at the 5 s floor when the share allows it', () => {
  // 50,000 share, 37,500 for polling: 17,280 polls a day at 5 s fit
  assert.deepEqual(
    [
      decidePollPace(input({ liveConversations: 1 }), settings).intervalMs,
      decidePollPace(input({ liveConversations: 1 }), settings).why,
    ],
    [5_000, 'active'],
  );
  assert.equal(decidePollPace(input({ waitingCases: 2 }), settings).intervalMs, 5_000);
  assert.equal(
    decidePollPace(input({ waitingCases: 2 }), { ...settings, activeMs: 1_000 }).intervalMs,
    5_000,
    'floor',
  );
  const idle = decidePollPace(input(), settings);
  assert.deepEqual([idle.intervalMs, idle.why], [60_000, 'idle']);
  // status prints `why: reason`: the reason says what makes it idle, not the word again
  assert.equal(idle.reason, 'no live conversation and no case waiting on the employee');
});

test('a tiny share is polled slower, and its pace never spends more than the allowance a day', () => {
  // 15,000 a day × 1% = 150; 38 kept for the bot; 112 for polling: one poll every 779 s
  const pace = decidePollPace(input({ dailyMax: 15_000, share: 0.01, liveConversations: 3 }), settings);
  assert.equal(pace.why, 'budget');
  assert.equal(pace.allowancePerDay, 112);
  assert.ok(pace.intervalMs > 60_000);
  assert.ok(pace.callsPerDayAtPace <= 112, `${pace.callsPerDayAtPace} calls a day`);
  assert.match(pace.reason, /limited by the API share: 112 calls a day for polling \(150 share, 38 kept/);
  // a costlier poll (3 calls) makes it three times slower
  const costly = decidePollPace(input({ dailyMax: 15_000, share: 0.01, callsPerPoll: 3 }), settings);
  assert.ok(costly.intervalMs > 2.9 * pace.intervalMs);
  assert.ok(costly.callsPerDayAtPace <= 112);
});

test('when another poll would pass the share, polling slows four times; an unknown allocation polls at idle pace', () => {
  const spent = decidePollPace(input({ dailyMax: 15_000, share: 0.01, callsLast24h: 150 }), settings);
  assert.equal(spent.why, 'budget-spent');
  const normal = decidePollPace(input({ dailyMax: 15_000, share: 0.01, callsLast24h: 100 }), settings);
  assert.equal(normal.why, 'budget');
  assert.equal(spent.intervalMs, normal.intervalMs * 4);
  const unknown = decidePollPace(input({ dailyMax: null, liveConversations: 5 }), settings);
  assert.deepEqual([unknown.intervalMs, unknown.why], [60_000, 'allocation-unknown']);
});

test('a poll is due once its interval has passed since the last one', () => {
  const now = new Date('2026-12-01T10:00:05.000Z');
  assert.equal(pollDue(null, 5_000, now), true);
  assert.equal(pollDue('2026-12-01T10:00:00.000Z', 5_000, now), true);
  assert.equal(pollDue('2026-12-01T10:00:00.001Z', 5_000, now), false);
});
