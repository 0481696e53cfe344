// Ticket monitoring's cost per tenant per poll against the emulator in its own process: Salesforce calls per poll
// when nothing changed and when agents commented meanwhile, against the minimum (one composite request carrying
// both keyset queries), with the worker's CPU per poll from process.cpuUsage() and the poll's wall time.

import { performance } from 'node:perf_hooks';

import { silentLogger } from '../packages/connector/src/logging/logger.js';
import type { Store } from '../packages/connector/src/store/open-store.js';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { OutboxDispatcher } from '../packages/connector/src/jobs/outbox-dispatcher.js';
import { WebhookSender } from '../packages/connector/src/notify/webhook/send-webhook.js';
import { ticketNotificationHandler } from '../packages/connector/src/notify/webhook/ticket-notification-handler.js';
import { webhookUrlPolicy } from '../packages/connector/src/notify/webhook/url-policy.js';
import { TICKET_NOTIFICATION_KIND } from '../packages/connector/src/services/tickets/ticket-monitor.js';
import { PollPacer } from '../packages/connector/src/services/tickets/poll-pacer.js';
import { POLL_FLOOR_MS } from '../packages/connector/src/domain/tickets/poll-pace.js';
import { JobRunner } from '../packages/connector/src/jobs/job-runner.js';
import { jobBackendOptions } from '../packages/connector/src/store/job-backend.js';
import { ChildServer } from './lib/child-server.js';
import { control, openMonitorStack, realClock, type EmulatorInfo } from './lib/monitor-stack.js';
import type { BenchmarkModule, BenchOptions, BenchReport } from './lib/harness.js';

const TENANT = 'bench-tenant';

interface Scenario {
  name: string;
  polls: number;
  callsPerPoll: number;
  minimum: number;
  cpuMsPerPoll: number;
  p50Ms: number;
  p99Ms: number;
}

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

export const ticketMonitorPolls: BenchmarkModule = {
  name: 'ticket-monitor',
  description:
    'Salesforce calls, worker CPU and wall time per ticket poll of one tenant, idle and under load',
  async run(options: BenchOptions): Promise<BenchReport> {
    const server = await ChildServer.start<EmulatorInfo>('emulator.ts', [], options.profileDir);
    let store: Store | undefined;
    try {
      const info = server.info;
      // an Enterprise-sized org (100,000 calls a day): the default share then allows polling at the 5 s floor
      await control(info, `/orgs/${info.orgId}/settings`, { dailyApiLimit: 100_000 }, 'PATCH');
      // The monitor's clock runs ahead by `ahead` ms for the quiet-tenant scenario: as if the last change were
      // older than the overlap window (the emulator's clock cannot move back, and a bench should not wait minutes).
      let ahead = 0;
      const clock = { now: () => new Date(realClock.now().getTime() + ahead) };
      const stack = await openMonitorStack(info, { tenantId: TENANT, clock });
      const { poll, attempts, source } = stack;
      const open = stack.store;
      store = open;

      const contact = await control<{ id: string }>(info, `/orgs/${info.orgId}/actions/create-record`, {
        sobject: 'Contact',
        fields: { LastName: 'Bench', Email: 'bench@example.com' },
      });
      const cases: string[] = [];
      for (let i = 0; i < 10; i += 1)
        cases.push(
          (
            await control<{ id: string }>(info, `/orgs/${info.orgId}/actions/create-case`, {
              fields: { Subject: `bench ${i}`, Status: 'New', Origin: 'Web', ContactId: contact.id },
            })
          ).id,
        );
      await poll(); // the look-back: every case seen once
      await poll();

      const measure = async (
        name: string,
        polls: number,
        minimum: number,
        before: (i: number) => Promise<void>,
      ): Promise<Scenario> => {
        const walls: number[] = [];
        let cpu = 0;
        let calls = 0;
        for (let i = 0; i < polls; i += 1) {
          await before(i);
          const startCalls = attempts();
          const startCpu = process.cpuUsage();
          const started = performance.now();
          await poll();
          walls.push(performance.now() - started);
          const used = process.cpuUsage(startCpu);
          cpu += (used.user + used.system) / 1000;
          calls += attempts() - startCalls;
        }
        walls.sort((a, b) => a - b);
        return {
          name,
          polls,
          callsPerPoll: calls / polls,
          minimum,
          cpuMsPerPoll: cpu / polls,
          p50Ms: quantile(walls, 0.5),
          p99Ms: quantile(walls, 0.99),
        };
      };
      const polls = Math.max(10, Math.round(options.durationMs / 100));
      const scenarios = [
        await measure('idle, last change within the overlap (10 cases re-read)', polls, 1, () =>
          Promise.resolve(),
        ),
        await measure('5 agent comments between polls', Math.max(5, Math.round(polls / 4)), 1, async (i) => {
          for (let c = 0; c < 5; c += 1)
            await control(info, `/orgs/${info.orgId}/actions/comment-case`, {
              caseId: cases[(i + c) % cases.length],
              body: `bench comment ${i}.${c}`,
              isPublic: true,
            });
        }),
      ];
      ahead = 3 * 60_000;
      await poll();
      scenarios.push(
        await measure('idle, last change older than the overlap', polls, 1, () => Promise.resolve()),
      );
      ahead = 0;

      // Where an idle poll's CPU goes: the Salesforce read alone (one composite through the client), for comparison
      // with the whole poll (cursors, stats row, the read).
      const readCpu = await (async () => {
        const at = { modstamp: new Date().toISOString(), id: '' };
        const startCpu = process.cpuUsage();
        for (let i = 0; i < polls; i += 1)
          for await (const round of source.changesSince({ cases: at, comments: at })) void round;
        const used = process.cpuUsage(startCpu);
        return (used.user + used.system) / 1000 / polls;
      })();

      // Agent comment → webhook delivery: the monitor polls every POLL_INTERVAL_MS (as the job does), the outbox
      // dispatcher delivers to a receiver on 127.0.0.1; each sample is the time from the comment's creation to its
      // arrival at the receiver.
      const POLL_INTERVAL_MS = 1_000;
      const arrived = new Map<string, number>();
      const receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { comment?: { body: string } };
          if (body.comment !== undefined && !arrived.has(body.comment.body))
            arrived.set(body.comment.body, performance.now());
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const sender = new WebhookSender({
        policy: webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['127.0.0.1/32'] }),
        nowSeconds: () => Date.now() / 1000,
      });
      const dispatcher = new OutboxDispatcher({
        outbox: open.outbox,
        handlers: {
          [TICKET_NOTIFICATION_KIND]: ticketNotificationHandler({
            webhooks: { active: () => Promise.resolve({ url: hookUrl, secrets: ['whsec_bench'] }) },
            sender,
          }),
        },
        log: silentLogger(),
        clock: realClock,
        idleMs: 50,
      });
      const stop = new AbortController();
      let floorPace = '?';
      const dispatching = dispatcher.run(stop.signal);
      /**
       * Comments at random phases of the poll cycle, each timed from its creation to its arrival. `tick`: one tick of
       * the poller every `tickMs` (a poll, or the pacer's check and a poll when due, as the service's job does).
       */
      const latencyOf = async (
        label: string,
        tickMs: number,
        samples: number,
        tick: () => Promise<boolean>,
        /** what calls `tick`: by default a loop every `tickMs`; returns its stop */
        drive?: (counted: () => Promise<void>) => Promise<() => Promise<void>>,
      ): Promise<{
        label: string;
        tickMs: number;
        sorted: number[];
        polls: number;
        ticks: number;
        gaps: number[];
      }> => {
        let polling = true;
        let polls = 0;
        let ticks = 0;
        const pollTimes: number[] = [];
        const counted = async (): Promise<void> => {
          ticks += 1;
          const at = performance.now();
          if (await tick()) {
            polls += 1;
            pollTimes.push(at);
          }
        };
        const stopDrive =
          drive === undefined
            ? (() => {
                const poller = (async () => {
                  while (polling) {
                    const started = performance.now();
                    await counted();
                    await new Promise((r) =>
                      setTimeout(r, Math.max(0, tickMs - (performance.now() - started))),
                    );
                  }
                })();
                return () => poller;
              })()
            : await drive(counted);
        const latencies: number[] = [];
        try {
          // samples from the first poll of this driver on (the previous run's last poll may make its first tick not due)
          while (polls === 0) await new Promise((r) => setTimeout(r, 20));
          for (let i = 0; i < samples; i += 1) {
            const text = `${label} ${i}`;
            const sent = performance.now();
            await control(info, `/orgs/${info.orgId}/actions/comment-case`, {
              caseId: cases[i % cases.length],
              body: text,
              isPublic: true,
            });
            while (!arrived.has(text)) await new Promise((r) => setTimeout(r, 5));
            latencies.push((arrived.get(text) ?? sent) - sent);
            // the next comment at a random phase of the poll cycle
            await new Promise((r) => setTimeout(r, Math.random() * tickMs));
          }
        } finally {
          polling = false;
          await stopDrive();
        }
        const gaps = pollTimes
          .slice(1)
          .map((t, i) => t - (pollTimes[i] ?? t))
          .sort((a, b) => a - b);
        return { label, tickMs, sorted: latencies.sort((a, b) => a - b), polls, ticks, gaps };
      };
      const runs: Awaited<ReturnType<typeof latencyOf>>[] = [];
      try {
        runs.push(
          await latencyOf(
            'every 1 s',
            POLL_INTERVAL_MS,
            Math.max(20, Math.round(options.durationMs / 100)),
            () => poll().then(() => true),
          ),
        );
        // An active conversation at the 5 s floor: the case waits on its employee, the pacer decides each 5 s tick
        // (the service's job ticks at the floor and polls when the pace says a poll is due).
        await control(info, `/orgs/${info.orgId}/actions/set-case-status`, {
          caseId: cases[0],
          status: 'Waiting on Employee',
        });
        await poll();
        const pacer = new PollPacer({
          audit: open.audit,
          stats: open.monitorStats,
          activity: open.pollActivity,
          paces: open.pollPaces,
          clock,
          bots: open.botActivity,
        });
        runs.push(
          await latencyOf(
            'at the 5 s floor',
            POLL_FLOOR_MS,
            Math.max(12, Math.round(options.durationMs / 250)),
            async () => {
              if (!(await pacer.check(stack.tenant)).due) return false;
              await poll();
              return true;
            },
          ),
        );
        floorPace = (await open.pollPaces.get(TENANT))?.why ?? '?';
        // The same ticks as the service runs them: a recurring job of the job runner (pg-boss on the bench's
        // PGlite), whose workers look for due jobs every 2 s, without and with the wake-up when a successor is due.
        for (const wake of [false, true]) {
          const jobPacer = new PollPacer({
            audit: open.audit,
            stats: open.monitorStats,
            activity: open.pollActivity,
            paces: open.pollPaces,
            clock,
            bots: open.botActivity,
          });
          runs.push(
            await latencyOf(
              `at the 5 s floor through the job runner, ${wake ? 'woken when due' : 'pg-boss polling alone'}`,
              POLL_FLOOR_MS,
              Math.max(12, Math.round(options.durationMs / 250)),
              async () => {
                if (!(await jobPacer.check(stack.tenant)).due) return false;
                await poll();
                return true;
              },
              async (counted) => {
                const runner = new JobRunner({
                  boss: jobBackendOptions(open.db, `bench_boss_${wake ? 'woken' : 'polled'}`),
                  budget: { check: () => Promise.resolve({ allow: true, slowdownFactor: 1, reason: null }) },
                  clock: realClock,
                  log: silentLogger(),
                  wakeWhenDue: wake,
                });
                runner.register({ name: 'ticket-monitor', run: counted });
                await runner.start();
                await runner.scheduleTenant('ticket-monitor', TENANT, POLL_FLOOR_MS);
                return () => runner.stop();
              },
            ),
          );
        }
      } finally {
        stop.abort();
        await dispatching;
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }
      const idle = scenarios[2];
      const cpuPerIdlePoll = idle?.cpuMsPerPoll ?? 0;
      const memory = process.memoryUsage();
      return {
        title: 'ticket monitoring per tenant per poll (emulator in its own process, PGlite in memory)',
        rows: [],
        tables: [
          {
            columns: ['scenario', 'polls', 'calls/poll', 'minimum', 'worker CPU ms/poll', 'p50 ms', 'p99 ms'],
            rows: scenarios.map((s) => [
              s.name,
              String(s.polls),
              s.callsPerPoll.toFixed(2),
              String(s.minimum),
              s.cpuMsPerPoll.toFixed(2),
              s.p50Ms.toFixed(1),
              s.p99Ms.toFixed(1),
            ]),
          },
          {
            columns: ['idle poll CPU split', 'worker CPU ms/poll'],
            rows: [['the Salesforce read alone (composite through the client)', readCpu.toFixed(2)]],
          },
          {
            columns: [
              'agent comment → webhook delivery',
              'samples',
              'tick ms',
              'polls/tick',
              'p50 ms',
              'p99 ms',
              'goal p99 ms',
              'poll gap p50 ms',
              'poll gap max ms',
            ],
            rows: runs.map((r) => [
              `comment created → receiver got it, ${r.label}`,
              String(r.sorted.length),
              String(r.tickMs),
              r.ticks === 0 ? '?' : (r.polls / r.ticks).toFixed(2),
              quantile(r.sorted, 0.5).toFixed(0),
              quantile(r.sorted, 0.99).toFixed(0),
              // issue 13: within the poll interval plus one second; issue 14: under 6 s at the 5 s floor
              String(r.tickMs === POLL_FLOOR_MS ? 6_000 : r.tickMs + 1_000),
              quantile(r.gaps, 0.5).toFixed(0),
              (r.gaps.at(-1) ?? 0).toFixed(0),
            ]),
          },
          {
            columns: [
              '1,000 tenants polled every 30 s',
              'worker CPU ms/idle poll',
              'cores',
              'goal cores',
              'rss MB',
              'heap MB',
            ],
            rows: [
              [
                'projected from the idle poll (last change older than the overlap)',
                cpuPerIdlePoll.toFixed(2),
                ((cpuPerIdlePoll * 1_000) / 30_000).toFixed(3),
                '0.250',
                (memory.rss / 1e6).toFixed(0),
                (memory.heapUsed / 1e6).toFixed(0),
              ],
            ],
          },
        ],
        notes: [
          'cores: 1,000 idle polls of the measured CPU each per 30 s; the worker CPU includes PGlite, which runs in the worker process (with PostgreSQL that share is in the database server)',
          `at the 5 s floor: the pace was '${floorPace}' (a case waiting on its employee); 'through the job runner': the ticks are the job runner's recurring runs (pg-boss on PGlite, workers polling every 2 s), as in the service, without and with the wake-up timer of jobs/job-runner.ts`,
          'poll gap: between the starts of consecutive polls; a comment waits at most the largest gap plus one poll and its delivery, so the max gap bounds p99 better than 12-30 samples do',
          'minimum: one composite request carrying both keyset queries (Cases through queryAll, CaseComments); comments on cases already watched need no other call',
        ],
      };
    } finally {
      await store?.close();
      await server.stop();
    }
  },
};
