// One contract for TenantPauseRepository on the memory fake, PGlite and PostgreSQL (see contract-subjects.ts).

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { TenantPauseRepository } from '../domain/ports.js';
import { isAppError } from '../errors/app-error.js';
import { MemoryTenantPauseRepository } from '../../test/fakes/memory-tenant-pause.js';
import { contractSubjects, withSubject } from '../../test/helpers/contract-subjects.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';

const TENANTS = ['acme', 'globex'];

const subjects = contractSubjects<TenantPauseRepository>(
  () => new MemoryTenantPauseRepository({ tenants: new Set(TENANTS) }),
  (store) => store.pauses,
  async (store) => {
    for (const id of TENANTS) await store.tenants.insert(makeTenantRecord(id));
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

    test('pausing a tenant that does not exist is TENANT_NOT_FOUND naming it; nothing is paused', () =>
      withSubject(subject, async (pauses) => {
        await assert.rejects(
          pauses.pause('nobody', new Date('2026-12-01T10:00:00.000Z'), 'REQUEST_LIMIT_EXCEEDED'),
          (err) => isAppError(err, 'TENANT_NOT_FOUND') && err.message.includes('nobody'),
        );
        assert.equal(await pauses.get('nobody'), null);
        await pauses.clear('nobody');
      }));
  });
}
