// One contract for WriteIntentRepository on the memory fake, PGlite and PostgreSQL (see contract-subjects.ts): the
// first intent of a key is kept (a second begin answers it, with the record id once finished), per tenant; purge
// goes by start time; an intent for a tenant that does not exist is TENANT_NOT_FOUND.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { WriteIntentRepository } from '../domain/ports.js';
import { isAppError } from '../errors/app-error.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { MemoryWriteIntentRepository } from '../../test/fakes/memory-write-intents.js';
import { contractSubjects, withSubject } from '../../test/helpers/contract-subjects.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';
import { SqlWriteIntentRepository } from './repositories/write-intents.js';

const TENANTS = ['acme', 'globex'];

interface Subject {
  intents: WriteIntentRepository;
  clock: FixedClock;
}

const subjects = contractSubjects<Subject>(
  () => {
    const clock = new FixedClock();
    return { intents: new MemoryWriteIntentRepository({ tenants: new Set(TENANTS), clock }), clock };
  },
  (store) => {
    const clock = new FixedClock();
    return { intents: new SqlWriteIntentRepository(store.db, clock), clock };
  },
  async (store) => {
    for (const id of TENANTS) await store.tenants.insert(makeTenantRecord(id));
  },
  async (store) => {
    await store.db.query('TRUNCATE tenants CASCADE');
  },
);

for (const subject of subjects) {
  describe(`WriteIntentRepository contract: ${subject.name}`, () => {
    test('the first intent of a key is kept, with its record id once finished; other tenants are apart', () =>
      withSubject(subject, async ({ intents, clock }) => {
        const first = await intents.begin({ tenantId: 'acme', idempotencyKey: 'k1', kind: 'case' });
        assert.deepEqual(first, {
          created: true,
          intent: {
            tenantId: 'acme',
            idempotencyKey: 'k1',
            kind: 'case',
            recordId: null,
            startedAt: '2026-11-24T12:00:00.000Z',
          },
        });
        clock.advance(60_000);
        const again = await intents.begin({ tenantId: 'acme', idempotencyKey: 'k1', kind: 'case' });
        assert.deepEqual(again, { created: false, intent: first.intent });
        await intents.finish('acme', 'k1', '500000000000001AAA');
        const finished = await intents.begin({ tenantId: 'acme', idempotencyKey: 'k1', kind: 'case' });
        assert.equal(finished.intent.recordId, '500000000000001AAA');
        assert.equal(finished.intent.startedAt, '2026-11-24T12:00:00.000Z');
        const other = await intents.begin({ tenantId: 'globex', idempotencyKey: 'k1', kind: 'case' });
        assert.equal(other.created, true, "another tenant's key is its own");
        assert.deepEqual(
          await intents.recordIdsAmong('acme', ['500000000000001AAA', '500000000000009AAA']),
          new Set(['500000000000001AAA']),
        );
        assert.deepEqual(await intents.recordIdsAmong('globex', ['500000000000001AAA']), new Set());
      }));

    test('purge removes the intents started before the cutoff and counts them', () =>
      withSubject(subject, async ({ intents, clock }) => {
        await intents.begin({ tenantId: 'acme', idempotencyKey: 'old', kind: 'comment' });
        clock.advance(3_600_000);
        await intents.begin({ tenantId: 'acme', idempotencyKey: 'new', kind: 'comment' });
        assert.equal(await intents.purgeBefore(new Date('2026-11-24T12:30:00.000Z')), 1);
        assert.equal(
          (await intents.begin({ tenantId: 'acme', idempotencyKey: 'new', kind: 'comment' })).created,
          false,
        );
        assert.equal(
          (await intents.begin({ tenantId: 'acme', idempotencyKey: 'old', kind: 'comment' })).created,
          true,
        );
      }));

    test('an intent for a tenant that does not exist is TENANT_NOT_FOUND', () =>
      withSubject(subject, async ({ intents }) => {
        await assert.rejects(
          intents.begin({ tenantId: 'nobody', idempotencyKey: 'k1', kind: 'case' }),
          (err) => isAppError(err, 'TENANT_NOT_FOUND'),
        );
      }));
  });
}
