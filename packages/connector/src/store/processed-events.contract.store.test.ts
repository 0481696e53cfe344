// One contract for ProcessedEventRepository on the memory fake, PGlite and PostgreSQL (see contract-subjects.ts):
// an event recorded twice is handled once, per tenant and kind, and the ledger is purged by both of its times.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { ProcessedEventRepository } from '../domain/ports.js';
import { isAppError } from '../errors/app-error.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { MemoryProcessedEventRepository } from '../../test/fakes/memory-processed-events.js';
import { contractSubjects, withSubject } from '../../test/helpers/contract-subjects.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';
import { SqlProcessedEventRepository } from './repositories/processed-events.js';

const TENANTS = ['acme', 'globex'];

interface Subject {
  processed: ProcessedEventRepository;
  clock: FixedClock;
}

const subjects = contractSubjects<Subject>(
  () => {
    const clock = new FixedClock();
    return { processed: new MemoryProcessedEventRepository({ tenants: new Set(TENANTS), clock }), clock };
  },
  (store) => {
    const clock = new FixedClock();
    return { processed: new SqlProcessedEventRepository(store.db, clock), clock };
  },
  async (store) => {
    for (const id of TENANTS) await store.tenants.insert(makeTenantRecord(id));
  },
  // one store per file: removing the tenants empties every table the port's rows live in (ON DELETE CASCADE)
  async (store) => {
    await store.db.query('TRUNCATE tenants CASCADE');
  },
);

for (const subject of subjects) {
  describe(`ProcessedEventRepository contract: ${subject.name}`, () => {
    test('the same event twice is recorded once; another kind or another tenant is another event', () =>
      withSubject(subject, async ({ processed }) => {
        assert.equal(await processed.isProcessed('acme', '500A@1', 'case-change'), false);
        assert.equal(await processed.markProcessed('acme', '500A@1', 'case-change'), true);
        assert.equal(
          await processed.markProcessed('acme', '500A@1', 'case-change'),
          false,
          'again: do nothing',
        );
        assert.equal(await processed.isProcessed('acme', '500A@1', 'case-change'), true);
        assert.equal(await processed.isProcessed('acme', '500A@1', 'comment'), false, 'another kind');
        assert.equal(await processed.isProcessed('globex', '500A@1', 'case-change'), false, 'another tenant');
        assert.equal(await processed.markProcessed('acme', '500A@1', 'comment'), true);
        assert.equal(await processed.markProcessed('globex', '500A@1', 'case-change'), true);
      }));

    test("processedAmong answers, in one read, which of the tenant's keys are recorded (never another tenant's)", () =>
      withSubject(subject, async ({ processed }) => {
        await processed.markProcessed('acme', '500A@1', 'case-change');
        await processed.markProcessed('acme', '00a1 public', 'comment');
        await processed.markProcessed('globex', '500B@1', 'case-change');
        const keys = [
          { kind: 'case-change', sourceId: '500A@1' },
          { kind: 'comment', sourceId: '500A@1' },
          { kind: 'comment', sourceId: '00a1 public' },
          { kind: 'case-change', sourceId: '500B@1' },
        ];
        assert.deepEqual([...(await processed.processedAmong('acme', keys))].sort(), [
          'case-change 500A@1',
          'comment 00a1 public',
        ]);
        assert.deepEqual([...(await processed.processedAmong('globex', keys))], ['case-change 500B@1']);
        assert.deepEqual([...(await processed.processedAmong('acme', []))], []);
      }));

    test('an event for a tenant that does not exist is TENANT_NOT_FOUND', () =>
      withSubject(subject, async ({ processed }) => {
        await assert.rejects(processed.markProcessed('nobody', '500A@1', 'case-change'), (err) =>
          isAppError(err, 'TENANT_NOT_FOUND'),
        );
      }));

    test('purge deletes only entries processed before the cutoff whose event is older too (no event time = old)', () =>
      withSubject(subject, async ({ processed, clock }) => {
        const old = '2026-10-01T00:00:00.000Z';
        const recent = '2026-11-24T11:00:00.000Z';
        await processed.markProcessed('acme', 'old-event', 'case-change', old);
        await processed.markProcessed('acme', 'no-time', 'case-change');
        await processed.markProcessed('acme', 'recent-event', 'case-change', recent);
        await processed.markProcessed('globex', 'old-event', 'case-change', old);
        clock.advance(60_000);
        await processed.markProcessed('acme', 'just-now', 'case-change', old);
        const cutoff = {
          processedBefore: new Date(clock.now().getTime() - 30_000),
          eventsBefore: new Date('2026-11-01T00:00:00.000Z'),
        };
        assert.equal(await processed.purge('acme', cutoff), 2);
        const left = await processed.processedAmong(
          'acme',
          ['old-event', 'no-time', 'recent-event', 'just-now'].map((sourceId) => ({
            kind: 'case-change',
            sourceId,
          })),
        );
        assert.deepEqual([...left].sort(), ['case-change just-now', 'case-change recent-event']);
        assert.equal(
          await processed.isProcessed('globex', 'old-event', 'case-change'),
          true,
          'other tenants kept',
        );
        assert.equal(
          await processed.markProcessed('acme', 'old-event', 'case-change', old),
          true,
          'purged: new',
        );
      }));
  });
}
