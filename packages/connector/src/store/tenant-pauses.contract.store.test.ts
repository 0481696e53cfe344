// One contract for TenantPauseRepository on the memory fake, PGlite and PostgreSQL (see contract-subjects.ts).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { TenantPauseRepository } from '../domain/ports.js';
import { MemoryTenantPauseRepository } from '../../test/fakes/memory-tenant-pause.js';
import { contractSubjects, withSubject } from '../../test/helpers/contract-subjects.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';

const subjects = contractSubjects<TenantPauseRepository>(
  () => new MemoryTenantPauseRepository(),
  (store) => store.pauses,
  async (store) => {
    for (const id of ['acme', 'globex']) await store.tenants.insert(makeTenantRecord(id));
  },
);

for (const subject of subjects) {
  describe(`TenantPauseRepository contract: ${subject.name}`, () => {
    test('a pause reads back with its reason, a later pause replaces it, clear ends it, other tenants untouched', () =>
      withSubject(subject, async (pauses) => {
        assert.equal(await pauses.get('acme'), null);
        await pauses.pause('acme', new Date('2026-12-01T10:00:00.000Z'), 'REQUEST_LIMIT_EXCEEDED');
        await pauses.pause('globex', new Date('2026-12-01T09:00:00.000Z'), 'operator');
        assert.deepEqual(await pauses.get('acme'), {
          until: '2026-12-01T10:00:00.000Z',
          reason: 'REQUEST_LIMIT_EXCEEDED',
        });
        await pauses.pause('acme', new Date('2026-12-01T11:30:00.000Z'), 'again');
        assert.deepEqual(await pauses.get('acme'), { until: '2026-12-01T11:30:00.000Z', reason: 'again' });
        await pauses.clear('acme');
        assert.equal(await pauses.get('acme'), null);
        assert.deepEqual(await pauses.get('globex'), {
          until: '2026-12-01T09:00:00.000Z',
          reason: 'operator',
        });
      }));
  });
}
