// The bot API's rows on PGlite and (when configured) PostgreSQL: identity settings hold exactly one kind of key; a
// token id is accepted once until purged after its expiry; sessions are found by hash, touched, revoked once; a
// tenant's removal takes them along.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

for (const backend of storeBackends()) {
  describe(`bot identity rows on ${backend.name}`, () => {
    let store: Store;
    const clock = new TestClock();
    const session = (tokenHash: string, tenantId = 'bot') => ({
      tokenHash,
      tenantId,
      email: 'ada@example.com',
      contactId: '003000000000001AAA',
      name: 'Ada Ng',
      createdAt: clock.now().toISOString(),
      lastUsedAt: clock.now().toISOString(),
      expiresAt: new Date(clock.now().getTime() + 3_600_000).toISOString(),
      revokedAt: null,
    });
    before(async () => {
      store = await backend.open({ clock });
      await store.tenants.insert(makeTenantRecord('bot'));
      await store.tenants.insert(makeTenantRecord('gone'));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('identity settings: saved and replaced; a key and a JWKS URL together are refused', async () => {
      const settings = { tenantId: 'bot', issuer: 'i', audience: 'a', publicKeyPem: 'PEM', jwksUrl: null };
      await store.bot.identity.put(settings);
      await store.bot.identity.put({
        ...settings,
        publicKeyPem: null,
        jwksUrl: 'https://idp.example.com/jwks',
      });
      assert.deepEqual(await store.bot.identity.get('bot'), {
        ...settings,
        publicKeyPem: null,
        jwksUrl: 'https://idp.example.com/jwks',
      });
      await assert.rejects(store.bot.identity.put({ ...settings, jwksUrl: 'https://x.example.com' }));
      assert.equal(await store.bot.identity.get('gone'), null);
    });

    test('a token id is accepted once per tenant, and forgotten only after its expiry', async () => {
      const exp = new Date(clock.now().getTime() + 60_000);
      assert.equal(await store.bot.tokenIds.remember('bot', 'j1', exp), true);
      assert.equal(await store.bot.tokenIds.remember('bot', 'j1', exp), false);
      assert.equal(await store.bot.tokenIds.remember('gone', 'j1', exp), true);
      assert.equal(await store.bot.tokenIds.purgeExpired(), 0);
      clock.advance(61_000);
      assert.equal(await store.bot.tokenIds.purgeExpired(), 2);
      assert.equal(
        await store.bot.tokenIds.remember('bot', 'j1', new Date(clock.now().getTime() + 1000)),
        true,
      );
    });

    test('sessions: found by hash, touched, revoked once; a tenant removal takes its sessions', async () => {
      await store.bot.sessions.insert(session('h1'));
      await store.bot.sessions.insert(session('h2', 'gone'));
      const later = new Date(clock.now().getTime() + 5000).toISOString();
      await store.bot.sessions.touch('h1', later);
      assert.deepEqual(await store.bot.sessions.get('h1'), { ...session('h1'), lastUsedAt: later });
      assert.equal(await store.bot.sessions.revoke('h1', later), true);
      assert.equal(await store.bot.sessions.revoke('h1', later), false);
      assert.equal((await store.bot.sessions.get('h1'))?.revokedAt, later);
      await store.tenants.delete('gone');
      assert.equal(await store.bot.sessions.get('h2'), null);
      assert.equal(await store.bot.sessions.get('nope'), null);
    });
  });
}
