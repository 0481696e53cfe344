// The outbox's delivery rules on PGlite and (when configured) PostgreSQL: order per ordering key, fairness across
// tenants, leases that keep expiring end dead, permanent failures, dead letters listed and retried, purge.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { NewOutboxMessage } from '../domain/ports.js';
import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

const policy = { backoffBaseMs: 10_000, backoffMaxMs: 60_000, maxAttempts: 3, leaseMs: 30_000 };

for (const backend of storeBackends()) {
  describe(`outbox rules on ${backend.name}`, () => {
    const clock = new TestClock();
    let store: Store;
    const msg = (tenantId: string, key: string, extra: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
      tenantId,
      kind: 'notify',
      idempotencyKey: key,
      payload: { key },
      ...extra,
    });
    before(async () => {
      store = await backend.open({ clock, outboxPolicy: policy });
      for (const id of ['ord', 'fairA', 'fairB', 'lease', 'dead', 'purge'])
        await store.tenants.insert(makeTenantRecord(id));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test("one case's messages are claimed one at a time, in order; other keys are not held up", async () => {
      for (const key of ['c1-a', 'c1-b', 'c1-c'])
        await store.outbox.enqueue(msg('ord', key, { orderingKey: 'case-1' }));
      await store.outbox.enqueue(msg('ord', 'c2-a', { orderingKey: 'case-2' }));
      await store.outbox.enqueue(msg('ord', 'free', {}));
      const keysOf = (ms: { idempotencyKey: string }[]) => ms.map((m) => m.idempotencyKey).sort();

      const first = await store.outbox.claim(10, { tenantId: 'ord' });
      assert.deepEqual(keysOf(first), ['c1-a', 'c2-a', 'free']);
      assert.deepEqual(await store.outbox.claim(10, { tenantId: 'ord' }), [], 'c1-b waits for c1-a');

      const a = first.find((m) => m.idempotencyKey === 'c1-a')!;
      // A failure keeps the order too: c1-b waits while c1-a backs off.
      await store.outbox.fail(a, 'receiver 503');
      assert.deepEqual(await store.outbox.claim(10, { tenantId: 'ord' }), []);
      clock.advance(10_000);
      const retried = await store.outbox.claim(10, { tenantId: 'ord' });
      assert.deepEqual(keysOf(retried), ['c1-a']);
      await store.outbox.complete(retried[0]!);
      const second = await store.outbox.claim(10, { tenantId: 'ord' });
      assert.deepEqual(keysOf(second), ['c1-b']);
      await store.outbox.complete(second[0]!);
      assert.deepEqual(keysOf(await store.outbox.claim(10, { tenantId: 'ord' })), ['c1-c']);
    });

    test("a tenant with 10,000 due messages does not starve one with 10: all of B's in the first two batches", async () => {
      const rows = Array.from(
        { length: 10_000 },
        (_, i) => `('fairA', 'notify', 'a${i}', '{}'::jsonb,
        $1::timestamptz, $1::timestamptz, $1::timestamptz)`,
      );
      // Older than B's, so a plain oldest-first claim would hand out A's backlog first.
      const old = new Date(clock.now().getTime() - 3_600_000).toISOString();
      for (let i = 0; i < rows.length; i += 1_000)
        await store.db.query(
          `INSERT INTO outbox (tenant_id, kind, idempotency_key, payload, next_attempt_at, created_at, updated_at)
           VALUES ${rows.slice(i, i + 1_000).join(',')}`,
          [old],
        );
      for (let i = 0; i < 10; i += 1) await store.outbox.enqueue(msg('fairB', `b${i}`));

      const claimedB: string[] = [];
      for (let batch = 0; batch < 2; batch += 1) {
        const claimed = await store.outbox.claim(10, { kinds: ['notify'] });
        assert.equal(claimed.length, 10);
        claimedB.push(...claimed.filter((m) => m.tenantId === 'fairB').map((m) => m.idempotencyKey));
        for (const m of claimed) await store.outbox.complete(m);
      }
      assert.deepEqual(claimedB.sort(), Array.from({ length: 10 }, (_, i) => `b${i}`).sort());
      await store.db.query(`DELETE FROM outbox WHERE tenant_id = 'fairA'`);
    });

    test('a message whose lease keeps expiring (it crashes its worker) goes dead after the attempt limit', async () => {
      const { id } = await store.outbox.enqueue(msg('lease', 'crasher'));
      for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
        const [claimed] = await store.outbox.claim(1, { tenantId: 'lease', leaseMs: 1_000 });
        assert.equal(claimed?.attempts, attempt);
        clock.advance(1_000); // the worker died holding it
      }
      assert.deepEqual(
        await store.outbox.claim(1, { tenantId: 'lease' }),
        [],
        'not handed to a fourth worker',
      );
      const dead = await store.outbox.get(id);
      assert.equal(dead?.status, 'dead');
      assert.match(dead?.lastError ?? '', /lease expired on every attempt \(3\)/);
    });

    test('a permanent failure is dead at once; dead messages are listed and can be retried', async () => {
      const { id } = await store.outbox.enqueue(msg('dead', 'refused'));
      const [claimed] = await store.outbox.claim(1, { tenantId: 'dead' });
      assert.deepEqual(await store.outbox.fail(claimed!, 'bot says: unknown user', { permanent: true }), {
        status: 'dead',
        nextAttemptAt: claimed!.nextAttemptAt,
      });
      const listed = await store.outbox.listDead({ tenantId: 'dead' });
      assert.deepEqual(
        listed.map((m) => [m.id, m.lastError]),
        [[id, 'bot says: unknown user']],
      );
      assert.equal(await store.outbox.retryDead(id), true);
      assert.equal(await store.outbox.retryDead(id), false, 'only a dead message can be retried');
      assert.deepEqual(await store.outbox.listDead({ tenantId: 'dead' }), []);
      const [again] = await store.outbox.claim(1, { tenantId: 'dead' });
      assert.deepEqual([again?.id, again?.attempts, again?.eventId], [id, 1, claimed!.eventId]);
    });

    test('done messages are purged after the retention period; pending and dead ones are kept', async () => {
      const done = await store.outbox.enqueue(msg('purge', 'done'));
      const pending = await store.outbox.enqueue(
        msg('purge', 'pending', { notBefore: new Date(clock.now().getTime() + 1e9) }),
      );
      const [claimed] = await store.outbox.claim(1, { tenantId: 'purge' });
      assert.ok(claimed);
      assert.equal(claimed.id, done.id);
      await store.outbox.complete(claimed);
      await store.outbox.purgeDone(clock.now());
      assert.equal((await store.outbox.get(done.id))?.status, 'done', 'finished just now: kept');
      clock.advance(1_000);
      assert.ok((await store.outbox.purgeDone(clock.now())) >= 1);
      assert.equal(await store.outbox.get(done.id), null);
      assert.equal((await store.outbox.get(pending.id))?.status, 'pending');
      const reenqueued = await store.outbox.enqueue(msg('purge', 'pending'));
      assert.equal(reenqueued.created, false);
    });
  });
}
