// The outbox on PGlite and (when configured) PostgreSQL: idempotent enqueue, due order, backoff, leases, dead letters.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

const policy = { backoffBaseMs: 10_000, backoffMaxMs: 60_000, maxAttempts: 3, leaseMs: 30_000 };

for (const backend of storeBackends()) {
  describe(`outbox on ${backend.name}`, () => {
    const clock = new TestClock();
    let store: Store;
    before(async () => {
      store = await backend.open({ clock, outboxPolicy: policy });
      for (const id of ['ob1', 'ob2', 'ob3', 'ob4', 'ob5']) await store.tenants.insert(makeTenantRecord(id));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('enqueueing the same key twice keeps one message, per tenant', async () => {
      const first = await store.outbox.enqueue({
        tenantId: 'ob1',
        kind: 'notify',
        idempotencyKey: 'comment:00a1',
        payload: { text: 'hi' },
      });
      const again = await store.outbox.enqueue({
        tenantId: 'ob1',
        kind: 'notify',
        idempotencyKey: 'comment:00a1',
        payload: { text: 'changed' },
      });
      assert.equal(first.created, true);
      assert.deepEqual(again, { id: first.id, created: false });
      assert.deepEqual((await store.outbox.get(first.id))?.payload, { text: 'hi' });
      const otherTenant = await store.outbox.enqueue({
        tenantId: 'ob2',
        kind: 'notify',
        idempotencyKey: 'comment:00a1',
        payload: {},
      });
      assert.equal(otherTenant.created, true, "one tenant's key never swallows another tenant's message");
      const claimed = await store.outbox.claim(10, { tenantId: 'ob1' });
      assert.deepEqual(
        claimed.map((m) => [m.id, m.status, m.attempts]),
        [[first.id, 'processing', 1]],
      );
      assert.deepEqual(
        await store.outbox.claim(10, { tenantId: 'ob1' }),
        [],
        'a claimed message is not handed out again',
      );
      assert.equal(await store.outbox.complete(claimed[0]!), true);
      assert.equal((await store.outbox.get(first.id))?.status, 'done');
    });

    test('a failing message backs off exponentially, then goes dead after the last attempt', async () => {
      const { id } = await store.outbox.enqueue({
        tenantId: 'ob3',
        kind: 'notify',
        idempotencyKey: 'x',
        payload: null,
      });
      const [first] = await store.outbox.claim(1, { tenantId: 'ob3' });
      const firstFail = await store.outbox.fail(first!, 'bot webhook 503');
      assert.deepEqual(firstFail, {
        status: 'pending',
        nextAttemptAt: new Date(clock.now().getTime() + 10_000).toISOString(),
      });
      assert.deepEqual(
        await store.outbox.claim(1, { tenantId: 'ob3' }),
        [],
        'not due before the backoff ends',
      );
      clock.advance(10_000);
      const [second] = await store.outbox.claim(1, { tenantId: 'ob3' });
      assert.equal(second?.attempts, 2);
      assert.deepEqual(await store.outbox.fail(second, 'again'), {
        status: 'pending',
        nextAttemptAt: new Date(clock.now().getTime() + 20_000).toISOString(),
      });
      clock.advance(20_000);
      const [third] = await store.outbox.claim(1, { tenantId: 'ob3' });
      assert.equal(third?.attempts, 3);
      assert.deepEqual(await store.outbox.fail(third, 'third time'), {
        status: 'dead',
        nextAttemptAt: clock.now().toISOString(),
      });
      clock.advance(3_600_000);
      assert.deepEqual(await store.outbox.claim(1, { tenantId: 'ob3' }), []);
      assert.equal((await store.outbox.get(id))?.lastError, 'third time');
    });

    test('a claim whose worker died is claimed again after its lease; kinds and due time filter', async () => {
      const { id } = await store.outbox.enqueue({
        tenantId: 'ob4',
        kind: 'notify',
        idempotencyKey: 'lease',
        payload: {},
      });
      await store.outbox.enqueue({
        tenantId: 'ob4',
        kind: 'reply',
        idempotencyKey: 'other-kind',
        payload: {},
      });
      await store.outbox.enqueue({
        tenantId: 'ob4',
        kind: 'notify',
        idempotencyKey: 'later',
        payload: {},
        notBefore: new Date(clock.now().getTime() + 3_600_000),
      });
      assert.deepEqual(
        (await store.outbox.claim(5, { tenantId: 'ob4', kinds: ['notify'] })).map((m) => m.id),
        [id],
      );
      clock.advance(29_000);
      assert.deepEqual(await store.outbox.claim(5, { tenantId: 'ob4', kinds: ['notify'] }), []);
      clock.advance(2_000);
      assert.deepEqual(
        (await store.outbox.claim(5, { tenantId: 'ob4', kinds: ['notify'] })).map((m) => [m.id, m.attempts]),
        [[id, 2]],
      );
    });

    test('a worker whose lease ran out can neither complete nor fail the message its successor holds', async () => {
      const { id } = await store.outbox.enqueue({
        tenantId: 'ob5',
        kind: 'notify',
        idempotencyKey: 'stale',
        payload: {},
      });
      const [stale] = await store.outbox.claim(1, { tenantId: 'ob5', leaseMs: 1_000 });
      clock.advance(1_000);
      const [current] = await store.outbox.claim(1, { tenantId: 'ob5' });
      assert.equal(current?.id, id);
      assert.notEqual(current?.claimToken, stale?.claimToken);

      assert.equal(await store.outbox.complete(stale!), false, 'the stale worker cannot complete it');
      assert.equal(await store.outbox.fail(stale!, 'late failure'), false, 'nor fail it');
      const held = await store.outbox.get(id);
      assert.deepEqual([held?.status, held?.attempts, held?.lastError], ['processing', 2, null]);

      assert.equal(await store.outbox.complete(current), true);
      // The stale worker's failure after its successor delivered must not send the message again.
      assert.equal(await store.outbox.fail(stale!, 'late failure'), false);
      assert.equal(await store.outbox.fail(current, 'already done'), false, 'a finished claim is spent');
      assert.equal(await store.outbox.complete(current), false);
      assert.equal((await store.outbox.get(id))?.status, 'done');
      clock.advance(3_600_000);
      assert.deepEqual(await store.outbox.claim(5, { tenantId: 'ob5' }), [], 'delivered once');
    });
  });
}
