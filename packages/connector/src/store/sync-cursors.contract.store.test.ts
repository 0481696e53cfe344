// One contract for SyncCursorRepository on the memory fake, PGlite and PostgreSQL (see contract-subjects.ts): a
// cursor reads back exactly as saved, per tenant and stream, the last save wins, and a list is ordered by stream.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { SyncCursorRepository } from '../domain/ports.js';
import { isAppError } from '../errors/app-error.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { MemorySyncCursorRepository } from '../../test/fakes/memory-sync-cursors.js';
import { contractSubjects, withSubject } from '../../test/helpers/contract-subjects.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';
import { SqlSyncCursorRepository } from './repositories/sync-cursors.js';

const TENANTS = ['acme', 'globex'];

interface Subject {
  cursors: SyncCursorRepository;
  clock: FixedClock;
}

const subjects = contractSubjects<Subject>(
  () => {
    const clock = new FixedClock();
    return { cursors: new MemorySyncCursorRepository({ tenants: new Set(TENANTS), clock }), clock };
  },
  (store) => {
    const clock = new FixedClock();
    return { cursors: new SqlSyncCursorRepository(store.db, clock), clock };
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
  describe(`SyncCursorRepository contract: ${subject.name}`, () => {
    test('a cursor reads back as saved (an empty id too), per tenant and stream; the last save wins', () =>
      withSubject(subject, async ({ cursors, clock }) => {
        assert.equal(await cursors.get('acme', 'cases'), null);
        const first = { modstamp: '2026-11-24T11:59:59.123Z', id: '' };
        await cursors.save('acme', 'cases', first);
        assert.deepEqual(await cursors.get('acme', 'cases'), first);
        assert.equal(await cursors.get('acme', 'comments'), null, 'another stream');
        assert.equal(await cursors.get('globex', 'cases'), null, 'another tenant');
        clock.advance(5_000);
        const later = { modstamp: '2026-11-24T12:00:00.000Z', id: '500000000000001AAA' };
        await cursors.save('acme', 'cases', later);
        assert.deepEqual(await cursors.get('acme', 'cases'), later);
      }));

    test("a tenant's cursors are listed by stream with the time each was saved, never another tenant's", () =>
      withSubject(subject, async ({ cursors, clock }) => {
        const at = { modstamp: '2026-11-24T10:00:00.000Z', id: 'a' };
        await cursors.save('acme', 'ticket-comments', at);
        clock.advance(1_000);
        await cursors.save('acme', 'knowledge:Knowledge__kav:en_US', at);
        await cursors.save('globex', 'cases', at);
        assert.deepEqual(await cursors.list('acme'), [
          {
            tenantId: 'acme',
            stream: 'knowledge:Knowledge__kav:en_US',
            cursor: at,
            updatedAt: '2026-11-24T12:00:01.000Z',
          },
          { tenantId: 'acme', stream: 'ticket-comments', cursor: at, updatedAt: '2026-11-24T12:00:00.000Z' },
        ]);
        assert.deepEqual(await cursors.list('nobody'), []);
      }));

    test('a cursor for a tenant that does not exist is TENANT_NOT_FOUND', () =>
      withSubject(subject, async ({ cursors }) => {
        await assert.rejects(
          cursors.save('nobody', 'cases', { modstamp: '2026-11-24T10:00:00.000Z', id: '' }),
          (err) => isAppError(err, 'TENANT_NOT_FOUND'),
        );
      }));
  });
}
