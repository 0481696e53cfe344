// Two days of 5-second ticks on a simulated clock: a tenant with a tiny API share and a live conversation is polled
// far slower than one with a large share, and casebridge's calls (its polls and the bot's own, counted in the API
// audit) never pass the share in any 24 hours.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ApiAuditEntry, ApiAuditRepository } from '../../domain/ports.js';
import { defaultTenantSettings, type TenantSettings } from '../../domain/tenant.js';
import type { MonitorPollStats } from '../../domain/tickets/monitor-ports.js';
import type { DecidedPollPace } from '../../domain/tickets/poll-pace-ports.js';
import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { PollPacer } from './poll-pacer.js';

const DAY = 86_400_000;
const ORG_MAX = 100_000;

function entry(tenantId: string, at: Date, purpose: string): ApiAuditEntry {
  return {
    tenantId,
    at: at.toISOString(),
    method: 'POST',
    path: '/services/data/v66.0/composite',
    status: 200,
    errorCode: null,
    durationMs: 40,
    apiUsed: 1_000,
    apiMax: ORG_MAX,
    attempt: 1,
    purpose,
  };
}

/** The API audit's summary over calls recorded in time order (a binary search: two days of 5 s ticks stay fast). */
class OrderedAudit implements Pick<ApiAuditRepository, 'summary' | 'record'> {
  readonly entries: ApiAuditEntry[] = [];
  record(e: ApiAuditEntry): Promise<void> {
    this.entries.push(e);
    return Promise.resolve();
  }
  summary(tenantId: string, since: Date): ReturnType<ApiAuditRepository['summary']> {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (Date.parse(this.entries[mid]?.at ?? '') < since.getTime()) lo = mid + 1;
      else hi = mid;
    }
    const last = this.entries.at(-1);
    return Promise.resolve({
      tenantId,
      calls: this.entries.length - lo,
      since: since.toISOString(),
      lastApiUsed: last?.apiUsed ?? null,
      lastApiMax: last?.apiMax ?? null,
    });
  }
}

async function simulate(
  share: number,
): Promise<{ polls: number; worstWindow: number; budget: number; pace: DecidedPollPace | null }> {
  const clock = new FixedClock('2026-12-01T00:00:00.000Z');
  const audit = new OrderedAudit();
  let stats: MonitorPollStats | null = null;
  let saved: DecidedPollPace | null = null;
  const settings: TenantSettings = { ...defaultTenantSettings(), apiBudgetShare: share };
  const tenant = { id: 'acme', settings };
  const sut = new PollPacer({
    audit,
    stats: { get: () => Promise.resolve(stats) },
    activity: { liveConversations: () => Promise.resolve(3), waitingCases: () => Promise.resolve(1) },
    paces: {
      save: (pace) => {
        saved = pace;
        return Promise.resolve();
      },
      get: () => Promise.resolve(saved),
    },
    clock,
  });
  // one call reports the allocation (a login-time check), as the first Sforce-Limit-Info header would
  await audit.record(entry('acme', clock.now(), 'doctor'));
  let polls = 0;
  for (let t = 0; t < 2 * DAY; t += 5_000) {
    if (t % 3_600_000 === 0) await audit.record(entry('acme', clock.now(), 'bot')); // the bot: 24 calls a day
    if ((await sut.check(tenant)).due) {
      polls += 1;
      await audit.record(entry('acme', clock.now(), 'ticket-monitor'));
      stats = {
        tenantId: 'acme',
        polledAt: clock.now().toISOString(),
        lagMs: 0,
        watched: 50,
        notified: 0,
        calls: 1,
        skipped: {},
      };
    }
    clock.advance(5_000);
  }
  // the busiest 24 hours of the two days, every call counted
  const times = audit.entries.map((e) => Date.parse(e.at)).sort((a, b) => a - b);
  let worstWindow = 0;
  for (let i = 0, j = 0; i < times.length; i += 1) {
    while ((times[i] ?? 0) - (times[j] ?? 0) >= DAY) j += 1;
    worstWindow = Math.max(worstWindow, i - j + 1);
  }
  return { polls, worstWindow, budget: Math.floor(ORG_MAX * share), pace: saved };
}

test('a tiny share is polled slower than a large one and never passes its share in any 24 hours', async () => {
  const tiny = await simulate(0.0015);
  const large = await simulate(0.5);
  assert.ok(
    tiny.worstWindow <= tiny.budget,
    `${tiny.worstWindow} calls in 24 h against a share of ${tiny.budget}`,
  );
  assert.ok(large.worstWindow <= large.budget, `${large.worstWindow} calls in 24 h against ${large.budget}`);
  assert.equal(large.pace?.why, 'active');
  assert.equal(large.pace?.intervalMs, 5_000);
  assert.equal(tiny.pace?.why, 'budget');
  assert.ok(tiny.pace !== null && tiny.pace.intervalMs > 60_000);
  assert.ok(tiny.polls * 50 < large.polls, `${tiny.polls} polls against ${large.polls}`);
});

test('at the 5 s floor every tick polls, though each poll starts a few milliseconds into its tick', async () => {
  const clock = new FixedClock('2026-12-01T00:00:00.000Z');
  const audit = new OrderedAudit();
  await audit.record(entry('acme', clock.now(), 'doctor'));
  let stats: MonitorPollStats | null = null;
  const sut = new PollPacer({
    audit,
    stats: { get: () => Promise.resolve(stats) },
    activity: { liveConversations: () => Promise.resolve(1), waitingCases: () => Promise.resolve(0) },
    paces: { save: () => Promise.resolve(), get: () => Promise.resolve(null) },
    clock,
  });
  const tenant = { id: 'acme', settings: defaultTenantSettings() };
  let polls = 0;
  for (let tick = 0; tick < 12; tick += 1) {
    if ((await sut.check(tenant)).due) {
      polls += 1;
      // the poll starts 30 ms after the tick (the pacer's and the lease's store reads)
      const started = new Date(clock.now().getTime() + 30).toISOString();
      stats = {
        tenantId: 'acme',
        polledAt: started,
        lagMs: 0,
        watched: 1,
        notified: 0,
        calls: 1,
        skipped: {},
      };
    }
    clock.advance(5_000);
  }
  assert.equal(polls, 12);
});
