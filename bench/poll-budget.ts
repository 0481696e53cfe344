// Budget-driven polling: the Salesforce calls a day spent by a tenant with 50 open conversations (every case
// waiting on its employee, each with a reply in the last minutes), polled at the pace of domain/tickets/poll-pace.ts
// for several API shares, against the share. One simulated hour of 5 s ticks per share (the pacer's and monitor's
// clock simulated, the emulator real, in its own process, agents commenting on 5 cases a simulated minute); every
// poll is a real poll whose calls the client counts; a day is 24 such hours. The bot's reserve is shown beside it.
//
// Then the pacer's own cost per tick, the uncached path (every tick reads every input: inputsTtlMs 0) against the
// cached one in the same run: worker CPU per tick (process.cpuUsage, PGlite in the worker) and store reads per
// tick, for an idle tenant (a poll every 60 s, 11 ticks in 12 not due) and one at the 5 s floor (every tick polls).

import { PollPacer, type PollPacerDeps } from '../packages/connector/src/services/tickets/poll-pacer.js';
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

interface TickCost {
  label: string;
  path: 'uncached' | 'cached';
  ticks: number;
  polls: number;
  cpuMsPerTick: number;
  readsPerTick: number;
}

/** Counts every call made through the object's methods (the store reads the pacer makes). */
function counted<T extends object>(target: T, count: { reads: number }): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (prop !== 'save') count.reads += 1;
        return (value as (...a: unknown[]) => unknown).apply(obj, args);
      };
    },
  });
}

/** One simulated hour of 5 s ticks of one tenant; the pacer's check alone is timed (the polls are not). */
async function tickCost(
  info: EmulatorInfo,
  tenantId: string,
  label: string,
  path: TickCost['path'],
  waiting: boolean,
): Promise<TickCost> {
  const clock = new SimClock();
  const stack = await openMonitorStack(info, { tenantId, clock });
  try {
    const open = stack.store;
    const count = { reads: 0 };
    const deps: PollPacerDeps = {
      audit: counted(open.audit, count),
      stats: counted(open.monitorStats, count),
      activity: counted(open.pollActivity, count),
      paces: counted(open.pollPaces, count),
      bots: counted(open.botActivity, count),
      clock,
      ...(path === 'uncached' ? { inputsTtlMs: 0 } : {}),
    };
    const pacer = new PollPacer(deps);
    if (waiting) {
      const contact = await control<{ id: string }>(info, `/orgs/${info.orgId}/actions/create-record`, {
        sobject: 'Contact',
        fields: { LastName: 'Tick', Email: `${tenantId}@example.com` },
      });
      await control(info, `/orgs/${info.orgId}/actions/create-case`, {
        fields: { Subject: 'tick', Status: 'Waiting on Employee', Origin: 'Web', ContactId: contact.id },
      });
    }
    await stack.poll();
    await open.audit.summary(tenantId, new Date(0)); // let the audit flush
    // warm up: the first ticks compile the queries
    for (let i = 0; i < 24; i += 1) {
      if ((await pacer.check(stack.tenant)).due) await stack.poll();
      clock.advance(5_000);
    }
    let cpuUs = 0;
    let polls = 0;
    count.reads = 0;
    const ticks = HOUR / 5_000;
    for (let i = 0; i < ticks; i += 1) {
      const start = process.cpuUsage();
      const { due } = await pacer.check(stack.tenant);
      const used = process.cpuUsage(start);
      cpuUs += used.user + used.system;
      if (due) {
        const reads = count.reads;
        const at = clock.now();
        await stack.poll();
        pacer.polled(tenantId, at); // as the monitor job tells it
        count.reads = reads; // the poll's own reads are the monitor's, not the pacer's
        polls += 1;
      }
      clock.advance(5_000);
    }
    return {
      label,
      path,
      ticks,
      polls,
      cpuMsPerTick: cpuUs / 1000 / ticks,
      readsPerTick: count.reads / ticks,
    };
  } finally {
    await stack.store.close();
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
      // first, while the org holds no case (the shares' 50 waiting cases would make every tenant of it active)
      const costs: TickCost[] = [];
      for (const [i, [label, waiting]] of (
        [
          ['idle tenant (a poll every 60 s)', false],
          ['case waiting on its employee (5 s floor)', true],
        ] as const
      ).entries())
        for (const path of ['uncached', 'cached'] as const)
          costs.push(await tickCost(server.info, `tick-${i}-${path}`, label, path, waiting));
      const results: ShareResult[] = [];
      for (const [i, share] of [0.002, 0.02, 0.5].entries())
        results.push(await runShare(server.info, share, `pace-${i}`));
      const ratio = (c: TickCost): string => {
        const old = costs.find((o) => o.label === c.label && o.path === 'uncached');
        return old === undefined || c.cpuMsPerTick === 0
          ? '?'
          : `${(old.cpuMsPerTick / c.cpuMsPerTick).toFixed(1)}×`;
      };
      const idleCached = costs.find((c) => c.path === 'cached' && c.label.startsWith('idle'));
      const idleOld = costs.find((c) => c.path === 'uncached' && c.label.startsWith('idle'));
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
          {
            columns: [
              "the pacer's check per tick",
              'path',
              'ticks',
              'polls',
              'worker CPU ms/tick',
              'store reads/tick',
              'CPU vs uncached',
              '1,000 tenants, 5 s ticks: cores',
            ],
            rows: costs.map((c) => [
              c.label,
              c.path,
              String(c.ticks),
              String(c.polls),
              c.cpuMsPerTick.toFixed(3),
              c.readsPerTick.toFixed(2),
              c.path === 'uncached' ? '1.0×' : ratio(c),
              ((c.cpuMsPerTick * 1_000) / 5_000).toFixed(3),
            ]),
          },
        ],
        notes: [
          `idle tenant: ${idleOld?.readsPerTick.toFixed(2) ?? '?'} → ${idleCached?.readsPerTick.toFixed(2) ?? '?'} store reads a tick; the cached path reads every input again when a poll looks due, when the settings or this process's activity changed, or after 30 s (PACE_INPUTS_TTL_MS); the monitor job's read of the tenant (its settings) each tick is not counted here`,
          'CPU per tick: the check alone (the polls are timed by the ticket-monitor bench); PGlite runs in the worker, so its share of each read is counted here (with PostgreSQL it is in the database server)',
          'calls/day: the polls of one simulated hour × 24 (each poll a real call against the emulator, agent comments included); the rest of the share is the reserve (monitor.reserveShare, default 25%) for the bot and knowledge sync',
        ],
      };
    } finally {
      await server.stop();
    }
  },
};
