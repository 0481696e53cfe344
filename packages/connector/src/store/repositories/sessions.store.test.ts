// The session repository on PGlite and (when configured) PostgreSQL: clearing keeps the generation (no number is
// ever reused), and master-key rotation can list sessions and swap their sealed token with compare-and-swap.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { StoredSession } from '../../domain/ports.js';
import type { Store } from '../open-store.js';
import { makeTenantRecord, storeBackends } from '../../../test/helpers/store-test-kit.js';

function session(tenantId: string, overrides: Partial<StoredSession> = {}): StoredSession {
  return {
    tenantId,
    accessTokenEnvelope: `v1.k1.${tenantId}-sealed`,
    instanceUrl: 'https://acme.my.salesforce.com',
    identityUrl: 'https://login.salesforce.com/id/00D000000000001AAA/005000000000001AAA',
    issuedAt: '2026-11-24T12:00:00.000Z',
    generation: 1,
    ...overrides,
  };
}

for (const backend of storeBackends()) {
  describe(`session repository on ${backend.name}`, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
      for (const id of ['gen', 'rot-a', 'rot-b', 'rot-c']) await store.tenants.insert(makeTenantRecord(id));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('clear forgets the session but keeps its generation; the next session numbers above it', async () => {
      assert.equal(await store.sessions.lastGeneration('gen'), 0);
      await store.sessions.put(session('gen', { generation: 4 }));
      await store.sessions.clear('gen');
      assert.equal(await store.sessions.get('gen'), null);
      assert.equal(await store.sessions.lastGeneration('gen'), 4);
      assert.ok(
        !(await store.sessions.list()).some((s) => s.tenantId === 'gen'),
        'a cleared one is not listed',
      );
      assert.equal(
        await store.sessions.replace(session('gen', { accessTokenEnvelope: 'x' }), ''),
        false,
        'a cleared session cannot be swapped back in',
      );
      await store.sessions.put(session('gen', { generation: 5 }));
      assert.equal((await store.sessions.get('gen'))?.generation, 5);
      await store.tenants.delete('gen');
      assert.equal(await store.sessions.lastGeneration('gen'), 0, 'a removed tenant takes its row along');
    });

    test('list returns every stored session; replace swaps the envelope only while it is still the expected one', async () => {
      await store.sessions.put(session('rot-a'));
      await store.sessions.put(session('rot-b', { generation: 3 }));
      assert.deepEqual(
        (await store.sessions.list())
          .filter((s) => s.tenantId.startsWith('rot-'))
          .map((s) => [s.tenantId, s.accessTokenEnvelope, s.generation]),
        [
          ['rot-a', 'v1.k1.rot-a-sealed', 1],
          ['rot-b', 'v1.k1.rot-b-sealed', 3],
        ],
      );
      const resealed = session('rot-b', { accessTokenEnvelope: 'v1.k2.rot-b-resealed', generation: 3 });
      assert.equal(await store.sessions.replace(resealed, 'v1.k1.rot-b-sealed'), true);
      assert.equal(await store.sessions.replace(resealed, 'v1.k1.rot-b-sealed'), false, 'no longer expected');
      assert.deepEqual(await store.sessions.get('rot-b'), resealed);
      assert.equal(await store.sessions.replace(session('rot-c'), 'v1.k1.rot-c-sealed'), false, 'no row');
    });
  });
}
