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
