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

    test('every committed append is signalled to a listener (another worker on PostgreSQL), none on a rollback', async () => {
      const listener = backend.name === 'postgres' ? await backend.open() : store;
      const heard: string[] = [];
      const states: boolean[] = [];
      const listening = await listener.chatFeedSignals.listen({
        signal: () => heard.push('signal'),
        live: (up) => states.push(up),
      });
      try {
        assert.deepEqual(states, [true]);
        await store.chatFeed.append(notification('feed-a', 'signalled-1'));
        await store.chatFeed.append(notification('feed-a', 'signalled-1'));
        await store.db
          .transaction(async (tx) => {
            await tx.query(
              `INSERT INTO chat_feed (tenant_id, employee_id, event_id, payload, created_at)
               VALUES ('feed-a', 'x', 'rolled-back', '{}', now())`,
            );
            throw new Error('roll back');
          })
          .catch(() => undefined);
        await store.chatFeed.append(notification('feed-a', 'signalled-2'));
        const end = Date.now() + 5_000;
        while (heard.length < 2 && Date.now() < end) await new Promise((r) => setTimeout(r, 10));
        await new Promise((r) => setTimeout(r, 100));
        assert.equal(
          heard.length,
          2,
          'one signal per committed entry (the duplicate and the rollback add none)',
        );
      } finally {
        await listening.close();
        if (listener !== store) await listener.close();
      }
    });

    if (backend.name === 'postgres')
      test('a listener whose connection is cut says so, reconnects, and hears again', async () => {
        const listener = await backend.open();
        const heard: number[] = [];
        const states: boolean[] = [];
        const listening = await listener.chatFeedSignals.listen({
          signal: () => heard.push(1),
          live: (up) => states.push(up),
        });
        const wait = async (what: string, done: () => boolean): Promise<void> => {
          const end = Date.now() + 10_000;
          while (!done()) {
            if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
            await new Promise((r) => setTimeout(r, 20));
          }
        };
        try {
          await store.db.query(
            `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE pid <> pg_backend_pid() AND datname = current_database() AND query LIKE 'LISTEN %'`,
          );
          await wait('the loss reported', () => states.includes(false));
          await wait('listening again', () => states.at(-1) === true);
          await store.chatFeed.append(notification('feed-a', 'after-reconnect'));
          await wait('the signal after the reconnect', () => heard.length === 1);
          assert.deepEqual(states, [true, false, true]);
        } finally {
          await listening.close();
          await listener.close();
        }
      });
  });
}
