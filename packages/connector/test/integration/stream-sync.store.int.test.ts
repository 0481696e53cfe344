// Incremental sync against the emulator over HTTP, on PGlite and (when configured) PostgreSQL: 5,000 rows sharing
// one SystemModstamp read in pages of 200, none lost or repeated; a row committed late inside the overlap window;
// a crash between a page and its cursor save; a ledger purge that delivers nothing again.

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import { recordChangeKey } from '../../src/domain/event-keys.js';
import type { SupportCase } from '../../src/domain/support.js';
import type { ReadWindow } from '../../src/domain/sync-cursor.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { JsforceSalesforceGateway } from '../../src/salesforce/gateway.js';
import type { Store } from '../../src/store/open-store.js';
import { salesforceStack } from '../helpers/salesforce-stack.js';
import { makeTenantRecord, storeBackends } from '../helpers/store-test-kit.js';
import { FixedClock } from '../fakes/fixed-clock.js';
import { purgeProcessedEvents, syncStream, type StreamSpec } from '../../src/services/stream-sync.js';

const TIES = 5_000;
let em: StartedEmulator;
let gateway: JsforceSalesforceGateway;
/** the instant every tie row shares (whole seconds, as Salesforce stamps) */
let tieAt: Date;

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-stream-sync-')) });
  gateway = salesforceStack(em).gateway;
  await gateway.identity(); // log in while the emulator clock is the real one
  tieAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000);
  em.emulator.clock.set(tieAt);
  const userId = em.demo?.integrationUserId ?? '';
  for (let i = 0; i < TIES; i += 1)
    em.org.data.insert('Case', { Subject: `tie ${i}`, Status: 'New', Origin: 'Web' }, userId);
  em.emulator.clock.release();
});
after(async () => {
  await em.close();
});

/** inserts a case as if its transaction had started at `at` and committed only now */
function commitLate(subject: string, at: Date): string {
  return em.emulator.clock.during(at, () =>
    em.org.data.insert(
      'Case',
      { Subject: subject, Status: 'New', Origin: 'Web' },
      em.demo?.integrationUserId ?? '',
    ),
  );
}

for (const backend of storeBackends()) {
  describe(`stream sync against the emulator on ${backend.name}`, () => {
    let store: Store;
    // Our clock a minute after the ties: the look-back (10 min) reaches them but not the demo org's history.
    const clock = new FixedClock(new Date(Date.now() + 60_000).toISOString());
    const window: ReadWindow = { lookBackMs: 10 * 60_000, overlapMs: 2 * 60_000 };
    const tenantId = 'demo';

    const spec = (
      stream: string,
      onItem: (item: SupportCase) => void = () => undefined,
    ): StreamSpec<SupportCase> => ({
      tenantId,
      stream,
      kind: `${stream}-change`,
      window,
      pageSize: 200,
      read: (read) => gateway.casesModifiedSince(read),
      eventOf: (c) => ({ key: recordChangeKey(c), at: c.modstamp }),
      handle: async (tx, c) => {
        onItem(c);
        // A fresh key per delivery: a case delivered twice would show up as two messages.
        await tx.outbox.enqueue({
          tenantId,
          kind: `${stream}-change`,
          idempotencyKey: randomUUID(),
          payload: { caseId: c.id, subject: c.subject },
          orderingKey: c.id,
        });
      },
    });
    const deps = () => ({ unitOfWork: store.unitOfWork, cursors: store.cursors, clock, log: silentLogger() });
    async function delivered(kind: string): Promise<string[]> {
      const { rows } = await store.db.query<{ subject: string }>(
        `SELECT payload->>'subject' AS subject FROM outbox WHERE tenant_id = $1 AND kind = $2`,
        [tenantId, kind],
      );
      return rows.map((r) => r.subject);
    }

    before(async () => {
      store = await backend.open({ clock });
      await store.tenants.insert(makeTenantRecord(tenantId));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('5,000 rows sharing one SystemModstamp, pages of 200: each delivered once; a re-read delivers none', async () => {
      const first = await syncStream(deps(), spec('cases'));
      const subjects = await delivered('cases-change');
      const ties = subjects.filter((s) => s.startsWith('tie '));
      assert.equal(ties.length, TIES, 'none lost');
      assert.equal(new Set(ties).size, TIES, 'none repeated');
      assert.ok(first.pages >= TIES / 200, `read in pages of 200 (${first.pages} pages)`);
      assert.equal(first.cursor?.modstamp, tieAt.toISOString());

      const again = await syncStream(deps(), spec('cases'));
      assert.equal(again.delivered, 0, 'the overlap re-read is dropped by the ledger');
      assert.ok(again.duplicates >= TIES);
      assert.deepEqual(again.cursor, first.cursor, 'the cursor never rewinds');
    });

    test('a row committed late, stamped inside the overlap window, is still seen, once', async () => {
      const cursor = await store.cursors.get(tenantId, 'cases');
      assert.ok(cursor);
      const subject = `late ${backend.name}`;
      commitLate(subject, new Date(Date.parse(cursor.modstamp) - 60_000));
      const report = await syncStream(deps(), spec('cases'));
      assert.equal(report.delivered, 1);
      assert.deepEqual(
        (await delivered('cases-change')).filter((s) => s === subject),
        [subject],
      );
      assert.equal((await syncStream(deps(), spec('cases'))).delivered, 0);
    });

    test('a crash between a page and its cursor save redoes that page: nothing lost, nothing twice', async () => {
      let handled = 0;
      await assert.rejects(
        syncStream(
          deps(),
          spec('crash', () => {
            handled += 1;
            // The worker dies while handling the last row of the 7th page, before the page's cursor is saved.
            if (handled === 7 * 200) throw new Error('worker killed');
          }),
        ),
        /worker killed/,
      );
      const saved = await store.cursors.get(tenantId, 'crash');
      assert.ok(saved, 'the six finished pages kept their cursor');
      const rest = await syncStream(deps(), spec('crash'));
      const ties = (await delivered('crash-change')).filter((s) => s.startsWith('tie '));
      assert.equal(ties.length, TIES);
      assert.equal(new Set(ties).size, TIES);
      assert.ok(rest.duplicates >= 6 * 200, 'the overlap re-read the committed pages and dropped them');
    });

    test('purging the ledger keeps what the overlap re-reads: re-reading delivers nothing again', async () => {
      // An entry of an event long before the cursor, processed long ago: the purge may drop it.
      await store.processed.markProcessed(
        tenantId,
        'old@2000-01-01T00:00:00.000Z',
        'cases-change',
        '2000-01-01T00:00:00.000Z',
      );
      clock.advance(31 * 24 * 3_600_000);
      const purged = await purgeProcessedEvents(
        { processed: store.processed, cursors: store.cursors, clock },
        tenantId,
        window,
      );
      assert.ok(purged >= 1);
      assert.equal(
        await store.processed.isProcessed(tenantId, 'old@2000-01-01T00:00:00.000Z', 'cases-change'),
        false,
      );
      const before = (await delivered('cases-change')).length;
      // A month on the look-back is irrelevant: the stream has a cursor; the overlap re-read is all deduplicated.
      const report = await syncStream(deps(), spec('cases'));
      assert.equal(report.delivered, 0);
      assert.equal((await delivered('cases-change')).length, before);
    });
  });
}
