// The poll pace's inputs against the emulator over HTTP, on PGlite and (when configured) PostgreSQL: the daily
// allocation from /limits when the service user may read it (one counted call, then none for a day, on any worker),
// from the usage header when it may not (the refusal not retried every tick); and an employee talking to the bot
// about a watched case puts the tenant at the 5 s floor.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';

import { DEMO_PERMISSION_SET, startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { defaultTenantSettings, type TenantSettings } from '../../src/domain/tenant.js';
import { silentLogger } from '../../src/logging/logger.js';
import { PollingCaseChangeSource } from '../../src/salesforce/case-change-poller.js';
import { ApiAllocationReader } from '../../src/services/tickets/api-allocation-reader.js';
import { PollPacer } from '../../src/services/tickets/poll-pacer.js';
import { TicketMonitor } from '../../src/services/tickets/ticket-monitor.js';
import type { Store } from '../../src/store/open-store.js';
import { FixedClock } from '../fakes/fixed-clock.js';
import { realClock, salesforceStack, type SalesforceStack } from '../helpers/salesforce-stack.js';
import { makeTenantRecord, storeBackends } from '../helpers/store-test-kit.js';

const TENANT = 'demo';
const DAILY_MAX = 100_000;
let em: StartedEmulator;

async function control(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${em.controlUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${em.controlToken}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${await res.clone().text()}`);
  return (await res.json()) as Record<string, unknown>;
}

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-pace-inputs-')) });
});
after(async () => {
  await em.close();
});

for (const backend of storeBackends()) {
  describe(`poll pace inputs against the emulator on ${backend.name}`, () => {
    let store: Store;
    let stack: SalesforceStack;
    let settings: TenantSettings;
    let clock: FixedClock;

    const limitsCalls = (): number =>
      stack.audit.entries.filter((e) => e.tenantId === TENANT && e.path.endsWith('/limits')).length;
    const reader = (): ApiAllocationReader =>
      new ApiAllocationReader({
        allocations: store.apiAllocations,
        limitsOf: () => stack.gateway.limits(),
        clock,
        log: silentLogger(),
      });

    before(async () => {
      store = await backend.open({ clock: realClock });
      settings = defaultTenantSettings();
      await store.tenants.insert(makeTenantRecord(TENANT, { settings }));
    });
    afterEach(async () => {
      await control('POST', '/orgs/demo/reset', {});
      await store.db.query('DELETE FROM api_allocations');
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    const fresh = async (): Promise<void> => {
      await control('PATCH', '/orgs/demo/settings', { dailyApiLimit: DAILY_MAX });
      stack = salesforceStack(em, { tenantId: TENANT });
      settings.apiVersion = stack.tenant.settings.apiVersion;
      clock = new FixedClock(new Date().toISOString());
    };

    test('permitted: /limits is read once, counted, and reused for a day by every worker', async () => {
      await fresh();
      await control('PATCH', `/orgs/demo/grants/${DEMO_PERMISSION_SET}`, {
        userPermissions: { viewSetup: true },
      });
      const first = await reader().dailyMax({ id: TENANT }, null);
      assert.deepEqual(first, { max: DAILY_MAX, source: 'limits' });
      assert.equal(limitsCalls(), 1, 'the read is one call the client counts and audits');
      const worker = reader();
      for (let i = 0; i < 50; i += 1) {
        clock.advance(5_000);
        assert.deepEqual(await worker.dailyMax({ id: TENANT }, DAILY_MAX), first);
      }
      assert.equal(limitsCalls(), 1, 'a tick needs no read: another worker uses the stored one');
      clock.advance(24 * 3_600_000);
      await worker.dailyMax({ id: TENANT }, DAILY_MAX);
      assert.equal(limitsCalls(), 2, 'read again after a day');
    });

    test('not permitted: the usage header paces, and the refusal is not retried at every tick', async () => {
      await fresh(); // the demo's service user has no "View Setup and Configuration"
      await stack.gateway.describe('Case'); // any REST call: its Sforce-Limit-Info header reports the allocation
      const headerMax = stack.client.usage(TENANT).lastApiUsage?.max ?? null;
      assert.equal(headerMax, DAILY_MAX);
      const sut = reader();
      assert.deepEqual(await sut.dailyMax({ id: TENANT }, headerMax), { max: DAILY_MAX, source: 'header' });
      assert.equal((await store.apiAllocations.get(TENANT))?.outcome, 'refused');
      for (let i = 0; i < 50; i += 1) {
        clock.advance(60_000);
        await reader().dailyMax({ id: TENANT }, headerMax);
      }
      assert.equal(limitsCalls(), 1, 'one refused call, then the stored refusal');

      // the pace saved for `status` says where its allocation came from, and why /limits was not it
      const pacer = new PollPacer({
        audit: stack.audit,
        stats: store.monitorStats,
        activity: store.pollActivity,
        paces: store.pollPaces,
        clock,
        allocation: sut,
      });
      await pacer.check({ id: TENANT, settings });
      const saved = await store.pollPaces.get(TENANT);
      assert.equal(saved?.allocation?.source, 'header');
      assert.equal(saved?.allocation?.max, DAILY_MAX);
      assert.equal(saved?.allocation?.limits?.outcome, 'refused');
      assert.ok(saved?.allocation?.limits?.readAt !== undefined);
    });

    test('an employee talking to the bot about a watched case puts the tenant at the 5 s floor', async () => {
      await fresh();
      const contactId = (
        (await control('POST', '/orgs/demo/actions/create-record', {
          sobject: 'Contact',
          fields: { LastName: 'Turing', Email: `alan.${backend.name}@example.com` },
        })) as { id: string }
      ).id;
      await control('POST', '/orgs/demo/actions/create-case', {
        fields: { Subject: 'Laptop', Status: 'New', Origin: 'Web', ContactId: contactId },
      });
      settings.monitor.lookBackMinutes = 5;
      const monitor = new TicketMonitor({
        unitOfWork: store.unitOfWork,
        cursors: store.cursors,
        snapshots: store.caseSnapshots,
        stats: store.monitorStats,
        processed: store.processed,
        ownWrites: (tenantId, ids) => store.writeIntents.recordIdsAmong(tenantId, ids),
        clock: realClock,
        log: silentLogger(),
      });
      const tenant = { id: TENANT, settings };
      await monitor.poll(tenant, new PollingCaseChangeSource(stack.client, { ...stack.tenant, settings }));
      const now = new Date();
      const pacer = new PollPacer({
        audit: stack.audit,
        stats: store.monitorStats,
        activity: store.pollActivity,
        paces: store.pollPaces,
        clock: { now: () => now },
        bots: store.botActivity,
        // every check reads its inputs here (what the cache saves and when it reads again: poll-pacer-cache.test.ts)
        inputsTtlMs: 0,
      });
      assert.equal((await pacer.check(tenant)).pace.why, 'idle', 'a new case, no conversation yet');

      const session = (hash: string, lastUsedMinutesAgo: number) => ({
        tokenHash: hash,
        tenantId: TENANT,
        email: `alan.${backend.name}@example.com`,
        contactId,
        name: 'Alan Turing',
        createdAt: new Date(now.getTime() - 60 * 60_000).toISOString(),
        lastUsedAt: new Date(now.getTime() - lastUsedMinutesAgo * 60_000).toISOString(),
        expiresAt: new Date(now.getTime() + 60 * 60_000).toISOString(),
        revokedAt: null,
      });
      await store.bot.sessions.insert(session(`stale-${backend.name}`, 45));
      assert.equal(
        (await pacer.check(tenant)).pace.why,
        'idle',
        'a session idle for 45 minutes is no conversation',
      );
      await store.bot.sessions.insert(session(`live-${backend.name}`, 1));
      const live = await pacer.check(tenant);
      assert.equal(live.pace.why, 'active');
      assert.equal(live.pace.intervalMs, 5_000);
      assert.match(live.pace.reason, /1 employee\(s\) talking to the bot/);
      await store.bot.sessions.revoke(`live-${backend.name}`, now.toISOString());
      assert.equal((await pacer.check(tenant)).pace.why, 'idle', 'a revoked session ends it');
    });
  });
}
