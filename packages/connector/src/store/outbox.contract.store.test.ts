// One contract for OutboxRepository on the memory fake, PGlite and PostgreSQL (see contract-subjects.ts): what the
// dispatcher and the producers rely on, from idempotent enqueue to claims, leases, backoff and dead letters.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { NewOutboxMessage, OutboxRepository } from '../domain/ports.js';
import { isAppError } from '../errors/app-error.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { MemoryOutboxRepository } from '../../test/fakes/memory-outbox.js';
import { contractSubjects, withSubject } from '../../test/helpers/contract-subjects.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';
import { SqlOutboxRepository } from './repositories/outbox.js';

const TENANTS = ['acme', 'globex'];
const policy = { backoffBaseMs: 10_000, backoffMaxMs: 60_000, maxAttempts: 3, leaseMs: 30_000 };

interface Subject {
  outbox: OutboxRepository;
  clock: FixedClock;
}

const subjects = contractSubjects<Subject>(
  () => {
    const clock = new FixedClock();
    return { outbox: new MemoryOutboxRepository({ tenants: new Set(TENANTS), clock, policy }), clock };
  },
  (store) => {
    const clock = new FixedClock();
    return { outbox: new SqlOutboxRepository(store.db, clock, policy), clock };
  },
  async (store) => {
    for (const id of TENANTS) await store.tenants.insert(makeTenantRecord(id));
  },
  // one store per file: removing the tenants empties every table the port's rows live in (ON DELETE CASCADE)
  async (store) => {
    await store.db.query('TRUNCATE tenants CASCADE');
  },
);

const message = (idempotencyKey: string, extra: Partial<NewOutboxMessage> = {}): NewOutboxMessage => ({
  tenantId: 'acme',
  kind: 'ticket-notification',
  idempotencyKey,
  payload: { text: idempotencyKey },
  ...extra,
});

for (const subject of subjects) {
  describe(`OutboxRepository contract: ${subject.name}`, () => {
    test('the same key twice is one message (the first payload kept), per tenant; its event id is stable', () =>
      withSubject(subject, async ({ outbox }) => {
        const first = await outbox.enqueue(message('comment:1', { eventId: 'evt-1' }));
        const again = await outbox.enqueue(message('comment:1', { payload: { text: 'changed' } }));
        assert.equal(first.created, true);
        assert.deepEqual(again, { id: first.id, created: false });
        const other = await outbox.enqueue(message('comment:1', { tenantId: 'globex' }));
        assert.equal(other.created, true, "one tenant's key never swallows another tenant's message");
        assert.notEqual(other.id, first.id);
        const read = await outbox.get(first.id);
        assert.deepEqual(
          [read?.payload, read?.eventId, read?.status, read?.attempts, read?.orderingKey],
          [{ text: 'comment:1' }, 'evt-1', 'pending', 0, null],
        );
        const random = await outbox.get(other.id);
        assert.match(random?.eventId ?? '', /^[0-9a-f-]{36}$/, 'a UUID when the producer has no event id');
        const [claimed] = await outbox.claim(1, { tenantId: 'globex' });
        assert.equal(claimed?.eventId, random?.eventId);
        assert.equal(await outbox.get('999999'), null);
      }));

    test('a message for a tenant that does not exist is TENANT_NOT_FOUND', () =>
      withSubject(subject, async ({ outbox }) => {
        await assert.rejects(outbox.enqueue(message('x', { tenantId: 'nobody' })), (err) =>
          isAppError(err, 'TENANT_NOT_FOUND'),
        );
      }));

    test('a claimed message is not handed out again until its lease runs out, then with a new claim token', () =>
      withSubject(subject, async ({ outbox, clock }) => {
        const { id } = await outbox.enqueue(message('lease'));
        const [held] = await outbox.claim(5);
        assert.deepEqual([held?.id, held?.status, held?.attempts], [id, 'processing', 1]);
        assert.deepEqual(await outbox.claim(5), [], 'held by its worker');
        clock.advance(policy.leaseMs - 1);
        assert.deepEqual(await outbox.claim(5), [], 'still within the lease');
        clock.advance(1);
        const [again] = await outbox.claim(5);
        assert.deepEqual([again?.id, again?.attempts], [id, 2]);
        assert.notEqual(again?.claimToken, held?.claimToken);
        assert.equal(await outbox.complete(held!), false, 'the stale worker cannot complete it');
        assert.equal(await outbox.fail(held!, 'late'), false, 'nor fail it');
        assert.equal(await outbox.complete(again!), true);
        assert.equal(await outbox.complete(again!), false, 'a finished claim is spent');
        assert.equal((await outbox.get(id))?.status, 'done');
        clock.advance(3_600_000);
        assert.deepEqual(await outbox.claim(5), [], 'delivered once');
      }));

    test('messages come in due order; one ordering key waits for the one before; filters by kind and tenant', () =>
      withSubject(subject, async ({ outbox, clock }) => {
        const a1 = await outbox.enqueue(message('a1', { orderingKey: 'case-A' }));
        clock.advance(1);
        const a2 = await outbox.enqueue(message('a2', { orderingKey: 'case-A' }));
        clock.advance(1);
        const b1 = await outbox.enqueue(message('b1', { orderingKey: 'case-B' }));
        const free = await outbox.enqueue(message('free', { kind: 'reply' }));
        await outbox.enqueue(message('later', { notBefore: new Date(clock.now().getTime() + 60_000) }));
        await outbox.enqueue(message('globex', { tenantId: 'globex' }));
        const first = await outbox.claim(10, { tenantId: 'acme' });
        assert.deepEqual(
          first.map((m) => m.id),
          [a1.id, b1.id, free.id],
          'a2 waits for a1; "later" is not due; globex is filtered out',
        );
        assert.deepEqual(await outbox.claim(10, { tenantId: 'acme' }), [], 'a2 waits while a1 is processing');
        await outbox.complete(first[0]!);
        const next = await outbox.claim(10, { tenantId: 'acme', kinds: ['ticket-notification'] });
        assert.deepEqual(
          next.map((m) => m.id),
          [a2.id],
        );
        const byKind = await outbox.claim(10, { kinds: ['reply'] });
        assert.deepEqual(byKind, [], 'the reply is held by its first claim');
        assert.equal((await outbox.claim(10, { kinds: ['nothing'] })).length, 0);
      }));

    test("claims are fair across tenants: one tenant's backlog does not starve another's", () =>
      withSubject(subject, async ({ outbox, clock }) => {
        for (let i = 0; i < 5; i += 1) await outbox.enqueue(message(`acme-${i}`));
        clock.advance(1_000);
        const globex = await outbox.enqueue(message('globex-0', { tenantId: 'globex' }));
        const batch = await outbox.claim(2);
        assert.deepEqual(batch.map((m) => m.tenantId).sort(), ['acme', 'globex']);
        assert.ok(batch.some((m) => m.id === globex.id));
      }));

    test('a failure backs off exponentially (a Retry-After capped at the longest), then goes dead', () =>
      withSubject(subject, async ({ outbox, clock }) => {
        const { id } = await outbox.enqueue(message('failing'));
        const [first] = await outbox.claim(1);
        assert.deepEqual(await outbox.fail(first!, 'webhook 503'), {
          status: 'pending',
          nextAttemptAt: new Date(clock.now().getTime() + 10_000).toISOString(),
        });
        assert.deepEqual(await outbox.claim(1), [], 'not due before the backoff ends');
        clock.advance(10_000);
        const [second] = await outbox.claim(1);
        assert.deepEqual(await outbox.fail(second!, 'slow down', { retryAfterMs: 86_400_000 }), {
          status: 'pending',
          nextAttemptAt: new Date(clock.now().getTime() + 60_000).toISOString(),
        });
        clock.advance(60_000);
        const [third] = await outbox.claim(1);
        assert.equal(third?.attempts, 3);
        const lastAt = (await outbox.get(id))?.nextAttemptAt;
        assert.deepEqual(await outbox.fail(third, 'third time'), { status: 'dead', nextAttemptAt: lastAt });
        clock.advance(3_600_000);
        assert.deepEqual(await outbox.claim(1), []);
        const dead = await outbox.get(id);
        assert.deepEqual([dead?.status, dead?.lastError], ['dead', 'third time']);
      }));

    test('a permanent failure is dead at once; dead letters are listed oldest first and retried from zero', () =>
      withSubject(subject, async ({ outbox, clock }) => {
        const one = await outbox.enqueue(message('one'));
        const two = await outbox.enqueue(message('two', { tenantId: 'globex' }));
        const [c1] = await outbox.claim(1, { tenantId: 'acme' });
        assert.deepEqual(await outbox.fail(c1!, 'rejected', { permanent: true }), {
          status: 'dead',
          nextAttemptAt: c1?.nextAttemptAt,
        });
        clock.advance(1_000);
        const [c2] = await outbox.claim(1, { tenantId: 'globex' });
        await outbox.fail(c2!, 'gone', { permanent: true });
        assert.deepEqual(
          (await outbox.listDead()).map((m) => m.id),
          [one.id, two.id],
        );
        assert.deepEqual(
          (await outbox.listDead({ tenantId: 'globex' })).map((m) => m.id),
          [two.id],
        );
        assert.deepEqual(
          (await outbox.listDead({ limit: 1 })).map((m) => m.id),
          [one.id],
        );
        assert.equal(await outbox.retryDead(one.id), true);
        assert.equal(await outbox.retryDead(one.id), false, 'no longer dead');
        const retried = await outbox.get(one.id);
        assert.deepEqual(
          [retried?.status, retried?.attempts, retried?.nextAttemptAt],
          ['pending', 0, clock.now().toISOString()],
        );
        const [again] = await outbox.claim(1, { tenantId: 'acme' });
        assert.deepEqual([again?.id, again?.attempts], [one.id, 1]);
      }));

    test('a message whose lease expires on its last attempt goes dead instead of to yet another worker', () =>
      withSubject(subject, async ({ outbox, clock }) => {
        const { id } = await outbox.enqueue(message('crashing'));
        for (let attempt = 1; attempt <= policy.maxAttempts; attempt += 1) {
          const [claimed] = await outbox.claim(1);
          assert.equal(claimed?.attempts, attempt);
          clock.advance(policy.leaseMs);
        }
        assert.deepEqual(await outbox.claim(1), []);
        const dead = await outbox.get(id);
        assert.equal(dead?.status, 'dead');
        assert.match(dead?.lastError ?? '', /lease expired/);
      }));

    test('done messages finished before the cutoff are purged; pending and dead ones are kept', () =>
      withSubject(subject, async ({ outbox, clock }) => {
        const done = await outbox.enqueue(message('done'));
        const pending = await outbox.enqueue(message('pending', { notBefore: new Date('2030-01-01') }));
        const [claimed] = await outbox.claim(1);
        await outbox.complete(claimed!);
        clock.advance(1_000);
        const recent = await outbox.enqueue(message('recent'));
        const [c2] = await outbox.claim(1);
        await outbox.complete(c2!);
        assert.equal(await outbox.purgeDone(new Date(clock.now().getTime() - 500)), 1);
        assert.equal(await outbox.get(done.id), null);
        assert.equal((await outbox.get(pending.id))?.status, 'pending');
        assert.equal((await outbox.get(recent.id))?.status, 'done');
        assert.equal((await outbox.enqueue(message('recent'))).created, false, 'a kept key is still refused');
      }));
  });
}
