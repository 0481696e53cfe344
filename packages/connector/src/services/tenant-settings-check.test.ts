// Monitoring settings checked against the org when saved: values the org lacks refuse the change (nothing saved);
// an org that cannot be asked does not block the operator (doctor checks later); other settings are never checked.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { TenantSettings } from '../domain/tenant.js';
import { isAppError } from '../errors/app-error.js';
import { silentLogger } from '../logging/logger.js';
import { FakeKeyFactory, FakeSecretBox } from '../../test/fakes/fake-crypto.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { memoryTenantStore } from '../../test/fakes/memory-tenant-store.js';
import { TenantService } from './tenant-service.js';

const ORG_STATUSES = ['New', 'Working', 'Closed'];

function setup(orgReachable = true) {
  const checked: TenantSettings[] = [];
  const sut = new TenantService({
    ...memoryTenantStore(),
    box: new FakeSecretBox(),
    keys: new FakeKeyFactory(),
    revoker: { revoke: () => Promise.resolve() },
    clock: new FixedClock(),
    log: silentLogger(),
    settingsCheck: (_tenant, settings) => {
      checked.push(settings);
      if (!orgReachable) return Promise.reject(new Error('org unreachable'));
      return Promise.resolve(
        settings.monitor.statuses
          .filter((s) => !ORG_STATUSES.includes(s))
          .map((s) => ({ path: 'monitor.statuses', message: `"${s}" is not an active Status value` })),
      );
    },
  });
  return { sut, checked };
}

const acme = {
  id: 'acme',
  loginUrl: 'https://login.salesforce.com',
  consumerKey: '3MVG9consumerkeyacme',
  username: 'casebridge@acme.example.com',
};

test('a monitored status the org lacks is refused, naming it, and nothing is saved', async () => {
  const { sut } = setup();
  await sut.add(acme);
  const before = (await sut.show('acme')).settings.monitor.statuses;
  await assert.rejects(
    sut.updateSettings('acme', { monitor: { statuses: ['New', 'Pending Vendor'] } }),
    (err) => {
      assert.ok(isAppError(err, 'TENANT_INVALID'));
      assert.match(err.message, /settings\.monitor\.statuses: "Pending Vendor"/);
      return true;
    },
  );
  assert.deepEqual((await sut.show('acme')).settings.monitor.statuses, before);
  await sut.updateSettings('acme', { monitor: { statuses: ['New', 'Working'] } });
  assert.deepEqual((await sut.show('acme')).settings.monitor.statuses, ['New', 'Working']);
});

test('an org that cannot be asked does not block the change; settings that are not monitoring are not checked', async () => {
  const { sut, checked } = setup(false);
  await sut.add(acme);
  await sut.updateSettings('acme', { monitor: { statuses: ['Pending Vendor'] } });
  assert.deepEqual((await sut.show('acme')).settings.monitor.statuses, ['Pending Vendor']);
  const count = checked.length;
  await sut.updateSettings('acme', { apiBudgetShare: 0.3 });
  assert.equal(checked.length, count);
});
