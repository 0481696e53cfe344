// Tenant lifecycle as an operator sees it: add, show without secrets, update, two-phase key rotation, remove.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import { silentLogger } from '../logging/logger.js';
import { FakeKeyFactory, FakeSecretBox } from '../../test/fakes/fake-crypto.js';
import { FixedClock } from '../../test/fakes/fixed-clock.js';
import { memoryTenantStore } from '../../test/fakes/memory-tenant-store.js';
import { TenantService } from './tenant-service.js';

function setup(revokeFails = false) {
  const store = memoryTenantStore();
  const revoked: string[] = [];
  const sut = new TenantService({
    ...store,
    box: new FakeSecretBox(),
    keys: new FakeKeyFactory(),
    revoker: {
      revoke: (id) => {
        revoked.push(id);
        return revokeFails ? Promise.reject(new Error('org unreachable')) : Promise.resolve();
      },
    },
    clock: new FixedClock(),
    log: silentLogger(),
  });
  return { sut, store, revoked };
}

const acme = {
  id: 'acme',
  loginUrl: 'https://login.salesforce.com/',
  consumerKey: '3MVG9consumerkeyacme',
  username: 'casebridge@acme.example.com',
};

test('adding a tenant generates a key, seals it, and returns the certificate to upload', async () => {
  const { sut, store } = setup();
  const { tenant, certificatePem, generatedKey } = await sut.add({
    ...acme,
    consumerSecret: 'shh-secret',
    password: 'pw123',
  });
  assert.equal(generatedKey, true);
  assert.match(certificatePem, /BEGIN CERTIFICATE/);
  assert.equal(
    tenant.loginUrl,
    'https://login.salesforce.com',
    'trailing slash removed: it is the JWT audience',
  );
  assert.equal(tenant.hasConsumerSecret, true);
  assert.equal(tenant.hasPassword, true);
  const shown = JSON.stringify(await sut.show('acme'));
  assert.ok(!shown.includes('shh-secret') && !shown.includes('pw123') && !shown.includes('PRIVATE KEY'));
  for (const row of store.secrets.rows.values()) assert.ok(!row.envelope.includes('shh-secret'));
  const { privateKeyPem } = await sut.signingKey('acme');
  assert.match(privateKeyPem, /BEGIN PRIVATE KEY/);
});

test('bad input is refused with TENANT_INVALID naming every bad field', async () => {
  const { sut } = setup();
  await assert.rejects(
    sut.add({ id: 'Bad Id', loginUrl: 'http://login.salesforce.com', consumerKey: 'x', username: 'nope' }),
    (err) => {
      assert.ok(isAppError(err, 'TENANT_INVALID'));
      const paths = (err.details?.['issues'] as { path: string }[]).map((i) => i.path).sort();
      assert.deepEqual(paths, ['consumerKey', 'id', 'loginUrl', 'username']);
      return true;
    },
  );
  await sut.add(acme);
  await assert.rejects(sut.add(acme), (err) => isAppError(err, 'TENANT_EXISTS'));
  await assert.rejects(sut.update('acme', { settings: { apiBudgetShare: 3 } }), (err) =>
    isAppError(err, 'TENANT_INVALID'),
  );
});

test('changing the username clears the shared session so no one uses a token minted for someone else', async () => {
  const { sut, store } = setup();
  await sut.add(acme);
  await store.sessions.put({
    tenantId: 'acme',
    accessTokenEnvelope: 'x',
    instanceUrl: 'https://acme.my.salesforce.com',
    identityUrl: 'https://acme.my.salesforce.com/id/00D/005',
    issuedAt: '2026-11-24T12:00:00.000Z',
    generation: 1,
  });
  await sut.update('acme', { settings: { apiVersion: '64.0' } });
  assert.ok(await store.sessions.get('acme'), 'a settings change keeps the session');
  const updated = await sut.update('acme', { username: 'other@acme.example.com' });
  assert.equal(updated.username, 'other@acme.example.com');
  assert.equal(await store.sessions.get('acme'), null);
});

test('key rotation is two-phase: the pending key becomes active only once proven', async () => {
  const { sut } = setup();
  const { tenant } = await sut.add(acme);
  const { key } = await sut.startKeyRotation('acme');
  assert.notEqual(key.fingerprint, tenant.activeKey?.fingerprint);
  await assert.rejects(sut.commitKeyRotation('acme'), (err) =>
    isAppError(err, 'TENANT_PENDING_KEY_UNPROVEN'),
  );
  await sut.markKeyProven('acme', 'pending');
  const active = await sut.commitKeyRotation('acme');
  assert.equal(active.fingerprint, key.fingerprint);
  assert.equal((await sut.show('acme')).pendingKey, null);
  await assert.rejects(sut.commitKeyRotation('acme'), (err) => isAppError(err, 'TENANT_NO_PENDING_KEY'));
});

test('removing a tenant revokes its token and erases its keys, even when the org cannot be reached', async () => {
  const { sut, store, revoked } = setup(true);
  await sut.add(acme);
  const result = await sut.remove('acme');
  assert.deepEqual(revoked, ['acme']);
  assert.equal(result.revoked, false);
  assert.equal(store.secrets.rows.size, 0);
  await assert.rejects(sut.show('acme'), (err) => isAppError(err, 'TENANT_NOT_FOUND'));
});

test('a failure between writing the tenant and its key leaves neither, so the tenant can be added again', async () => {
  const { sut, store } = setup();
  const put = store.secrets.put.bind(store.secrets);
  let failOnce = true;
  store.secrets.put = (tenantId, name, envelope) => {
    if (failOnce && name === 'private_key') {
      failOnce = false;
      return Promise.reject(new Error('store went away'));
    }
    return put(tenantId, name, envelope);
  };
  await assert.rejects(sut.add(acme), /store went away/);
  await assert.rejects(sut.show('acme'), (err) => isAppError(err, 'TENANT_NOT_FOUND'));
  assert.equal(store.secrets.rows.size, 0);
  await sut.add(acme);
  assert.match((await sut.signingKey('acme')).privateKeyPem, /BEGIN PRIVATE KEY/);
});

test('a key switch that fails midway keeps the old key, its description and the pending key', async () => {
  const { sut, store } = setup();
  const { tenant } = await sut.add(acme);
  await sut.startKeyRotation('acme');
  await sut.markKeyProven('acme', 'pending');
  const before = await sut.show('acme');
  const oldKey = (await sut.signingKey('acme')).privateKeyPem;
  const update = store.tenants.update.bind(store.tenants);
  store.tenants.update = () => Promise.reject(new Error('crashed before the row'));
  await assert.rejects(sut.commitKeyRotation('acme'), /crashed before the row/);
  store.tenants.update = update;
  assert.deepEqual(await sut.show('acme'), before);
  assert.equal((await sut.signingKey('acme')).privateKeyPem, oldKey);
  assert.equal((await sut.show('acme')).activeKey?.fingerprint, tenant.activeKey?.fingerprint);
  assert.ok((await sut.signingKey('acme', 'pending')).privateKeyPem);
});

test('recording the instance URL or a proven key changes only that field, and an admin update keeps them', async () => {
  const { sut } = setup();
  await sut.add(acme);
  await sut.update('acme', { name: 'Acme Corp', settings: { apiVersion: '64.0' } });
  await sut.recordInstanceUrl('acme', 'https://acme.my.salesforce.com');
  await sut.markKeyProven('acme', 'active');
  const shown = await sut.show('acme');
  assert.equal(shown.name, 'Acme Corp');
  assert.equal(shown.settings.apiVersion, '64.0');
  assert.equal(shown.instanceUrl, 'https://acme.my.salesforce.com');
  assert.ok(shown.activeKey?.provenAt);
  // and an admin update keeps what logins and doctor recorded
  await sut.update('acme', { name: 'Acme' });
  assert.equal((await sut.show('acme')).instanceUrl, 'https://acme.my.salesforce.com');
  assert.ok((await sut.show('acme')).activeKey?.provenAt);
});
