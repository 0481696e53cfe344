// One contract for TenantRepository, run against the in-memory fake the service tests use and against the real
// store (PGlite, and PostgreSQL when CASEBRIDGE_TEST_DATABASE_URL is set), so the fake never promises less than
// the store: the same coded errors, the same column-level updates, the same "false when nothing changed".

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import type { TenantRepository } from '../domain/ports.js';
import { isAppError } from '../errors/app-error.js';
import { MemoryTenantRepository } from '../../test/fakes/memory-tenant-store.js';
import { contractSubjects, withSubject } from '../../test/helpers/contract-subjects.js';
import { makeTenantRecord } from '../../test/helpers/store-test-kit.js';

const subjects = contractSubjects<TenantRepository>(
  () => new MemoryTenantRepository(),
  (store) => store.tenants,
);

function rejectsWith(code: string): (err: unknown) => boolean {
  return (err) => isAppError(err) && err.code === code;
}

for (const subject of subjects) {
  describe(`TenantRepository contract: ${subject.name}`, () => {
    test('a tenant reads back as written, is listed, and is gone after delete', () =>
      withSubject(subject, async (tenants) => {
        const acme = makeTenantRecord('acme');
        await tenants.insert(acme);
        assert.deepEqual(await tenants.get('acme'), acme);
        assert.deepEqual(
          (await tenants.list()).map((t) => t.id),
          ['acme'],
        );
        await tenants.delete('acme');
        assert.equal(await tenants.get('acme'), null);
        assert.deepEqual(await tenants.list(), []);
      }));

    test('a second tenant with the same id is TENANT_EXISTS; updating a missing one is TENANT_NOT_FOUND', () =>
      withSubject(subject, async (tenants) => {
        await tenants.insert(makeTenantRecord('acme'));
        await assert.rejects(tenants.insert(makeTenantRecord('acme')), rejectsWith('TENANT_EXISTS'));
        await assert.rejects(tenants.update('nobody', { name: 'x' }), rejectsWith('TENANT_NOT_FOUND'));
      }));

    test('an update writes only the fields in its patch', () =>
      withSubject(subject, async (tenants) => {
        const acme = makeTenantRecord('acme');
        await tenants.insert(acme);
        await tenants.update('acme', { name: 'Acme Support', updatedAt: '2026-12-01T00:00:00.000Z' });
        await tenants.update('acme', { username: 'svc@acme.example' });
        assert.deepEqual(await tenants.get('acme'), {
          ...acme,
          name: 'Acme Support',
          username: 'svc@acme.example',
          updatedAt: '2026-12-01T00:00:00.000Z',
        });
      }));

    test('the instance URL and a proven key are set only when they change, on a tenant that exists', () =>
      withSubject(subject, async (tenants) => {
        const acme = makeTenantRecord('acme');
        await tenants.insert(acme);
        const url = 'https://acme.my.salesforce.com';
        const at = '2026-12-01T10:00:00.000Z';
        assert.equal(await tenants.setInstanceUrl('acme', url, at), true);
        assert.equal(await tenants.setInstanceUrl('acme', url, at), false, 'same URL again');
        assert.equal(await tenants.setInstanceUrl('nobody', url, at), false, 'no such tenant');
        assert.equal(await tenants.markKeyProven('acme', 'active', 'OTHER', at), false, 'another key');
        assert.equal(await tenants.markKeyProven('acme', 'pending', 'AB:CD', at), false, 'no pending key');
        assert.equal(await tenants.markKeyProven('acme', 'active', 'AB:CD', at), true);
        const read = await tenants.get('acme');
        assert.equal(read?.instanceUrl, url);
        assert.equal(read?.activeKey?.provenAt, at);
      }));
  });
}
