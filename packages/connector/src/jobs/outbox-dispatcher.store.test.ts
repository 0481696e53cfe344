// The outbox dispatcher on PGlite and (when configured) PostgreSQL: a handler per kind, the same event id on every
// attempt, permanent refusals dead at once, and two workers draining one outbox while one dies mid-batch.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { appError } from '../errors/app-error.js';
import { JOBS_DELIVERY_REJECTED } from '../errors/codes/jobs.js';
import { silentLogger } from '../logging/logger.js';
import type { Store } from '../store/open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';
import { OutboxDispatcher, type OutboxDelivery } from './outbox-dispatcher.js';

const policy = { backoffBaseMs: 1_000, backoffMaxMs: 60_000, maxAttempts: 5, leaseMs: 30_000 };

for (const backend of storeBackends()) {
  describe(`outbox dispatcher on ${backend.name}`, () => {
    const clock = new TestClock();
    let store: Store;
    before(async () => {
      store = await backend.open({ clock, outboxPolicy: policy });
      for (const id of ['d1', 'd2', 'w1']) await store.tenants.insert(makeTenantRecord(id));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('each kind reaches its handler with a stable event id; a refusal is dead at once', async () => {
      const seen: OutboxDelivery[] = [];
      let flaky = 0;
      const dispatcher = new OutboxDispatcher({
        outbox: store.outbox,
        log: silentLogger(),
        clock,
        handlers: {
          'bot-reply': (d) => {
            seen.push(d);
            flaky += 1;
            return flaky === 1 ? Promise.reject(new Error('connection reset')) : Promise.resolve();
          },
          'case-note': (d) => {
            seen.push(d);
            return Promise.reject(
              appError(JOBS_DELIVERY_REJECTED, {
                params: { eventId: d.eventId, kind: d.kind, reason: 'no such case' },
              }),
            );
          },
        },
      });
      const reply = await store.outbox.enqueue({
        tenantId: 'd1',
        kind: 'bot-reply',
        idempotencyKey: 'r1',
        payload: { text: 'hi' },
      });
      const note = await store.outbox.enqueue({
        tenantId: 'd2',
        kind: 'case-note',
        idempotencyKey: 'n1',
        payload: {},
      });
      await store.outbox.enqueue({
        tenantId: 'd2',
        kind: 'nobody-handles-this',
        idempotencyKey: 'x',
        payload: {},
      });

      const first = await dispatcher.drainOnce();
      assert.deepEqual(
        [first.claimed, first.retrying, first.dead],
        [2, 1, 1],
        'an unknown kind is not claimed',
      );
      clock.advance(1_000);
      const second = await dispatcher.drainOnce();
      assert.equal(second.done, 1);

      const replies = seen.filter((d) => d.kind === 'bot-reply');
      assert.equal(replies.length, 2);
      assert.deepEqual(
        replies.map((d) => d.attempt),
        [1, 2],
      );
      assert.equal(replies[0]?.eventId, replies[1]?.eventId, 'the retry carries the same event id');
      assert.equal(replies[0]?.eventId, (await store.outbox.get(reply.id))?.eventId);
      assert.deepEqual(replies[0]?.payload, { text: 'hi' });
      assert.equal((await store.outbox.get(note.id))?.status, 'dead');
      assert.match((await store.outbox.get(note.id))?.lastError ?? '', /no such case/);
    });

    test('two workers drain one outbox while one dies mid-batch: every message handled, none completed twice', async () => {
      const total = 30;
      const ids: string[] = [];
      for (let i = 0; i < total; i += 1)
        ids.push(
          (
            await store.outbox.enqueue({
              tenantId: 'w1',
              kind: 'work',
              idempotencyKey: `w${i}`,
              payload: { i },
            })
          ).id,
        );

      const handledBy = new Map<string, string[]>();
      const record = (worker: string, d: OutboxDelivery) =>
        handledBy.set(d.eventId, [...(handledBy.get(d.eventId) ?? []), worker]);
      let releaseDead: () => void = () => undefined;
      const deadWorkerStuck = new Promise<void>((resolve) => (releaseDead = resolve));
      let deadCount = 0;
      // The doomed worker handles two messages, then hangs on the third as if its process had been killed.
      const doomed = new OutboxDispatcher({
        outbox: store.outbox,
        log: silentLogger(),
        clock,
        batchSize: 10,
        leaseMs: policy.leaseMs,
        handlers: {
          work: async (d) => {
            record('doomed', d);
            deadCount += 1;
            if (deadCount === 3) await deadWorkerStuck;
          },
        },
      });
      const survivor = new OutboxDispatcher({
        outbox: store.outbox,
        log: silentLogger(),
        clock,
        batchSize: 10,
        leaseMs: policy.leaseMs,
        handlers: { work: (d) => Promise.resolve(record('survivor', d)).then(() => undefined) },
      });
      const doomedRun = doomed.drainOnce();
      // Let the doomed worker claim its batch and reach the hang.
      while (deadCount < 3) await new Promise((resolve) => setTimeout(resolve, 10));
      let survivorDone = 0;
      for (let round = 0; round < 5; round += 1) survivorDone += (await survivor.drainOnce()).done;
      assert.equal(
        survivorDone,
        total - 10,
        'the survivor takes everything but the dead worker\u2019s claims',
      );

      clock.advance(policy.leaseMs); // the dead worker's lease runs out
      for (let round = 0; round < 3; round += 1) survivorDone += (await survivor.drainOnce()).done;
      // The "dead" process wakes up late: its outcomes must change nothing.
      releaseDead();
      const late = await doomedRun;

      assert.equal(late.done + survivorDone, total, 'each message completed exactly once');
      assert.equal(late.superseded, 1, 'the late worker was told its claim had been taken over');
      assert.equal(late.expired, 7, 'and started nothing else of its stale batch');
      for (const id of ids) assert.equal((await store.outbox.get(id))?.status, 'done');
      const events = await Promise.all(ids.map(async (id) => (await store.outbox.get(id))!.eventId));
      for (const eventId of events) assert.ok(handledBy.has(eventId), `event ${eventId} handled`);
      const twice = [...handledBy.values()].filter((workers) => workers.length > 1);
      assert.equal(twice.length, 1, 'only the message the dead worker was inside is delivered again');
    });
  });
}
