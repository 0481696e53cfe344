// The API audit log is written in batches, yet nothing recorded is lost: rows reach the store on their own within
// the flush interval, before any read of the log, and when the store closes.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ApiAuditEntry } from '../domain/ports.js';
import { silentLogger } from '../logging/logger.js';
import { openStore, type Store } from './open-store.js';
import { storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

const entry = (tenantId: string, attempt: number): ApiAuditEntry => ({
  tenantId,
  at: '2026-11-24T12:00:00.000Z',
  method: 'GET',
  path: '/services/data/v66.0/query?q=SELECT+Id+FROM+Case',
  status: 200,
  errorCode: null,
  durationMs: 3,
  apiUsed: attempt,
  apiMax: 15000,
  attempt,
  purpose: 'test',
});

async function countRows(
  store: { db: { query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }> } },
  tenantId: string,
): Promise<number> {
  const result = await store.db.query('SELECT count(*)::int AS n FROM api_audit WHERE tenant_id = $1', [
    tenantId,
  ]);
  return (result.rows[0] as { n: number }).n;
}

for (const backend of storeBackends()) {
  describe(`buffered API audit on ${backend.name}`, () => {
    test('rows land by themselves within the flush interval, in one batch when many', async () => {
      const store = await backend.open({ auditBuffer: { flushMs: 20, maxRows: 50 } });
      try {
        for (let i = 1; i <= 120; i += 1) await store.audit.record(entry('buf', i));
        await new Promise((resolve) => setTimeout(resolve, 100));
        assert.equal(await countRows(store, 'buf'), 120);
      } finally {
        await store.close();
      }
    });

    test('token and revoke requests are kept in the log but are not API calls against the allocation', async () => {
      const store = await backend.open();
      try {
        await store.audit.record(entry('oauth', 1));
        await store.audit.record({
          ...entry('oauth', 2),
          method: 'POST',
          path: '/services/oauth2/token',
          apiUsed: null,
        });
        await store.audit.record({
          ...entry('oauth', 3),
          method: 'POST',
          path: '/services/oauth2/revoke',
          apiUsed: null,
        });
        const summary = await store.audit.summary('oauth', new Date(0));
        assert.equal(summary.calls, 1);
        assert.equal(summary.lastApiUsed, 1, 'usage comes from the last row that reported it');
        assert.equal((await store.audit.list('oauth', {})).length, 3);
      } finally {
        await store.close();
      }
    });

    test('a read of the log sees every row recorded before it; close writes what is pending', async () => {
      // PGlite on a real directory (in memory it would vanish on close), so the rows can be counted after reopening
      const dataDir = mkdtempSync(join(tmpdir(), 'casebridge-audit-'));
      const open = (): Promise<Store> =>
        backend.name === 'postgres'
          ? backend.open({ auditBuffer: { flushMs: 60_000, maxRows: 10_000 } })
          : openStore(
              { dataDir, store: { kind: 'pglite' } },
              {
                log: silentLogger(),
                clock: new TestClock(),
                auditBuffer: { flushMs: 60_000, maxRows: 10_000 },
              },
            );
      const store = await open();
      await store.audit.record(entry('read', 1));
      await store.audit.record(entry('read', 2));
      assert.equal((await store.audit.summary('read', new Date(0))).calls, 2);
      await store.audit.record(entry('read', 3));
      assert.equal(await countRows(store, 'read'), 2, 'the third row is still buffered');
      await store.close();
      const again = await open();
      try {
        assert.equal(await countRows(again, 'read'), 3);
      } finally {
        await again.close();
      }
    });
  });
}
