// Change Data Capture against polling, in one run on one emulator (its own process): an agent's status change to
// the webhook receiver, with the Case change stream (no poll running) and with polling at the 5 s floor (the
// fastest the service polls); an agent comment to the webhook while streaming (comments have no change event: the
// 5 s floor poll relays them); Salesforce calls a day for a tenant with 50 open conversations both ways, from the
// calls a poll and a change event were measured to make, at the pace the service's pacer decides.

import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

import { OutboxDispatcher } from '../packages/connector/src/jobs/outbox-dispatcher.js';
import { silentLogger } from '../packages/connector/src/logging/logger.js';
import { WebhookSender } from '../packages/connector/src/notify/webhook/send-webhook.js';
import { ticketNotificationHandler } from '../packages/connector/src/notify/webhook/ticket-notification-handler.js';
import { webhookUrlPolicy } from '../packages/connector/src/notify/webhook/url-policy.js';
import { caseStreamAvailability } from '../packages/connector/src/salesforce/cdc/case-stream-probe.js';
import { openTenantCaseStream } from '../packages/connector/src/salesforce/cdc/tenant-case-stream.js';
import { PollingCaseChangeSource } from '../packages/connector/src/salesforce/case-change-poller.js';
import { CaseStreamRunner } from '../packages/connector/src/services/tickets/case-stream-runner.js';
import { STREAM_SAFETY_NET_MS } from '../packages/connector/src/services/tickets/poll-pacer.js';
import { TICKET_NOTIFICATION_KIND } from '../packages/connector/src/services/tickets/ticket-monitor.js';
import { decidePollPace, POLL_FLOOR_MS } from '../packages/connector/src/domain/tickets/poll-pace.js';
import type { Store } from '../packages/connector/src/store/open-store.js';
import { ChildServer } from './lib/child-server.js';
import { control, openMonitorStack, realClock, type EmulatorInfo } from './lib/monitor-stack.js';
import type { BenchmarkModule, BenchOptions, BenchReport } from './lib/harness.js';

const TENANT = 'bench-cdc';
const GOAL_P99_MS = 2_000;
const DAY_MS = 86_400_000;
/** status and owner changes a day for 50 open conversations (four each): each is one change event */
const EVENTS_PER_DAY = 200;

const quantile = (sorted: number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface LatencyRun {
  label: string;
  sorted: number[];
  cpuMsPerSample: number;
  callsPerSample: number;
  streamRequestsPerSample: number;
}

export const caseStream: BenchmarkModule = {
  name: 'case-stream',
  description:
    'Change Data Capture against polling: agent status change and comment to webhook p50/p99, Salesforce calls a day for 50 open conversations',
  async run(options: BenchOptions): Promise<BenchReport> {
    const server = await ChildServer.start<EmulatorInfo>('emulator.ts', [], options.profileDir);
    let store: Store | undefined;
    try {
      const info = server.info;
      const org = `/orgs/${info.orgId}`;
      await control(
        info,
        `${org}/settings`,
        { dailyApiLimit: 100_000, changeDataCaptureEntities: ['Case'] },
        'PATCH',
      );
      const stack = await openMonitorStack(info, { tenantId: TENANT, clock: realClock });
      const open = stack.store;
      store = open;
      const { poll, client, tenant } = stack;

      const contact = await control<{ id: string }>(info, `${org}/actions/create-record`, {
        sobject: 'Contact',
        fields: { LastName: 'Bench', Email: 'bench.cdc@example.com' },
      });
      const cases: string[] = [];
      for (let i = 0; i < 10; i += 1)
        cases.push(
          (
            await control<{ id: string }>(info, `${org}/actions/create-case`, {
              fields: { Subject: `cdc bench ${i}`, Status: 'Working', Origin: 'Web', ContactId: contact.id },
            })
          ).id,
        );
      await poll(); // the look-back: every case seen once
      const pollCalls = (() => {
        const before = stack.attempts();
        return poll().then(() => stack.attempts() - before);
      })();
      const callsPerIdlePoll = await pollCalls;

      // the receiver: when each case's waiting-for-employee event and each comment arrived
      const arrived = new Map<string, number>();
      const receiver = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const body = JSON.parse(text) as { type?: string; comment?: { body: string } };
          const key =
            body.comment !== undefined
              ? body.comment.body
              : body.type === 'case.waiting_for_employee'
                ? cases.find((c) => text.includes(c))
                : undefined;
          if (key !== undefined && !arrived.has(key)) arrived.set(key, performance.now());
          res.writeHead(204).end();
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      const hookUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const dispatcher = new OutboxDispatcher({
        outbox: open.outbox,
        handlers: {
          [TICKET_NOTIFICATION_KIND]: ticketNotificationHandler({
            webhooks: { active: () => Promise.resolve({ url: hookUrl, secrets: ['whsec_bench'] }) },
            sender: new WebhookSender({
              policy: webhookUrlPolicy({ allowHttp: true, allowedCidrs: ['127.0.0.1/32'] }),
              nowSeconds: () => Date.now() / 1000,
            }),
          }),
        },
        log: silentLogger(),
        clock: realClock,
        idleMs: 50,
      });
      const stop = new AbortController();
      const dispatching = dispatcher.run(stop.signal);

      /** a poller ticking every `tickMs` while `fn` runs (the service's job at the floor) */
      const polling = async <T>(tickMs: number, fn: () => Promise<T>): Promise<T> => {
        let on = true;
        const loop = (async () => {
          while (on) {
            const started = performance.now();
            await poll();
            await sleep(Math.max(0, tickMs - (performance.now() - started)));
          }
        })();
        try {
          return await fn();
        } finally {
          on = false;
          await loop;
        }
      };

      /**
       * `samples` agent status changes (Working → Waiting on Employee, each on a case the monitor already saw as
       * Working), each timed from the change to the receiver; `settle` lets the source see the Working first.
       */
      const statusLatency = async (
        label: string,
        samples: number,
        settle: () => Promise<void>,
      ): Promise<LatencyRun> => {
        const latencies: number[] = [];
        const cpu = process.cpuUsage();
        const calls = stack.attempts();
        const streamRequests = client.usage(TENANT).streamRequests;
        for (let i = 0; i < samples; i += 1) {
          const caseId = cases[i % cases.length] ?? '';
          await control(info, `${org}/actions/set-case-status`, { caseId, status: 'Working' });
          await settle();
          arrived.delete(caseId);
          const sent = performance.now();
          await control(info, `${org}/actions/set-case-status`, { caseId, status: 'Waiting on Employee' });
          const deadline = sent + 30_000;
          while (!arrived.has(caseId) && performance.now() < deadline) await sleep(5);
          latencies.push((arrived.get(caseId) ?? deadline) - sent);
          await sleep(Math.random() * 500);
        }
        const used = process.cpuUsage(cpu);
        return {
          label,
          sorted: latencies.sort((a, b) => a - b),
          cpuMsPerSample: (used.user + used.system) / 1000 / samples,
          callsPerSample: (stack.attempts() - calls) / samples,
          streamRequestsPerSample: (client.usage(TENANT).streamRequests - streamRequests) / samples,
        };
      };

      const samples = Math.max(10, Math.round(options.durationMs / 250));
      const runs: LatencyRun[] = [];
      let callsPerEvent = 0;
      try {
        // polling at the 5 s floor (a case waiting on its employee keeps the tenant there)
        runs.push(
          await polling(POLL_FLOOR_MS, () =>
            statusLatency('polling at the 5 s floor', samples, () => sleep(POLL_FLOOR_MS + 500)),
          ),
        );
        // the stream, no poll running: every change reaches the monitor through a change event
        const runner = new CaseStreamRunner({
          tenants: () => open.tenants.list(),
          leases: open.caseStreamLeases,
          pollLeases: open.pollLeases,
          cursors: open.cursors,
          monitor: stack.monitorDeps,
          sourceFor: (t) => ({
            source: new PollingCaseChangeSource(client, t),
            callCount: () => client.usage(t.id).attempts,
          }),
          availability: async (t) => {
            const result = await caseStreamAvailability(client, t);
            return result.usable
              ? { usable: true, reason: 'subscribed' }
              : { usable: false, reason: result.error };
          },
          open: (t, events) =>
            openTenantCaseStream(stack.sessions, t, {
              replayFrom: events.replayFrom,
              onChange: (change) => events.onChange(change),
              onGap: () => events.onGap(),
              onSubscribed: () => events.onSubscribed(),
              onRequest: () => client.countStreamRequest(t.id),
            }),
          ids: { next: () => `bench-${Math.random().toString(36).slice(2)}` },
          clock: realClock,
          log: silentLogger(),
        });
        runner.start();
        try {
          const deadline = performance.now() + 20_000;
          while (!runner.streaming().includes(TENANT)) {
            if (performance.now() > deadline) throw new Error('the Case change stream did not subscribe');
            await sleep(20);
          }
          const streamed = await statusLatency('Change Data Capture stream, no poll', samples, () =>
            sleep(600),
          );
          runs.push(streamed);
          // two change events per sample (Working, then Waiting on Employee), one read by id each
          callsPerEvent = streamed.callsPerSample / 2;

          // comments have no change event: the floor poll relays them while the stream carries Case changes
          const comments: number[] = [];
          await polling(POLL_FLOOR_MS, async () => {
            for (let i = 0; i < Math.max(8, Math.round(samples / 2)); i += 1) {
              const text = `cdc bench comment ${i}`;
              const sent = performance.now();
              await control(info, `${org}/actions/comment-case`, {
                caseId: cases[i % cases.length],
                body: text,
                isPublic: true,
              });
              const deadline = sent + 30_000;
              while (!arrived.has(text) && performance.now() < deadline) await sleep(5);
              comments.push((arrived.get(text) ?? deadline) - sent);
              await sleep(Math.random() * POLL_FLOOR_MS);
            }
          });
          runs.push({
            label: 'agent comment while streaming (polled at the 5 s floor)',
            sorted: comments.sort((a, b) => a - b),
            cpuMsPerSample: Number.NaN,
            callsPerSample: Number.NaN,
            streamRequestsPerSample: Number.NaN,
          });
        } finally {
          await runner.stop();
        }
      } finally {
        stop.abort();
        await dispatching;
        await new Promise<void>((resolve) => receiver.close(() => resolve()));
      }

      // Calls a day at the pacer's pace: 50 open conversations, idle (none live, none waiting on its employee) or
      // active (one waiting: the 5 s floor, which the stream keeps, since comments are only polled).
      const pace = (streaming: boolean, active: boolean) =>
        decidePollPace(
          {
            dailyMax: 100_000,
            share: tenant.settings.apiBudgetShare,
            callsLast24h: 0,
            callsPerPoll: Math.max(1, callsPerIdlePoll),
            liveConversations: 0,
            waitingCases: active ? 1 : 0,
          },
          {
            idleMs: Math.max(
              streaming ? STREAM_SAFETY_NET_MS : 0,
              (tenant.settings.monitor.intervalSeconds ?? 60) * 1000,
            ),
            activeMs: POLL_FLOOR_MS,
            reserveShare: 0.25,
          },
        );
      const perDay = (streaming: boolean, active: boolean): { polls: number; events: number } => {
        const p = pace(streaming, active);
        return {
          polls: Math.round((DAY_MS / p.intervalMs) * Math.max(1, callsPerIdlePoll)),
          events: streaming ? Math.round(EVENTS_PER_DAY * callsPerEvent) : 0,
        };
      };
      const dayRows = [false, true].flatMap((active) => {
        const polled = perDay(false, active);
        const streamed = perDay(true, active);
        const total = (d: { polls: number; events: number }): number => d.polls + d.events;
        return [
          [
            `50 open, ${active ? 'one waiting on its employee (5 s floor)' : 'idle'}: polling only`,
            String(polled.polls),
            '0',
            String(total(polled)),
            '1.00',
          ],
          [
            `50 open, ${active ? 'one waiting on its employee (5 s floor)' : 'idle'}: streaming`,
            String(streamed.polls),
            String(streamed.events),
            String(total(streamed)),
            (total(streamed) / Math.max(1, total(polled))).toFixed(2),
          ],
        ];
      });
      const polled = runs[0];
      const streamed = runs[1];
      const ratio = (q: number): string =>
        polled === undefined || streamed === undefined
          ? '?'
          : (quantile(streamed.sorted, q) / Math.max(1, quantile(polled.sorted, q))).toFixed(2);
      return {
        title:
          'Case changes by Change Data Capture against polling (emulator in its own process, PGlite in memory)',
        rows: [],
        tables: [
          {
            columns: [
              'agent change → webhook delivery',
              'samples',
              'p50 ms',
              'p99 ms',
              'goal p99 ms',
              'REST calls/sample',
              'stream requests/sample',
              'worker CPU ms/sample',
            ],
            rows: runs.map((r) => [
              r.label,
              String(r.sorted.length),
              quantile(r.sorted, 0.5).toFixed(0),
              quantile(r.sorted, 0.99).toFixed(0),
              r === streamed ? String(GOAL_P99_MS) : '',
              Number.isNaN(r.callsPerSample) ? '' : r.callsPerSample.toFixed(2),
              Number.isNaN(r.streamRequestsPerSample) ? '' : r.streamRequestsPerSample.toFixed(2),
              Number.isNaN(r.cpuMsPerSample) ? '' : r.cpuMsPerSample.toFixed(1),
            ]),
          },
          {
            columns: ['status change, stream vs polling', 'p50 ratio', 'p99 ratio'],
            rows: [['stream ÷ polling at the 5 s floor (same run)', ratio(0.5), ratio(0.99)]],
          },
          {
            columns: [
              'Salesforce REST calls a day',
              'poll calls',
              'change event reads',
              'total',
              'ratio vs polling',
            ],
            rows: dayRows,
          },
        ],
        notes: [
          `calls a day: polls at the pacer's interval × ${callsPerIdlePoll} call(s) measured per idle poll, plus ${EVENTS_PER_DAY} change events (four status or owner changes per conversation) × ${callsPerEvent.toFixed(2)} read(s) measured per event; the 15-minute safety net replaces the 60 s idle interval while streaming`,
          'streaming does not lower the 5 s floor: a case waiting on its employee keeps its comments polled, since CaseComment has no change event',
          'stream requests (handshake, subscribe, long-poll connects) are counted apart: they are not REST calls and the daily REST allocation does not include them (the emulator charges none)',
          'each status sample first sets Working and lets the source see it, so the timed change is a transition the employee is told of',
          'worker CPU ms/sample: the whole worker process (monitor, PGlite, dispatcher) over a sample, including the floor polls that run while polling waits for the next tick; the stream row has no poll running',
        ],
      };
    } finally {
      await store?.close();
      await server.stop();
    }
  },
};
