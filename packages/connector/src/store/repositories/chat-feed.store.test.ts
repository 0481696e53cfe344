// The chat feed on PGlite and (when configured) PostgreSQL: an event id is kept once per tenant, seq follows commit
// order even when appends race (a follower never skips an entry), and each employee reads only their own entries.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import type { Store } from '../open-store.js';
import { makeTenantRecord, storeBackends } from '../../../test/helpers/store-test-kit.js';

const notification = (
  tenantId: string,
  eventId: string,
  employeeId = '003000000000001AAA',
): TicketNotification => ({
  eventId,
  kind: 'agent-comment',
  tenantId,
  caseId: '500000000000001AAA',
  caseNumber: '00001001',
  employeeId,
  state: 'IN_PROGRESS',
  occurredAt: '2026-12-01T10:00:00.000Z',
  comment: { id: '00a000000000001AAA', body: `body of ${eventId}`, createdAt: '2026-12-01T10:00:00.000Z' },
});

for (const backend of storeBackends()) {
  describe(`chat feed on ${backend.name}`, () => {
    let store: Store;
    before(async () => {
      store = await backend.open();
      for (const id of ['feed-a', 'feed-b']) await store.tenants.insert(makeTenantRecord(id));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('an event id is added once per tenant; the same id in another tenant is its own entry', async () => {
      assert.equal(await store.chatFeed.append(notification('feed-a', 'e1')), true);
      assert.equal(await store.chatFeed.append(notification('feed-a', 'e1')), false);
      assert.equal(await store.chatFeed.append(notification('feed-b', 'e1')), true);
      const entries = await store.chatFeed.forEmployee('feed-a', '003000000000001AAA', 0, 10);
      assert.deepEqual(
        entries.map((e) => e.notification.comment?.body),
        ['body of e1'],
      );
    });

    test('racing appends take seqs in commit order: a reader following seq sees every one, in order', async () => {
      const start = await store.chatFeed.latestSeq();
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.chatFeed.append(notification('feed-a', `race-${i}`))),
      );
      const entries = await store.chatFeed.since(start, 100);
      assert.equal(entries.length, 20);
      const seqs = entries.map((e) => e.seq);
      assert.deepEqual(
        seqs,
        [...seqs].sort((a, b) => a - b),
      );
      assert.equal(new Set(entries.map((e) => e.notification.eventId)).size, 20);
    });

    test("an employee's entries never include another employee's", async () => {
      await store.chatFeed.append(notification('feed-a', 'other-1', '003000000000002AAA'));
      const mine = await store.chatFeed.forEmployee('feed-a', '003000000000001AAA', 0, 100);
      assert.ok(mine.every((e) => e.employeeId === '003000000000001AAA'));
      const theirs = await store.chatFeed.forEmployee('feed-a', '003000000000002AAA', 0, 100);
      assert.deepEqual(
        theirs.map((e) => e.notification.eventId),
        ['other-1'],
      );
    });
  });
}
