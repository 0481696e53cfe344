// The ticket-monitoring stack the monitor benches poll with: an in-memory store holding one tenant of the emulator
// org, a counting Salesforce client logged in with the org's key, the monitor and its polling source. One place,
// so every bench measures the monitor as main.ts wires it.

import { readFileSync } from 'node:fs';

import type { Clock, TenantRecord } from '../../packages/connector/src/domain/ports.js';
import { defaultTenantSettings, type TenantSettings } from '../../packages/connector/src/domain/tenant.js';
import { silentLogger } from '../../packages/connector/src/logging/logger.js';
import { rsaKeySigner } from '../../packages/connector/src/salesforce/auth/jwt-assertion.js';
import { SessionManager } from '../../packages/connector/src/salesforce/auth/session-manager.js';
import { fetchFormPost, TokenClient } from '../../packages/connector/src/salesforce/auth/token-client.js';
import { PollingCaseChangeSource } from '../../packages/connector/src/salesforce/case-change-poller.js';
import { SalesforceClient } from '../../packages/connector/src/salesforce/salesforce-client.js';
import {
  TicketMonitor,
  type PollReport,
  type TicketMonitorDeps,
} from '../../packages/connector/src/services/tickets/ticket-monitor.js';
import { openStore, type Store } from '../../packages/connector/src/store/open-store.js';
import { FakeSecretBox } from '../../packages/connector/test/fakes/fake-crypto.js';
import type { EmulatorLogin } from './jwt.js';

export type EmulatorInfo = EmulatorLogin & {
  controlUrl: string;
  controlToken: string;
  orgId: string;
} & Record<string, unknown>;

export const realClock: Clock = { now: () => new Date() };

/** One call to the emulator's control plane (agent actions, clock, faults). */
export async function control<T>(
  info: EmulatorInfo,
  path: string,
  body: unknown,
  method = 'POST',
): Promise<T> {
  const res = await fetch(`${info.controlUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${info.controlToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`control ${path}: ${res.status}`);
  return (await res.json()) as T;
}

export interface MonitorStack {
  store: Store;
  tenant: TenantRecord;
  client: SalesforceClient;
  monitor: TicketMonitor;
  source: PollingCaseChangeSource;
  /** one poll of the tenant, its calls counted by the client */
  poll: () => Promise<PollReport>;
  /** Salesforce call attempts of the tenant so far */
  attempts: () => number;
  /** the tenant's session manager (the Case change stream logs in through it) */
  sessions: SessionManager;
  /** the monitor's dependencies (the Case change stream's rounds use them) */
  monitorDeps: TicketMonitorDeps;
}

/**
 * Opens the stack for `tenantId` on the emulator org. `clock` drives the store and the monitor (a bench may
 * simulate it); logins always use the real clock, since the emulator checks the assertion's times. The caller
 * closes `store`.
 */
export async function openMonitorStack(
  info: EmulatorInfo,
  options: { tenantId: string; clock: Clock; settings?: Partial<TenantSettings> },
): Promise<MonitorStack> {
  const { tenantId, clock } = options;
  const store = await openStore(
    { dataDir: '/nonexistent-bench-dir', store: { kind: 'pglite' } },
    { inMemory: true, log: silentLogger(), clock },
  );
  try {
    const base = defaultTenantSettings();
    const settings: TenantSettings = {
      ...base,
      apiVersion: '64.0',
      ...options.settings,
      monitor: { ...base.monitor, lookBackMinutes: 10, ...options.settings?.monitor },
    };
    const now = clock.now().toISOString();
    const tenant: TenantRecord = {
      id: tenantId,
      name: tenantId,
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
    const sessions = new SessionManager({
      sessions: store.sessions,
      box: new FakeSecretBox(),
      tokens: new TokenClient(fetchFormPost(30_000)),
      clock: realClock,
      signerFor: (t) => Promise.resolve(rsaKeySigner(pem, t.id)),
      log: silentLogger(),
    });
    const client = new SalesforceClient({
      sessions,
      audit: store.audit,
      pauses: store.pauses,
      clock,
      log: silentLogger(),
    });
    const monitorDeps: TicketMonitorDeps = {
      unitOfWork: store.unitOfWork,
      cursors: store.cursors,
      snapshots: store.caseSnapshots,
      stats: store.monitorStats,
      processed: store.processed,
      ownWrites: (id, ids) => store.writeIntents.recordIdsAmong(id, ids),
      clock,
      log: silentLogger(),
    };
    const monitor = new TicketMonitor(monitorDeps);
    const source = new PollingCaseChangeSource(client, tenant);
    const attempts = (): number => client.usage(tenantId).attempts;
    return {
      store,
      tenant,
      client,
      monitor,
      source,
      attempts,
      sessions,
      monitorDeps,
      poll: () => monitor.poll(tenant, source, { callCount: attempts }),
    };
  } catch (err) {
    await store.close();
    throw err;
  }
}
