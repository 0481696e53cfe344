// The poll pace while a worker streams the tenant's Case changes (Change Data Capture): an idle tenant falls back
// to the 15-minute safety net, a case changed within the live window (or a live conversation) keeps the active
// pace for its comments, and without the stream nothing changes.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { defaultTenantSettings } from '../../domain/tenant.js';
import type { DecidedPollPace } from '../../domain/tickets/poll-pace-ports.js';
import { POLL_FLOOR_MS } from '../../domain/tickets/poll-pace.js';
import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { PollPacer, STREAM_SAFETY_NET_MS } from './poll-pacer.js';

const NOW = new Date('2026-03-02T10:00:00.000Z');

function pacer(stream: { streaming: boolean; lastChangeAt: Date | null } | undefined, live = 0): PollPacer {
  let saved: DecidedPollPace | null = null;
  return new PollPacer({
    audit: {
      summary: (tenantId, since) =>
        Promise.resolve({
          tenantId,
          calls: 10,
          since: since.toISOString(),
          lastApiUsed: 10,
          lastApiMax: 1_000_000,
        }),
    },
    stats: { get: () => Promise.resolve(null) },
    activity: {
      liveConversations: () => Promise.resolve(live),
      waitingCases: () => Promise.resolve(0),
    },
    paces: {
      save: (pace) => {
        saved = pace;
        return Promise.resolve();
      },
      get: () => Promise.resolve(saved),
    },
    clock: new FixedClock(NOW.toISOString()),
    ...(stream === undefined ? {} : { stream: () => Promise.resolve(stream) }),
  });
}

const tenant = { id: 'acme', settings: defaultTenantSettings() };
const interval = async (p: PollPacer): Promise<number> => (await p.check(tenant)).pace.intervalMs;

test('an idle tenant whose Case changes stream is polled at the safety net, not its idle interval', async () => {
  assert.equal(await interval(pacer(undefined)), 60_000);
  assert.equal(await interval(pacer({ streaming: false, lastChangeAt: null })), 60_000);
  assert.equal(await interval(pacer({ streaming: true, lastChangeAt: null })), STREAM_SAFETY_NET_MS);
  const hourAgo = new Date(NOW.getTime() - 3_600_000);
  assert.equal(await interval(pacer({ streaming: true, lastChangeAt: hourAgo })), STREAM_SAFETY_NET_MS);
});

test('a case changed within the live window, or a live conversation, keeps the active pace for comments', async () => {
  const justNow = new Date(NOW.getTime() - 30_000);
  assert.equal(await interval(pacer({ streaming: true, lastChangeAt: justNow })), POLL_FLOOR_MS);
  assert.equal(await interval(pacer({ streaming: true, lastChangeAt: null }, 1)), POLL_FLOOR_MS);
});
