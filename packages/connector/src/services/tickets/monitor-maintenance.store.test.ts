// The maintenance job on the store: what ticket monitoring keeps, and for how long, as a user of `status` and of
// the webhook would notice it (a re-read event not relayed again, a delivered one not re-sent while remembered).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { WatchedCase } from '../../domain/tickets/case-change-source.js';
import { silentLogger } from '../../logging/logger.js';
import type { Store } from '../../store/open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../../test/helpers/store-test-kit.js';
import { OUTBOX_DONE_RETENTION_MS, runMonitorMaintenance } from './monitor-maintenance.js';

const DAY = 86_400_000;
const T = 'acme';

const watched = (id: string, isClosed: boolean): WatchedCase => ({
  id,
  number: id,
  subject: 's',
  description: null,
  status: isClosed ? 'Closed' : 'Working',
  isClosed,
  priority: null,
  origin: 'Web',
  employeeId: '003A',
  suppliedEmail: null,
  ownerId: null,
  createdAt: '2026-11-24T12:00:00.000Z',
  updatedAt: '2026-11-24T12:00:00.000Z',
  modstamp: '2026-11-24T12:00:00.000Z',
  lastModifiedById: null,
  deleted: false,
  mergedInto: null,
});

for (const backend of storeBackends()) {
  describe(`monitor maintenance on ${backend.name}`, () => {
    let store: Store;
    const clock = new TestClock();
    const run = () =>
      runMonitorMaintenance({
        tenants: store.tenants,
        processed: store.processed,
        cursors: store.cursors,
        outbox: store.outbox,
        snapshots: store.caseSnapshots,
        clock,
        log: silentLogger(),
      });
    before(async () => {
      store = await backend.open({ clock });
      await store.tenants.insert(makeTenantRecord(T));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('ledger kept 30 days, done messages a week longer (re-enqueue refused meanwhile), closed snapshots 30 days', async () => {
      const start = clock.now();
      await store.processed.markProcessed(T, '00a1:public', 'ticket-comment', start.toISOString());
      await store.outbox.enqueue({
        tenantId: T,
        kind: 'ticket-notification',
        idempotencyKey: 'e1',
        eventId: 'e1',
        orderingKey: '500A',
        payload: {},
      });
      const [claimed] = await store.outbox.claim(1, { kinds: ['ticket-notification'], leaseMs: 60_000 });
      assert.ok(claimed);
      assert.ok(await store.outbox.complete(claimed));
      await store.caseSnapshots.put({
        tenantId: T,
        caseId: '500CLOSED',
        snapshot: watched('500CLOSED', true),
        employee: { kind: 'employee', employeeId: '003A', via: 'contact' },
      });
      await store.caseSnapshots.put({
        tenantId: T,
        caseId: '500OPEN',
        snapshot: watched('500OPEN', false),
        employee: { kind: 'employee', employeeId: '003A', via: 'contact' },
      });

      clock.advance(29 * DAY);
      assert.deepEqual(
        await run(),
        { processedEvents: 0, doneMessages: 0, closedSnapshots: 0 },
        'nothing is old enough',
      );

      clock.advance(2 * DAY);
      // the streams moved on: the cursors lie well after the old event
      await store.cursors.save(T, 'ticket-comments', { modstamp: clock.now().toISOString(), id: '00a9' });
      const day31 = await run();
      assert.equal(day31.processedEvents, 1, 'the ledger forgets after 30 days');
      assert.equal(day31.closedSnapshots, 1, 'the closed case is no longer watched');
      assert.equal(day31.doneMessages, 0, 'the delivered message outlives the ledger entry');
      assert.equal(await store.caseSnapshots.count(T), 1, 'the open case stays watched, however quiet');
      const again = await store.outbox.enqueue({
        tenantId: T,
        kind: 'ticket-notification',
        idempotencyKey: 'e1',
        eventId: 'e1',
        orderingKey: '500A',
        payload: {},
      });
      assert.equal(again.created, false, 'the same event is refused: the receiver is not sent it twice');

      clock.advance(OUTBOX_DONE_RETENTION_MS - 31 * DAY + 1);
      assert.equal((await run()).doneMessages, 1, 'done messages go after their retention');
    });
  });
}
