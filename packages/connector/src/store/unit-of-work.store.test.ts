// Misusing the unit of work fails at once with a clear error (it used to hang the embedded store for good), on
// PGlite and (when configured) PostgreSQL; work started inside a unit and run after it is not refused.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

const cursor = { modstamp: '2026-11-24T00:00:00.000Z', id: '500A' };

for (const backend of storeBackends()) {
  describe(`unit of work on ${backend.name}`, () => {
    let store: Store;
    before(async () => {
      store = await backend.open({ clock: new TestClock() });
      await store.tenants.insert(makeTenantRecord('uow'));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('a store repository used inside run() instead of tx fails at once and rolls the unit back', async () => {
      await assert.rejects(
        store.unitOfWork.run(async (tx) => {
          await tx.cursors.save('uow', 'cases', cursor);
          await store.cursors.get('uow', 'cases');
        }),
        (err) => isAppError(err, 'STORE_OUTSIDE_UNIT_OF_WORK') && /tx/.test(err.fix),
      );
      assert.equal(
        await store.cursors.get('uow', 'cases'),
        null,
        'the unit rolled back; the store works after it',
      );
      await assert.rejects(
        store.unitOfWork.run(() => store.unitOfWork.run(() => Promise.resolve())),
        (err) => isAppError(err, 'STORE_OUTSIDE_UNIT_OF_WORK'),
        'a unit of work inside another one',
      );
      await assert.rejects(
        store.unitOfWork.run(() => store.tenants.delete('uow')),
        (err) => isAppError(err, 'STORE_OUTSIDE_UNIT_OF_WORK'),
      );
      assert.ok(await store.tenants.get('uow'));
    });

    test('work a unit of work started that runs after it ended is not refused', async () => {
      let later: Promise<unknown> = Promise.resolve();
      await store.unitOfWork.run(async (tx) => {
        await tx.cursors.save('uow', 'late', cursor);
        later = new Promise((resolve) => setTimeout(resolve, 20)).then(() =>
          store.cursors.get('uow', 'late'),
        );
      });
      assert.deepEqual(await later, cursor);
    });
  });
}
