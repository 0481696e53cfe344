// Ticket monitoring's cost per tenant per poll against the emulator in its own process: Salesforce calls per poll
// when nothing changed and when agents commented meanwhile, against the minimum (one composite request carrying
// both keyset queries), with the worker's CPU per poll from process.cpuUsage() and the poll's wall time.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

import type { Clock } from '../packages/connector/src/domain/ports.js';
import { defaultTenantSettings, type TenantSettings } from '../packages/connector/src/domain/tenant.js';
import { silentLogger } from '../packages/connector/src/logging/logger.js';
import { rsaKeySigner } from '../packages/connector/src/salesforce/auth/jwt-assertion.js';
import { SessionManager } from '../packages/connector/src/salesforce/auth/session-manager.js';
import { fetchFormPost, TokenClient } from '../packages/connector/src/salesforce/auth/token-client.js';
import { PollingCaseChangeSource } from '../packages/connector/src/salesforce/case-change-poller.js';
import { SalesforceClient } from '../packages/connector/src/salesforce/salesforce-client.js';
import { TicketMonitor } from '../packages/connector/src/services/tickets/ticket-monitor.js';
import { openStore, type Store } from '../packages/connector/src/store/open-store.js';
import { FakeSecretBox } from '../packages/connector/test/fakes/fake-crypto.js';
import { ChildServer } from './lib/child-server.js';
import type { BenchmarkModule, BenchOptions, BenchReport } from './lib/harness.js';
import type { EmulatorLogin } from './lib/jwt.js';

type EmulatorInfo = EmulatorLogin & { controlUrl: string; controlToken: string; orgId: string } & Record<
    string,
    unknown
  >;

const realClock: Clock = { now: () => new Date() };
const TENANT = 'bench-tenant';

async function control<T>(info: EmulatorInfo, path: string, body: unknown): Promise<T> {
  const res = await fetch(`${info.controlUrl}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${info.controlToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
  return (await res.json()) as T;
}

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
      store = await openStore(
        { dataDir: '/nonexistent-bench-dir', store: { kind: 'pglite' } },
        { inMemory: true, log: silentLogger(), clock: realClock },
      );
      const settings: TenantSettings = { ...defaultTenantSettings(), apiVersion: '64.0' };
      settings.monitor = { ...settings.monitor, lookBackMinutes: 10 };
      const now = realClock.now().toISOString();
      const tenant = {
        id: TENANT,
        name: TENANT,
        loginUrl: info.loginUrl,
        consumerKey: info.consumerKey,
        username: info.username,
        instanceUrl: null,
        settings,
        activeKey: null,
        pendingKey: null,
        createdAt: now,
        updatedAt: now,
      };
      await store.tenants.insert(tenant);
      const pem = readFileSync(info.privateKeyPath, 'utf8');
      const client = new SalesforceClient({
        sessions: new SessionManager({
          sessions: store.sessions,
          box: new FakeSecretBox(),
          tokens: new TokenClient(fetchFormPost(30_000)),
          clock: realClock,
          signerFor: (t) => Promise.resolve(rsaKeySigner(pem, t.id)),
          log: silentLogger(),
        }),
        audit: store.audit,
        pauses: store.pauses,
        clock: realClock,
        log: silentLogger(),
      });
      const open = store;
      const monitor = new TicketMonitor({
        unitOfWork: open.unitOfWork,
        cursors: open.cursors,
        snapshots: open.caseSnapshots,
        stats: open.monitorStats,
        ownWrites: (tenantId, ids) => open.writeIntents.recordIdsAmong(tenantId, ids),
        clock: realClock,
        log: silentLogger(),
      });
      const source = new PollingCaseChangeSource(client, tenant);
      const attempts = (): number => client.usage(TENANT).attempts;
      const poll = () => monitor.poll(tenant, source, { callCount: attempts });

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
        await measure('idle', polls, 1, () => Promise.resolve()),
        await measure('5 agent comments between polls', Math.max(5, Math.round(polls / 4)), 1, async (i) => {
          for (let c = 0; c < 5; c += 1)
            await control(info, `/orgs/${info.orgId}/actions/comment-case`, {
              caseId: cases[(i + c) % cases.length],
              body: `bench comment ${i}.${c}`,
              isPublic: true,
            });
        }),
      ];
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
        ],
        notes: [
          'minimum: one composite request carrying both keyset queries (Cases through queryAll, CaseComments); comments on cases already watched need no other call',
        ],
      };
    } finally {
      await store?.close();
      await server.stop();
    }
  },
};
