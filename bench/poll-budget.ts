// Budget-driven polling: the Salesforce calls a day spent by a tenant with 50 open conversations (every case
// waiting on its employee, each with a reply in the last minutes), polled at the pace of domain/tickets/poll-pace.ts
// for several API shares, against the share. One simulated hour of 5 s ticks per share (the pacer's and monitor's
// clock simulated, the emulator real, in its own process, agents commenting on 5 cases a simulated minute); every
// poll is a real poll whose calls the client counts; a day is 24 such hours. The bot's reserve is shown beside it.

import { PollPacer } from '../packages/connector/src/services/tickets/poll-pacer.js';
import type { Store } from '../packages/connector/src/store/open-store.js';
import type { Clock } from '../packages/connector/src/domain/ports.js';
import { ChildServer } from './lib/child-server.js';
import { control, openMonitorStack, type EmulatorInfo } from './lib/monitor-stack.js';
import type { BenchmarkModule, BenchOptions, BenchReport } from './lib/harness.js';

const CONVERSATIONS = 50;
const HOUR = 3_600_000;

class SimClock implements Clock {
  private at = Date.now();
  now(): Date {
    return new Date(this.at);
  }
  advance(ms: number): void {
    this.at += ms;
  }
}

interface ShareResult {
  share: number;
  dailyMax: number;
  budget: number;
  allowance: number | null;
  intervalS: number;
  why: string;
  pollsPerHour: number;
  callsPerHour: number;
}

async function runShare(info: EmulatorInfo, share: number, tenantId: string): Promise<ShareResult> {
  const clock = new SimClock();
  let store: Store | undefined;
  try {
    const stack = await openMonitorStack(info, { tenantId, clock, settings: { apiBudgetShare: share } });
    const { tenant, poll, attempts } = stack;
    const open = stack.store;
    store = open;
    const pacer = new PollPacer({
      audit: open.audit,
      stats: open.monitorStats,
      activity: open.pollActivity,
      paces: open.pollPaces,
      clock,
    });

    const contact = await control<{ id: string }>(info, `/orgs/${info.orgId}/actions/create-record`, {
      sobject: 'Contact',
      fields: { LastName: 'Bench', Email: `${tenantId}@example.com` },
    });
    const cases: string[] = [];
    for (let i = 0; i < CONVERSATIONS; i += 1)
      cases.push(
        (
          await control<{ id: string }>(info, `/orgs/${info.orgId}/actions/create-case`, {
            fields: {
              Subject: `pace ${i}`,
              Status: 'Waiting on Employee',
              Origin: 'Web',
              ContactId: contact.id,
            },
          })
        ).id,
      );
    await poll();
    await open.audit.summary(tenantId, new Date(0)); // the audit is written in batches: let it flush
    const setupCalls = attempts();
    let polls = 0;
    for (let t = 0; t < HOUR; t += 5_000) {
      if (t % 60_000 === 0) {
        // the employees keep talking (the replies ledger) and agents answer on 5 cases a minute
        for (let c = 0; c < 5; c += 1) {
          const caseId = cases[(t / 60_000 + c) % cases.length] ?? '';
          await open.replyIntents.begin({
            tenantId,
            idempotencyKey: `bench-${t}-${c}`,
            caseId,
            author: { id: contact.id, name: 'Bench', email: null },
            reference: 'BENCH1',
            partCount: 1,
            fingerprint: 'f',
          });
          await control(info, `/orgs/${info.orgId}/actions/comment-case`, {
            caseId,
            body: `agent answer ${t}.${c}`,
            isPublic: true,
          });
        }
      }
      if ((await pacer.check(tenant)).due) {
        await poll();
        polls += 1;
      }
      clock.advance(5_000);
    }
    const pace = await open.pollPaces.get(tenantId);
    const usage = await open.audit.summary(tenantId, new Date(0));
    const dailyMax = usage.lastApiMax ?? 0;
    return {
      share,
      dailyMax,
      budget: Math.floor(dailyMax * share),
      allowance: pace?.allowancePerDay ?? null,
      intervalS: (pace?.intervalMs ?? 0) / 1000,
      why: pace?.why ?? '?',
      pollsPerHour: polls,
      callsPerHour: attempts() - setupCalls,
    };
  } finally {
    await store?.close();
  }
}

export const pollBudget: BenchmarkModule = {
  name: 'poll-budget',
  description:
    'calls a day of a tenant with 50 open conversations polled at its budget-driven pace, per API share',
  async run(_options: BenchOptions): Promise<BenchReport> {
    const server = await ChildServer.start<EmulatorInfo>('emulator.ts', []);
    try {
      // an Enterprise-sized org: 100,000 calls a day
      await control(server.info, `/orgs/${server.info.orgId}/settings`, { dailyApiLimit: 100_000 }, 'PATCH');
      const results: ShareResult[] = [];
      for (const [i, share] of [0.002, 0.02, 0.5].entries())
        results.push(await runShare(server.info, share, `pace-${i}`));
      return {
        title: `budget-driven polling, ${CONVERSATIONS} open conversations (one simulated hour per share, ×24)`,
        rows: [],
        tables: [
          {
            columns: [
              'share',
              'share calls/day',
              'polling allowance/day',
              'interval s',
              'why',
              'polls/h',
              'calls/h',
              'calls/day',
              'of share',
            ],
            rows: results.map((r) => [
              String(r.share),
              String(r.budget),
              String(r.allowance ?? '?'),
              r.intervalS.toFixed(1),
              r.why,
              String(r.pollsPerHour),
              String(r.callsPerHour),
              String(r.callsPerHour * 24),
              r.budget === 0 ? '?' : `${Math.round((r.callsPerHour * 24 * 100) / r.budget)}%`,
            ]),
          },
        ],
        notes: [
          'calls/day: the polls of one simulated hour × 24 (each poll a real call against the emulator, agent comments included); the rest of the share is the reserve (monitor.reserveShare, default 25%) for the bot and knowledge sync',
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
