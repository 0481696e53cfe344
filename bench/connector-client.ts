// Benchmarks of the connector's Salesforce client against the emulator: per-call overhead beside bare jsforce, and token requests with two workers sharing one session store.

import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import jsforce from 'jsforce';
import type { Clock } from '../packages/connector/src/domain/ports.js';
import { defaultTenantSettings } from '../packages/connector/src/domain/tenant.js';
import { openStore, type Store } from '../packages/connector/src/store/open-store.js';
import { silentLogger } from '../packages/connector/src/logging/logger.js';
import { rsaKeySigner } from '../packages/connector/src/salesforce/auth/jwt-assertion.js';
import { SessionManager } from '../packages/connector/src/salesforce/auth/session-manager.js';
import { fetchFormPost, TokenClient } from '../packages/connector/src/salesforce/auth/token-client.js';
import {
  SalesforceClient,
  type ClientTenant,
} from '../packages/connector/src/salesforce/salesforce-client.js';
import { FakeSecretBox } from '../packages/connector/test/fakes/fake-crypto.js';
import { ChildServer } from './lib/child-server.js';
import type { BenchmarkModule, BenchOptions, BenchReport, BenchRow } from './lib/harness.js';
import { runLoad, warmUpAll } from './lib/harness.js';
import { jwtBearerToken, type EmulatorLogin } from './lib/jwt.js';

const VERSION = '64.0';
const QUERY = "SELECT Id, Subject FROM Case WHERE Status = 'New' LIMIT 10";

type EmulatorInfo = EmulatorLogin & { controlUrl: string; controlToken: string; orgId: string } & Record<
    string,
    unknown
  >;

const realClock: Clock = { now: () => new Date() };

/**
 * The store the workers share: the real embedded store (PGlite, in memory here), so its session row, login lock
 * and one audit insert per attempt are part of every figure, as in production.
 */
async function sharedStore(info: EmulatorInfo): Promise<Store> {
  const store = await openStore(
    { dataDir: '/nonexistent-bench-dir', store: { kind: 'pglite' } },
    { inMemory: true, log: silentLogger(), clock: realClock },
  );
  const now = realClock.now().toISOString();
  const tenant = tenantOf(info);
  await store.tenants.insert({
    ...tenant,
    name: tenant.id,
    instanceUrl: null,
    settings: { ...defaultTenantSettings(), apiVersion: VERSION },
    activeKey: null,
    pendingKey: null,
    createdAt: now,
    updatedAt: now,
  });
  return store;
}

/** One worker process's worth of connector wiring: its own session manager and client over the shared store. */
function connectorWorker(store: Store, privateKeyPem: string): SalesforceClient {
  const sessions = new SessionManager({
    sessions: store.sessions,
    box: new FakeSecretBox(),
    tokens: new TokenClient(fetchFormPost(30_000)),
    clock: realClock,
    signerFor: (tenant) => Promise.resolve(rsaKeySigner(privateKeyPem, tenant.id)),
    log: silentLogger(),
  });
  return new SalesforceClient({
    sessions,
    audit: store.audit,
    pauses: store.pauses,
    clock: realClock,
    log: silentLogger(),
  });
}

function tenantOf(info: EmulatorInfo): ClientTenant {
  return {
    id: 'bench-tenant',
    loginUrl: info.loginUrl,
    consumerKey: info.consumerKey,
    username: info.username,
    settings: { apiVersion: VERSION },
  };
}

async function controlCall<T>(info: EmulatorInfo, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${info.controlUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${info.controlToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!res.ok) throw new Error(`control ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

interface TokenLogPage {
  entries: { seq: number; outcome: string }[];
}

async function tokenGrantsAfter(
  info: EmulatorInfo,
  seq: number,
): Promise<{ seq: number; outcome: string }[]> {
  return (await controlCall<TokenLogPage>(info, 'GET', `/token-log?afterSeq=${seq}`)).entries;
}

const queryPath = `/query?q=${encodeURIComponent(QUERY)}`;

function isTenRows(result: unknown): boolean {
  return (result as { records?: unknown[] }).records?.length === 10;
}

export const connectorOverhead: BenchmarkModule = {
  name: 'connector-overhead',
  description:
    "the connector's Salesforce client (retry layer, audit, session) per call vs bare jsforce, side by side",
  async run(options: BenchOptions): Promise<BenchReport> {
    const server = await ChildServer.start<EmulatorInfo>('emulator.ts', [], options.profileDir);
    let store: Store | undefined;
    try {
      const info = server.info;
      const token = await jwtBearerToken(info);
      const bare = new jsforce.Connection({
        instanceUrl: token.instanceUrl,
        accessToken: token.accessToken,
        version: VERSION,
      });
      store = await sharedStore(info);
      const client = connectorWorker(store, readFileSync(info.privateKeyPath, 'utf8'));
      const tenant = tenantOf(info);
      if (!isTenRows(await client.request(tenant, { method: 'GET', url: queryPath })))
        throw new Error('connector query did not return 10 rows');
      const common = {
        concurrency: options.concurrency,
        durationMs: options.durationMs,
        warmupMs: options.warmupMs,
        server,
      };
      const ops = {
        bareQuery: async () => isTenRows(await bare.query(QUERY)),
        connectorQuery: async () =>
          isTenRows(await client.request(tenant, { method: 'GET', url: queryPath })),
        bareCreate: async (i: number) =>
          (
            (await bare.sobject('Case').create({ Subject: `bench ${i}`, Status: 'New' })) as {
              success: boolean;
            }
          ).success,
        connectorCreate: async (i: number) =>
          (
            await client.request<{ success: boolean }>(tenant, {
              method: 'POST',
              url: '/sobjects/Case',
              body: { Subject: `bench ${i}`, Status: 'New' },
              sobject: 'Case',
            })
          ).success,
      };
      await warmUpAll(Object.values(ops), options.concurrency, options.warmupMs);
      const rows: BenchRow[] = [
        await runLoad({ ...common, name: 'bare jsforce query', op: ops.bareQuery }),
        await runLoad({
          ...common,
          name: 'connector query',
          baseline: 'bare jsforce query',
          op: ops.connectorQuery,
        }),
        await runLoad({ ...common, name: 'bare jsforce create', op: ops.bareCreate }),
        await runLoad({
          ...common,
          name: 'connector create',
          baseline: 'bare jsforce create',
          op: ops.connectorCreate,
        }),
      ];
      const pair = (name: string, base: string): string => {
        const a = rows.find((r) => r.name === name);
        const b = rows.find((r) => r.name === base);
        if (a === undefined || b === undefined) return 'not measured';
        return `+${(a.clientCpuMsPerOp - b.clientCpuMsPerOp).toFixed(3)} ms client CPU per call, p50 ${(a.p50Ms - b.p50Ms).toFixed(2)} ms`;
      };
      return {
        title: `connector client overhead vs bare jsforce (concurrency ${options.concurrency}, ${options.durationMs} ms per case, emulator in its own process)`,
        rows,
        figures: [
          { label: 'query overhead', value: pair('connector query', 'bare jsforce query') },
          { label: 'create overhead', value: pair('connector create', 'bare jsforce create') },
        ],
        notes: [
          'both sides use jsforce 3.10.16 over the same emulator; the connector adds its session lookup, retry/classification layer and one audit row per attempt, written to the real embedded store (PGlite, in memory)',
        ],
      };
    } finally {
      await store?.close();
      await server.stop();
    }
  },
};

export const connectorTokens: BenchmarkModule = {
  name: 'connector-tokens',
  description:
    'token requests under steady load with two workers sharing one session store, across several session lifetimes',
  async run(options: BenchOptions): Promise<BenchReport> {
    const server = await ChildServer.start<EmulatorInfo>('emulator.ts', [], options.profileDir);
    let store: Store | undefined;
    try {
      const info = server.info;
      const pem = readFileSync(info.privateKeyPath, 'utf8');
      store = await sharedStore(info);
      const workers = [connectorWorker(store, pem), connectorWorker(store, pem)];
      const tenant = tenantOf(info);
      const startSeq = (await tokenGrantsAfter(info, 0)).reduce((max, e) => Math.max(max, e.seq), 0);

      // Compress session lifetimes: end every session (as the app's timeout would) several times during the run.
      const lifetimes = 4;
      const totalMs = options.durationMs * 2;
      const lifetimeMs = totalMs / lifetimes;
      let expirations = 0;
      const started = performance.now();
      const ticker = setInterval(() => {
        if (performance.now() - started >= totalMs - lifetimeMs / 2) return;
        expirations += 1;
        void controlCall(info, 'POST', `/orgs/${info.orgId}/sessions/expire`, {});
      }, lifetimeMs);
      const perWorker = Math.max(1, Math.floor(options.concurrency / 2));
      let index = 0;
      const row = await runLoad({
        name: 'two workers, query',
        concurrency: perWorker * 2,
        durationMs: totalMs,
        warmupMs: 0,
        server,
        op: async () => {
          const worker = workers[index++ % 2];
          if (worker === undefined) return false;
          return isTenRows(await worker.request(tenant, { method: 'GET', url: queryPath }));
        },
      });
      clearInterval(ticker);

      const grants = await tokenGrantsAfter(info, startSeq);
      const ok = grants.filter((g) => g.outcome === 'success').length;
      const usage = workers.map((w) => w.usage(tenant.id));
      const reauths = usage.reduce((n, u) => n + u.reauths, 0);
      const sessionsUsed = expirations + 1;
      const app = await controlCall<{ sessionTimeoutMinutes?: number }[]>(
        info,
        'GET',
        `/orgs/${info.orgId}/connected-apps`,
      );
      const timeoutMinutes = app[0]?.sessionTimeoutMinutes ?? 120;
      const perLifetime = ok / sessionsUsed;
      return {
        title: `token requests, two workers sharing one session store (${perWorker} in flight each, ${totalMs} ms, a session ended every ${lifetimeMs.toFixed(0)} ms)`,
        rows: [row],
        figures: [
          { label: 'API calls made', value: String(row.ops + row.errors) },
          { label: 'session lifetimes (first login + forced expiries)', value: String(sessionsUsed) },
          { label: 'token requests seen by the emulator', value: `${grants.length} (${ok} successful)` },
          {
            label: 'token requests per session lifetime (goal 1.0: not per call, not per worker)',
            value: perLifetime.toFixed(2),
          },
          { label: 'INVALID_SESSION_ID re-logins triggered in the workers', value: String(reauths) },
          {
            label: `token requests per hour at the app's ${timeoutMinutes}-minute session timeout`,
            value: `${((perLifetime * 60) / timeoutMinutes).toFixed(2)} (steady load keeps a session alive; this is the ceiling when every session runs out)`,
          },
        ],
        notes: [
          'the two workers (a SessionManager and SalesforceClient each, as in two worker processes) share one real embedded store (PGlite, in memory) with its login lock; on PostgreSQL the lock is a lease row shared by every process',
        ],
      };
    } finally {
      await store?.close();
      await server.stop();
    }
  },
};
