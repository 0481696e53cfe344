// Migration 0021 on PGlite (and PostgreSQL when configured): a tenant's stored one-status-per-notion settings become
// exactly the five-state mapping mappingFromLegacyStatuses gives, and the rest of the settings stay as they were.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { defaultTenantSettings } from '../domain/tenant.js';
import { mappingFromLegacyStatuses } from '../domain/tickets/case-states.js';
import { makeTenantRecord, storeBackends } from '../../test/helpers/store-test-kit.js';
import { sql as convertSettings } from './migrations/0021-case-state-settings.js';
import type { Store } from './open-store.js';

const legacy = {
  new: 'Open',
  waitingOnEmployee: 'Awaiting Reply',
  employeeReplied: 'In Progress',
  resolved: 'Solved',
  closed: 'Closed',
};

for (const backend of storeBackends()) {
  describe(`settings migration 0021 on ${backend.name}`, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('statusMapping becomes caseStates as the domain converts it; other settings untouched', async () => {
      const settings = defaultTenantSettings();
      await store.tenants.insert(makeTenantRecord('legacy', { settings }));
      await store.tenants.insert(makeTenantRecord('current', { settings }));
      // The row as an earlier release stored it: statusMapping, no caseStates.
      const older = Object.fromEntries(Object.entries(settings).filter(([key]) => key !== 'caseStates'));
      await store.db.query(`UPDATE tenants SET settings = $1::jsonb WHERE id = 'legacy'`, [
        JSON.stringify({ ...older, statusMapping: legacy }),
      ]);
      await store.db.exec(convertSettings);

      const converted = await store.tenants.get('legacy');
      assert.deepEqual(converted?.settings.caseStates, mappingFromLegacyStatuses(legacy));
      assert.equal('statusMapping' in (converted?.settings ?? {}), false);
      assert.deepEqual(
        { ...converted?.settings, caseStates: undefined },
        { ...settings, caseStates: undefined },
      );
      assert.deepEqual(
        (await store.tenants.get('current'))?.settings,
        settings,
        'already converted: unchanged',
      );
    });
  });
}
