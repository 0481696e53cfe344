// The store's repositories, on PGlite and (when configured) PostgreSQL: what services rely on them to do.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { isAppError } from '../errors/app-error.js';
import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

for (const backend of storeBackends()) {
  describe(`store repositories on ${backend.name}`, () => {
    const clock = new TestClock();
    let store: Store;
    before(async () => {
      store = await backend.open({ clock });
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('a tenant round-trips with its settings and keys', async () => {
      const tenant = makeTenantRecord('rt');
      tenant.settings.caseDefaults = { Origin: 'Chat', Priority: 'High' };
      await store.tenants.insert(tenant);
      assert.deepEqual(await store.tenants.get('rt'), tenant);
      const patch = {
        instanceUrl: 'https://acme.my.salesforce.com',
        settings: { ...tenant.settings, caseDefaults: { Origin: 'Web' } },
        pendingKey: { ...tenant.activeKey!, fingerprint: 'EF:01' },
        updatedAt: '2026-11-25T00:00:00.000Z',
      };
      await store.tenants.update('rt', patch);
      assert.deepEqual(await store.tenants.get('rt'), { ...tenant, ...patch });
      await store.tenants.update('rt', { pendingKey: null, name: 'Renamed' });
      assert.deepEqual(await store.tenants.get('rt'), {
        ...tenant,
        ...patch,
        pendingKey: null,
        name: 'Renamed',
      });
      assert.ok((await store.tenants.list()).some((t) => t.id === 'rt'));
      assert.equal(await store.tenants.get('nobody'), null);
    });

    test('adding a tenant twice fails with TENANT_EXISTS; updating a missing one with TENANT_NOT_FOUND', async () => {
      await store.tenants.insert(makeTenantRecord('dup'));
      await assert.rejects(store.tenants.insert(makeTenantRecord('dup')), (err) =>
        isAppError(err, 'TENANT_EXISTS'),
      );
      await assert.rejects(store.tenants.update('ghost', { name: 'Ghost' }), (err) =>
        isAppError(err, 'TENANT_NOT_FOUND'),
      );
      await assert.rejects(store.tenants.update('ghost', {}), (err) => isAppError(err, 'TENANT_NOT_FOUND'));
    });

    test('deleting a tenant deletes everything it owns and nothing of another tenant', async () => {
      for (const id of ['gone', 'kept']) {
        await store.tenants.insert(makeTenantRecord(id));
        await store.secrets.put(id, 'private_key', `env-${id}`);
        await store.sessions.put({
          tenantId: id,
          accessTokenEnvelope: 'e',
          instanceUrl: 'https://i',
          identityUrl: 'https://i/id/o/u',
          issuedAt: clock.now().toISOString(),
          generation: 1,
        });
        await store.pauses.pause(id, new Date('2026-11-25T00:00:00Z'), 'REQUEST_LIMIT_EXCEEDED');
        await store.audit.record({
          tenantId: id,
          at: clock.now().toISOString(),
          method: 'GET',
          path: '/x',
          status: 200,
          errorCode: null,
          durationMs: 5,
          apiUsed: 1,
          apiMax: 100,
          attempt: 1,
          purpose: null,
        });
        await store.cursors.save(id, 'cases', { modstamp: '2026-11-24T00:00:00.000Z', id: '500a' });
        await store.outbox.enqueue({ tenantId: id, kind: 'notify', idempotencyKey: 'k1', payload: { a: 1 } });
        await store.processed.markProcessed(id, '00a000000000001', 'comment');
      }
      await store.tenants.delete('gone');
      assert.equal(await store.tenants.get('gone'), null);
      assert.equal(await store.secrets.get('gone', 'private_key'), null);
      assert.equal(await store.sessions.get('gone'), null);
      assert.equal(await store.pauses.get('gone'), null);
      assert.equal((await store.audit.summary('gone', new Date(0))).calls, 0);
      assert.equal(await store.cursors.get('gone', 'cases'), null);
      assert.equal(await store.processed.isProcessed('gone', '00a000000000001', 'comment'), false);
      assert.equal((await store.outbox.claim(10, { tenantId: 'gone' })).length, 0);

      assert.equal(await store.secrets.get('kept', 'private_key'), 'env-kept');
      assert.ok(await store.sessions.get('kept'));
      assert.ok(await store.pauses.get('kept'));
      assert.equal((await store.audit.summary('kept', new Date(0))).calls, 1);
      assert.ok(await store.cursors.get('kept', 'cases'));
      assert.equal(await store.processed.isProcessed('kept', '00a000000000001', 'comment'), true);
    });

    test('secrets: put overwrites, replace is compare-and-swap', async () => {
      await store.tenants.insert(makeTenantRecord('sec'));
      await store.secrets.put('sec', 'private_key', 'v1');
      await store.secrets.put('sec', 'private_key', 'v2');
      assert.equal(await store.secrets.get('sec', 'private_key'), 'v2');
      assert.equal(
        await store.secrets.replace({ tenantId: 'sec', name: 'private_key', envelope: 'v3' }, 'v1'),
        false,
      );
      assert.equal(
        await store.secrets.get('sec', 'private_key'),
        'v2',
        'a stale expectation changes nothing',
      );
      assert.equal(
        await store.secrets.replace({ tenantId: 'sec', name: 'private_key', envelope: 'v3' }, 'v2'),
        true,
      );
      assert.equal(await store.secrets.get('sec', 'private_key'), 'v3');
      assert.equal(
        await store.secrets.replace({ tenantId: 'sec', name: 'password', envelope: 'x' }, 'v3'),
        false,
      );
      assert.ok((await store.secrets.list()).some((s) => s.tenantId === 'sec' && s.envelope === 'v3'));
      await store.secrets.delete('sec', 'private_key');
      assert.equal(await store.secrets.get('sec', 'private_key'), null);
    });

    test('sessions: put replaces, clear removes; withLoginLock runs one login at a time per tenant', async () => {
      await store.tenants.insert(makeTenantRecord('ses'));
      const session = {
        tenantId: 'ses',
        accessTokenEnvelope: 'e1',
        instanceUrl: 'https://i',
        identityUrl: 'https://i/id/o/u',
        issuedAt: '2026-11-24T12:00:00.000Z',
        generation: 1,
      };
      await store.sessions.put(session);
      await store.sessions.put({ ...session, accessTokenEnvelope: 'e2', generation: 2 });
      assert.deepEqual(await store.sessions.get('ses'), {
        ...session,
        accessTokenEnvelope: 'e2',
        generation: 2,
      });

      const events: string[] = [];
      const login = (name: string) =>
        store.sessions.withLoginLock('ses', async () => {
          events.push(`${name}:start`);
          const current = await store.sessions.get('ses');
          await new Promise((resolve) => setTimeout(resolve, 30));
          await store.sessions.put({ ...session, generation: (current?.generation ?? 0) + 1 });
          events.push(`${name}:end`);
          return name;
        });
      assert.deepEqual(await Promise.all([login('a'), login('b')]), ['a', 'b']);
      assert.deepEqual(events, ['a:start', 'a:end', 'b:start', 'b:end']);
      assert.equal((await store.sessions.get('ses'))?.generation, 4);
      await assert.rejects(
        store.sessions.withLoginLock('ses', () => Promise.reject(new Error('boom'))),
        /boom/,
      );
      assert.equal(
        await store.sessions.withLoginLock('ses', () => Promise.resolve('after a failure')),
        'after a failure',
      );
      await store.sessions.clear('ses');
      assert.equal(await store.sessions.get('ses'), null);
    });

    test('API audit: summary counts calls since a time and gives the latest usage; purge removes old rows', async () => {
      const entry = {
        tenantId: 'aud',
        method: 'GET',
        path: '/services/data/v66.0/query?q=?',
        status: 200,
        errorCode: null,
        durationMs: 12.6,
        attempt: 1,
        purpose: 'knowledge-sync',
      };
      await store.audit.record({ ...entry, at: '2026-11-23T10:00:00.000Z', apiUsed: 10, apiMax: 15000 });
      await store.audit.record({ ...entry, at: '2026-11-24T10:00:00.000Z', apiUsed: 40, apiMax: 15000 });
      await store.audit.record({
        ...entry,
        at: '2026-11-24T11:00:00.000Z',
        apiUsed: null,
        apiMax: null,
        status: null,
        errorCode: 'ECONNRESET',
      });
      await store.audit.record({
        ...entry,
        tenantId: 'other-aud',
        at: '2026-11-24T11:30:00.000Z',
        apiUsed: 99,
        apiMax: 100,
      });
      assert.deepEqual(await store.audit.summary('aud', new Date('2026-11-24T00:00:00Z')), {
        tenantId: 'aud',
        calls: 2,
        since: '2026-11-24T00:00:00.000Z',
        lastApiUsed: 40,
        lastApiMax: 15000,
      });
      const listed = await store.audit.list('aud', { since: new Date('2026-11-24T00:00:00Z') });
      assert.deepEqual(
        listed.map((e) => [e.at, e.status, e.errorCode, e.durationMs]),
        [
          ['2026-11-24T10:00:00.000Z', 200, null, 13],
          ['2026-11-24T11:00:00.000Z', null, 'ECONNRESET', 13],
        ],
      );
      assert.equal((await store.audit.list('aud', { limit: 1 })).length, 1);
      assert.equal(await store.audit.purgeBefore(new Date('2026-11-24T00:00:00Z')), 1);
      assert.equal((await store.audit.summary('aud', new Date(0))).calls, 2);
    });

    test('pauses: pause, read back, clear', async () => {
      await store.tenants.insert(makeTenantRecord('pau'));
      await store.pauses.pause('pau', new Date('2026-11-25T00:00:00Z'), 'REQUEST_LIMIT_EXCEEDED');
      await store.pauses.pause('pau', new Date('2026-11-25T01:00:00Z'), 'REQUEST_LIMIT_EXCEEDED again');
      assert.deepEqual(await store.pauses.get('pau'), {
        until: '2026-11-25T01:00:00.000Z',
        reason: 'REQUEST_LIMIT_EXCEEDED again',
      });
      await store.pauses.clear('pau');
      assert.equal(await store.pauses.get('pau'), null);
    });

    test('a cursor saved in a unit of work is rolled back with the work it covers', async () => {
      await store.tenants.insert(makeTenantRecord('cur'));
      await store.cursors.save('cur', 'cases', { modstamp: '2026-11-24T00:00:00.000Z', id: 'c1' });
      await assert.rejects(
        store.unitOfWork.run(async (tx) => {
          await tx.cursors.save('cur', 'cases', { modstamp: '2026-11-24T00:00:00.000Z', id: 'c2' });
          await tx.processed.markProcessed('cur', 'comment-1', 'comment');
          await tx.outbox.enqueue({ tenantId: 'cur', kind: 'notify', idempotencyKey: 'n1', payload: {} });
          throw new Error('relay failed');
        }),
        /relay failed/,
      );
      assert.equal((await store.cursors.get('cur', 'cases'))?.id, 'c1');
      assert.equal(await store.processed.isProcessed('cur', 'comment-1', 'comment'), false);
      assert.equal(
        (await store.outbox.enqueue({ tenantId: 'cur', kind: 'notify', idempotencyKey: 'n1', payload: {} }))
          .created,
        true,
      );

      await store.unitOfWork.run(async (tx) => {
        await tx.cursors.save('cur', 'cases', { modstamp: '2026-11-24T00:00:00.000Z', id: 'c3' });
        await tx.cursors.save('cur', 'articles', { modstamp: '2026-11-24T00:00:00.000Z', id: 'a1' });
      });
      assert.deepEqual(
        (await store.cursors.list('cur')).map((c) => [c.stream, c.cursor.id, c.updatedAt]),
        [
          ['articles', 'a1', clock.now().toISOString()],
          ['cases', 'c3', clock.now().toISOString()],
        ],
      );
    });

    test('processed events: the same source id is processed once per tenant', async () => {
      await store.tenants.insert(makeTenantRecord('pe1'));
      await store.tenants.insert(makeTenantRecord('pe2'));
      assert.equal(await store.processed.markProcessed('pe1', '00aXX0000001', 'comment'), true);
      assert.equal(await store.processed.markProcessed('pe1', '00aXX0000001', 'comment'), false);
      assert.equal(await store.processed.markProcessed('pe2', '00aXX0000001', 'comment'), true);
      // The kind is part of the key: a case change and a comment may share a source id.
      assert.equal(await store.processed.isProcessed('pe1', '00aXX0000001', 'case-change'), false);
      assert.equal(await store.processed.markProcessed('pe1', '00aXX0000001', 'case-change'), true);
      assert.equal(await store.processed.isProcessed('pe1', '00aXX0000001', 'comment'), true);
      // A duplicate inside a transaction must not abort it (PostgreSQL aborts on a caught unique violation).
      await store.unitOfWork.run(async (tx) => {
        assert.equal(await tx.processed.markProcessed('pe1', '00aXX0000001', 'comment'), false);
        await tx.cursors.save('pe1', 'comments', {
          modstamp: '2026-11-24T00:00:00.000Z',
          id: 'after-duplicate',
        });
      });
      assert.equal((await store.cursors.get('pe1', 'comments'))?.id, 'after-duplicate');
    });
  });
}
