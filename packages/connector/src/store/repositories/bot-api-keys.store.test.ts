// The bot API's keys and request counts on both stores: one active key per name (a second insert loses), a rotation
// keeps two and refuses a third, and the rate counts: one statement counts every bucket, a window that ended starts
// again at one, and ended windows are purged; two workers leasing blocks of allowance from the count (each its own
// pool on PostgreSQL) allow a limit once between them.

import assert from 'node:assert/strict';
import { after, test } from 'node:test';

import type { BotApiKeyRecord } from '../../domain/bot/api-key-ports.js';
import { LeasedRateCounter } from '../../domain/bot/leased-rate-counter.js';
import { firstRefused } from '../../domain/bot/rate-window.js';
import { makeTenantRecord, storeBackends } from '../../../test/helpers/store-test-kit.js';

const key = (id: string, name = 'teams'): BotApiKeyRecord => ({
  id,
  tenantId: 'acme',
  name,
  secretHash: 'ab'.repeat(32),
  createdAt: '2026-12-01T10:00:00.000Z',
  retiringAt: null,
  revokedAt: null,
  lastUsedAt: null,
});

for (const backend of storeBackends()) {
  after(() => backend.dispose());

  void test(`${backend.name}: one active key per name; a rotation keeps two and refuses a third`, async () => {
    const store = await backend.open();
    try {
      await store.tenants.insert(makeTenantRecord('acme'));
      const keys = store.bot.apiKeys;
      assert.equal(await keys.insert(key('k1')), true);
      assert.equal(await keys.insert(key('k2')), false);
      assert.equal(await keys.rotate('acme', 'teams', key('k3'), '2026-12-01T11:00:00.000Z'), 'rotated');
      assert.equal(await keys.rotate('acme', 'teams', key('k4'), '2026-12-01T11:00:00.000Z'), 'pending');
      assert.equal(
        await keys.rotate('acme', 'other', key('k5', 'other'), '2026-12-01T11:00:00.000Z'),
        'none',
      );
      assert.deepEqual(
        (await keys.listLive('acme')).map((k) => [k.id, k.retiringAt === null]),
        [
          ['k1', false],
          ['k3', true],
        ],
      );
      assert.equal(await keys.revokeRetiring('acme', 'teams', '2026-12-01T12:00:00.000Z'), true);
      assert.equal((await keys.get('k1'))?.revokedAt, '2026-12-01T12:00:00.000Z');
      assert.equal(await keys.revokeName('acme', 'teams', '2026-12-01T12:00:00.000Z'), 1);
      assert.deepEqual(await keys.listLive('acme'), []);
    } finally {
      await store.close();
    }
  });

  void test(`${backend.name}: rate counts per bucket in one statement; a new window starts at one`, async () => {
    const store = await backend.open();
    try {
      const rates = store.bot.rates;
      const buckets = [
        { bucket: 'key/k1', max: 10, windowMs: 60_000 },
        { bucket: 'employee/acme/ada', max: 2, windowMs: 10_000 },
      ];
      const t0 = new Date('2026-12-01T10:00:00.000Z');
      await rates.hit(buckets, t0);
      const second = await rates.hit(buckets, new Date(t0.getTime() + 5_000));
      assert.deepEqual(second.map((c) => [c.bucket, c.hits, c.windowEndsAt]).sort(), [
        ['employee/acme/ada', 2, '2026-12-01T10:00:10.000Z'],
        ['key/k1', 2, '2026-12-01T10:01:00.000Z'],
      ]);
      const later = await rates.hit(buckets, new Date(t0.getTime() + 10_000));
      assert.deepEqual(later.map((c) => [c.bucket, c.hits]).sort(), [
        ['employee/acme/ada', 1],
        ['key/k1', 3],
      ]);
      assert.equal(await rates.purgeBefore(new Date(t0.getTime() + 30_000)), 1);
    } finally {
      await store.close();
    }
  });

  void test(`${backend.name}: two workers leasing from the shared count allow the limit once`, async () => {
    const store = await backend.open();
    // on PostgreSQL the second worker has its own pool on the same schema; PGlite is one process's store
    const second = backend.name === 'postgres' ? await backend.open() : store;
    try {
      const limit = { bucket: 'employee/acme/ada', max: 30, windowMs: 60_000 };
      const workers = [new LeasedRateCounter(store.bot.rates), new LeasedRateCounter(second.bot.rates)];
      const t0 = Date.parse('2026-12-01T10:00:00.000Z');
      let allowed = 0;
      for (let i = 0; i < 50; i++) {
        const at = t0 + i * 100;
        const counts = await (workers[i % 2] as LeasedRateCounter).hit([limit], new Date(at));
        if (firstRefused([limit], counts, at) === null) allowed += 1;
      }
      assert.equal(allowed, 30);
      // both workers refuse until the window ends, then allow again
      for (const worker of workers) {
        const at = t0 + 10_000;
        assert.equal(
          firstRefused([limit], await worker.hit([limit], new Date(at)), at)?.retryAfterSeconds,
          50,
        );
      }
      const next = t0 + 60_000;
      assert.equal(firstRefused([limit], await workers[1]!.hit([limit], new Date(next)), next), null);
    } finally {
      if (second !== store) await second.close();
      await store.close();
    }
  });
}
