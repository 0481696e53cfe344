// PostgreSQL-only store behaviour, where several processes share one database: migrations run once when workers
// start together, and the login lock serialises logins across connection pools. Skipped without a test database.

import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';

import { silentLogger } from '../logging/logger.js';
import { migrate } from './migrate.js';
import { MIGRATIONS } from './migrations/index.js';
import { openStore, type Store } from './open-store.js';
import { PostgresDb } from './postgres-db.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

const backend = storeBackends().find((b) => b.name === 'postgres');

describe(
  'store on PostgreSQL shared by several workers',
  { skip: backend === undefined && 'CASEBRIDGE_TEST_DATABASE_URL is not set' },
  () => {
    const pgInfo = backend?.postgres ?? { url: '', schema: '' };
    after(async () => {
      await backend?.dispose();
    });

    test('workers starting together migrate once', async () => {
      const schema = `${pgInfo.schema}_mig`;
      const admin = new PostgresDb({ url: pgInfo.url });
      await admin.query(`CREATE SCHEMA "${schema}"`);
      const dbs = [1, 2, 3].map(() => new PostgresDb({ url: pgInfo.url, schema }));
      try {
        const applied = await Promise.all(dbs.map((db) => migrate(db, silentLogger())));
        assert.deepEqual(
          applied.flat().sort(),
          MIGRATIONS.map((m) => m.id).sort(),
          'each migration applied by exactly one worker',
        );
        const { rows } = await admin.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM "${schema}".schema_migrations`,
        );
        assert.equal(rows[0]?.n, MIGRATIONS.length);
        const stores = await Promise.all(
          [1, 2].map(() =>
            openStore(
              { dataDir: '/nonexistent', store: { kind: 'postgres', url: pgInfo.url } },
              { log: silentLogger(), clock: new TestClock(), schema },
            ),
          ),
        );
        await Promise.all(stores.map((s) => s.close()));
      } finally {
        await Promise.all(dbs.map((db) => db.close()));
        await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
        await admin.close();
      }
    });

    test('two workers (two pools) asking for the login lock log in one after the other', async () => {
      const open = (): Promise<Store> => backend!.open();
      const [a, b] = [await open(), await open()];
      try {
        await a.tenants.insert(makeTenantRecord('lock'));
        const events: string[] = [];
        const login = (store: Store, name: string) =>
          store.sessions.withLoginLock('lock', async () => {
            events.push(`${name}:start`);
            const before = await store.sessions.get('lock');
            await new Promise((resolve) => setTimeout(resolve, 150));
            await store.sessions.put({
              tenantId: 'lock',
              accessTokenEnvelope: name,
              instanceUrl: 'https://i',
              identityUrl: 'https://i/id/o/u',
              issuedAt: '2026-11-24T12:00:00.000Z',
              generation: (before?.generation ?? 0) + 1,
            });
            events.push(`${name}:end`);
          });
        await Promise.all([login(a, 'a'), login(b, 'b'), login(a, 'a2'), login(b, 'b2')]);
        for (let i = 0; i < events.length; i += 2) {
          assert.equal(
            events[i]?.split(':')[0],
            events[i + 1]?.split(':')[0],
            `no interleaving: ${events.join(' ')}`,
          );
        }
        assert.equal((await a.sessions.get('lock'))?.generation, 4, 'each login saw the one before it');
        // A different tenant is not blocked by this one's lock.
        await a.tenants.insert(makeTenantRecord('other-lock'));
        let otherRan = false;
        await a.sessions.withLoginLock('lock', async () => {
          await b.sessions.withLoginLock('other-lock', () => {
            otherRan = true;
            return Promise.resolve();
          });
        });
        assert.equal(otherRan, true);
      } finally {
        await a.close();
        await b.close();
      }
    });

    test('more concurrent logins than pool connections still all finish', async () => {
      const store = await backend!.open();
      try {
        const tenants = Array.from({ length: 24 }, (_, i) => `many-${i}`);
        for (const id of tenants) await store.tenants.insert(makeTenantRecord(id));
        const done = await Promise.all(
          tenants.map((id) =>
            store.sessions.withLoginLock(id, async () => {
              await store.sessions.get(id);
              await new Promise((resolve) => setTimeout(resolve, 50));
              return (await store.sessions.get(id)) === null;
            }),
          ),
        );
        assert.equal(done.filter(Boolean).length, tenants.length);
      } finally {
        await store.close();
      }
    });

    test('concurrent outbox claimers never take the same message', async () => {
      const [a, b] = [await backend!.open(), await backend!.open()];
      try {
        await a.tenants.insert(makeTenantRecord('claim'));
        for (let i = 0; i < 40; i += 1)
          await a.outbox.enqueue({
            tenantId: 'claim',
            kind: 'notify',
            idempotencyKey: `m${i}`,
            payload: { i },
          });
        // SKIP LOCKED lets a claimer come back short while another holds the rows it ranked first; that is
        // allowed (the next claim takes them), a message claimed twice is not. Claim concurrently until drained.
        const ids: string[] = [];
        for (let round = 0; round < 20 && ids.length < 40; round += 1) {
          const batches = await Promise.all(
            [a, b, a, b].map((s) => s.outbox.claim(15, { tenantId: 'claim' })),
          );
          ids.push(...batches.flat().map((m) => m.id));
        }
        assert.equal(new Set(ids).size, ids.length, 'no message claimed twice');
        assert.equal(ids.length, 40, 'every message claimed once the claimers drained the outbox');
      } finally {
        await a.close();
        await b.close();
      }
    });
  },
);
