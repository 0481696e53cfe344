// The tenant login lock (SessionRepository.withLoginLock) on PGlite and (when configured) PostgreSQL: one login at a
// time per tenant, tenants never wait for each other however many are logging in, and a dead holder's lease lapses.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { isAppError } from '../errors/app-error.js';
import { makeTenantRecord, storeBackends } from '../../test/helpers/store-test-kit.js';
import type { Store } from './open-store.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

for (const backend of storeBackends()) {
  describe(`tenant login lock on ${backend.name}`, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('eight tenants holding the lock do not delay a ninth tenant', async () => {
      const ids = Array.from({ length: 9 }, (_, i) => `busy-${i}`);
      for (const id of ids) await store.tenants.insert(makeTenantRecord(id));
      let holding = 0;
      const allHolding = deferred();
      // the eight hold their locks until the ninth has logged in: if it waited for any of them, it never would
      const release = deferred();
      const slow = ids.slice(0, 8).map((id) =>
        store.sessions.withLoginLock(id, async () => {
          // a slow token exchange that uses the store meanwhile, as a login does
          await store.sessions.get(id);
          if (++holding === 8) allHolding.resolve();
          await release.promise;
          return store.sessions.get(id);
        }),
      );
      await allHolding.promise;
      const NINTH = 'busy-8';
      const ninth = store.sessions
        .withLoginLock(NINTH, () => store.sessions.get(NINTH))
        .then(() => 'logged in');
      const giveUp = new AbortController();
      const stuck = sleep(15_000, 'still waiting for the other eight', { signal: giveUp.signal });
      const outcome = await Promise.race([ninth, stuck]);
      giveUp.abort();
      stuck.catch(() => undefined);
      release.resolve();
      await Promise.all(slow);
      assert.equal(outcome, 'logged in');
    });

    test('callers of one tenant run one after another; a failure releases the lock', async () => {
      await store.tenants.insert(makeTenantRecord('one'));
      const events: string[] = [];
      const login = (name: string) =>
        store.sessions.withLoginLock('one', async () => {
          events.push(`${name}:start`);
          await sleep(20);
          events.push(`${name}:end`);
        });
      await Promise.all([login('a'), login('b'), login('c')]);
      assert.deepEqual(events, ['a:start', 'a:end', 'b:start', 'b:end', 'c:start', 'c:end']);
      await assert.rejects(
        store.sessions.withLoginLock('one', () => Promise.reject(new Error('boom'))),
        /boom/,
      );
      const { rows } = await store.db.query('SELECT 1 FROM tenant_login_leases WHERE tenant_id = $1', [
        'one',
      ]);
      assert.equal(rows.length, 0, 'the lease is gone once its holder is done, failed or not');
      assert.equal(await store.sessions.withLoginLock('one', () => Promise.resolve('next')), 'next');
    });

    test('the lease of a holder that died is taken once it expires, not before', async () => {
      await store.tenants.insert(makeTenantRecord('orphan'));
      // What a process that crashed while holding the lock leaves behind: a lease nobody will release.
      await store.db.query(
        `INSERT INTO tenant_login_leases (tenant_id, owner, until)
         VALUES ($1, 'crashed-worker', now() + interval '400 milliseconds')`,
        ['orphan'],
      );
      const started = performance.now();
      const ran = await store.sessions.withLoginLock('orphan', () => Promise.resolve(performance.now()));
      const waited = ran - started;
      assert.ok(waited >= 300, `ran after ${Math.round(waited)} ms, while the dead holder's lease was live`);
      assert.ok(waited < 2000, `waited ${Math.round(waited)} ms for a lease of 400 ms`);
    });

    test(
      'a lease lasts as long as configured: a holder that outlives it no longer excludes others',
      { skip: backend.name !== 'postgres' && 'PGlite has one process: its in-process mutex alone decides' },
      async () => {
        const short = await backend.open({ loginLease: { ttlMs: 300 } });
        try {
          await short.tenants.insert(makeTenantRecord('hung'));
          const hung = deferred();
          const holder = short.sessions.withLoginLock('hung', () => hung.promise);
          await sleep(50);
          const started = performance.now();
          await store.sessions.withLoginLock('hung', () => Promise.resolve());
          const waited = performance.now() - started;
          assert.ok(waited >= 200 && waited < 2000, `taken after ${Math.round(waited)} ms`);
          hung.resolve();
          await holder;
        } finally {
          await short.close();
        }
      },
    );

    test('the lock of a tenant that does not exist fails with TENANT_NOT_FOUND', async () => {
      await assert.rejects(
        store.sessions.withLoginLock('nobody', () => Promise.resolve()),
        (err) => isAppError(err, 'TENANT_NOT_FOUND'),
      );
    });
  });
}
