// Tenant settings rules: the JWT audience override is validated, set, kept across other changes and removable.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import { defaultTenantSettings } from './tenant.js';
import { mergeSettings } from './tenant-rules.js';

void test('jwtAudience: absent by default, set (trailing slash dropped), kept by other changes, removed by null', () => {
  const base = defaultTenantSettings();
  assert.equal(base.jwtAudience, undefined);
  const set = mergeSettings(base, { jwtAudience: 'https://acme.my.site.com/customers/' });
  assert.equal(set.jwtAudience, 'https://acme.my.site.com/customers');
  assert.equal(mergeSettings(set, { apiVersion: '64.0' }).jwtAudience, 'https://acme.my.site.com/customers');
  const removed = mergeSettings(set, { jwtAudience: null });
  assert.equal('jwtAudience' in removed, false);
});

void test('jwtAudience: only https URLs (http on loopback), no query or fragment', () => {
  for (const bad of ['login.salesforce.com', 'http://login.salesforce.com', 'https://x.example/?a=1', 42]) {
    assert.throws(
      () => mergeSettings(defaultTenantSettings(), { jwtAudience: bad }),
      (err) => isAppError(err, 'TENANT_INVALID') && err.message.includes('settings.jwtAudience'),
      String(bad),
    );
  }
  assert.equal(
    mergeSettings(defaultTenantSettings(), { jwtAudience: 'http://127.0.0.1:4000' }).jwtAudience,
    'http://127.0.0.1:4000',
  );
});

void test('nudges: off by default, set key by key, quiet hours removable, unknown zones and bad times refused', () => {
  const base = defaultTenantSettings();
  assert.equal(base.nudges, undefined);
  const on = mergeSettings(base, { nudges: { enabled: true, timeZone: 'Asia/Kolkata' } });
  const later = mergeSettings(on, { nudges: { quietHours: null } });
  assert.deepEqual(later.nudges, { enabled: true, timeZone: 'Asia/Kolkata', quietHours: null });
  for (const bad of [
    { timeZone: 'Mars/Olympus' },
    { quietHours: { start: '24:00', end: '07:00' } },
    { quietHours: { start: '7:00', end: '08:00' } },
    { maxReminders: -1 },
  ])
    assert.throws(
      () => mergeSettings(base, { nudges: bad }),
      (err) => isAppError(err, 'TENANT_INVALID') && err.message.includes('settings.nudges'),
      JSON.stringify(bad),
    );
});

void test('filing.externalIdField: set, kept by other filing changes, cleared by null or empty (--set filing.externalIdField=)', () => {
  const set = mergeSettings(defaultTenantSettings(), { filing: { externalIdField: 'Casebridge_Key__c' } });
  assert.equal(set.filing?.externalIdField, 'Casebridge_Key__c');
  const kept = mergeSettings(set, { filing: { assignment: 'none' } });
  assert.equal(kept.filing?.externalIdField, 'Casebridge_Key__c');
  for (const clear of [null, ''])
    assert.equal(
      'externalIdField' in (mergeSettings(kept, { filing: { externalIdField: clear } }).filing ?? {}),
      false,
    );
  assert.throws(
    () => mergeSettings(set, { filing: { externalIdField: 'Bad Field' } }),
    (err) => isAppError(err, 'TENANT_INVALID'),
  );
});
