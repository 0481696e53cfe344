// Tenant writes on PGlite and (when configured) PostgreSQL: a tenant's row and its secrets change together in a unit
// of work, and the narrow updates (instance URL, key proven) touch their own column and nothing else.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { KeyInfo } from '../domain/tenant.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';
import type { Store } from './open-store.js';

const newKey: KeyInfo = {
  fingerprint: 'EF:01',
  certificatePem: '-----BEGIN CERTIFICATE-----\nNEW\n-----END CERTIFICATE-----\n',
  notAfter: '2127-01-01T00:00:00.000Z',
  createdAt: '2026-11-25T00:00:00.000Z',
  provenAt: '2026-11-25T01:00:00.000Z',
};

for (const backend of storeBackends()) {
  describe(`tenant writes on ${backend.name}`, () => {
    const clock = new TestClock();
    let store: Store;
    before(async () => {
      store = await backend.open({ clock });
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('a failure inside the unit of work leaves neither the tenant row nor its secret', async () => {
      await assert.rejects(
        store.unitOfWork.run(async (tx) => {
          await tx.tenants.insert(makeTenantRecord('half'));
          await tx.secrets.put('half', 'private_key', 'sealed-key');
          throw new Error('crashed before the commit');
        }),
        /crashed before the commit/,
      );
      assert.equal(await store.tenants.get('half'), null);
      assert.equal(await store.secrets.get('half', 'private_key'), null);
      // nothing half-made stands in the way of adding it again
      await store.unitOfWork.run(async (tx) => {
        await tx.tenants.insert(makeTenantRecord('half'));
        await tx.secrets.put('half', 'private_key', 'sealed-key');
      });
      assert.equal(await store.secrets.get('half', 'private_key'), 'sealed-key');
    });

    test('a key switch that fails midway leaves the old key with its own description', async () => {
      const tenant = makeTenantRecord('switch', { pendingKey: newKey });
      await store.tenants.insert(tenant);
      await store.secrets.put('switch', 'private_key', 'old-key');
      await store.secrets.put('switch', 'pending_private_key', 'new-key');
      await assert.rejects(
        store.unitOfWork.run(async (tx) => {
          await tx.secrets.put('switch', 'private_key', 'new-key');
          await tx.secrets.delete('switch', 'pending_private_key');
          await tx.tenants.update('switch', { activeKey: newKey, pendingKey: null });
          throw new Error('power cut');
        }),
        /power cut/,
      );
      assert.deepEqual(await store.tenants.get('switch'), tenant);
      assert.equal(await store.secrets.get('switch', 'private_key'), 'old-key');
      assert.equal(await store.secrets.get('switch', 'pending_private_key'), 'new-key');
    });

    test('units of work that read a tenant for update run one after the other: no change is lost', async () => {
      await store.tenants.insert(makeTenantRecord('both'));
      const addDefault = (field: string) =>
        store.unitOfWork.run(async (tx) => {
          const current = await tx.tenants.getForUpdate('both');
          await new Promise((resolve) => setTimeout(resolve, 50));
          const settings = current!.settings;
          await tx.tenants.update('both', {
            settings: { ...settings, caseDefaults: { ...settings.caseDefaults, [field]: 'x' } },
          });
        });
      await Promise.all([addDefault('Origin'), addDefault('Priority')]);
      assert.deepEqual(Object.keys((await store.tenants.get('both'))!.settings.caseDefaults).sort(), [
        'Origin',
        'Priority',
      ]);
    });

    test('recording the instance URL or a proven key never undoes a change made after the caller read the tenant', async () => {
      await store.tenants.insert(makeTenantRecord('narrow', { pendingKey: { ...newKey, provenAt: null } }));
      const seenByWorker = (await store.tenants.get('narrow'))!;
      // an admin changes the tenant while a worker is logging in with what it read before
      await store.tenants.update('narrow', { name: 'Acme (renamed)', updatedAt: '2026-11-25T02:00:00.000Z' });

      assert.equal(
        await store.tenants.setInstanceUrl(
          'narrow',
          'https://acme.my.salesforce.com',
          '2026-11-25T03:00:00.000Z',
        ),
        true,
      );
      assert.equal(
        await store.tenants.setInstanceUrl(
          'narrow',
          'https://acme.my.salesforce.com',
          '2026-11-25T04:00:00.000Z',
        ),
        false,
        'the same URL again changes nothing',
      );
      assert.equal(
        await store.tenants.markKeyProven(
          'narrow',
          'pending',
          newKey.fingerprint,
          '2026-11-25T05:00:00.000Z',
        ),
        true,
      );
      assert.equal(
        await store.tenants.markKeyProven('narrow', 'active', 'NOT:THE:KEY', '2026-11-25T05:00:00.000Z'),
        false,
        'a key replaced since it was proven is not marked',
      );
      assert.deepEqual(await store.tenants.get('narrow'), {
        ...seenByWorker,
        name: 'Acme (renamed)',
        instanceUrl: 'https://acme.my.salesforce.com',
        pendingKey: { ...newKey, provenAt: '2026-11-25T05:00:00.000Z' },
        updatedAt: '2026-11-25T03:00:00.000Z',
      });
      assert.equal(
        await store.tenants.setInstanceUrl('ghost', 'https://x', clock.now().toISOString()),
        false,
      );
    });
  });
}
