// The reply ledger on PGlite and (when configured) PostgreSQL: a reply's key is recorded once with who really
// wrote it; a second begin returns the first record; a key first used for another write is told apart; the final
// answer is kept for retries; a tenant's removal takes its replies along.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

for (const backend of storeBackends()) {
  describe(`reply ledger on ${backend.name}`, () => {
    let store: Store;
    const clock = new TestClock();
    const intent = (idempotencyKey: string, tenantId = 'ledger') => ({
      tenantId,
      idempotencyKey,
      caseId: '500000000000001AAA',
      author: { id: '003000000000001AAA', name: 'Mina Sato', email: 'mina@example.com' },
      reference: '7KQ2XW',
      partCount: 3,
      fingerprint: 'f'.repeat(64),
    });
    before(async () => {
      store = await backend.open({ clock });
      await store.tenants.insert(makeTenantRecord('ledger'));
      await store.tenants.insert(makeTenantRecord('gone'));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('the first begin records the author; the second returns that record, not a new one', async () => {
      const first = await store.replyIntents.begin(intent('r1'));
      assert.equal(first.created, true);
      assert.deepEqual(first.intent, {
        ...intent('r1'),
        startedAt: clock.now().toISOString(),
        result: null,
      });
      const second = await store.replyIntents.begin({
        ...intent('r1'),
        author: { id: '003000000000002AAA', name: 'Someone Else', email: null },
      });
      assert.equal(second.created, false);
      assert.deepEqual(second.intent?.author, intent('r1').author);
    });

    test('a key first used for a comment is not taken for a reply', async () => {
      await store.writeIntents.begin({ tenantId: 'ledger', idempotencyKey: 'c1', kind: 'comment' });
      const begun = await store.replyIntents.begin(intent('c1'));
      assert.deepEqual(begun, { intent: null, kind: 'comment', created: false });
    });

    test('a finished reply keeps its answer and first comment id for retries', async () => {
      await store.replyIntents.begin(intent('r2'));
      await store.replyIntents.finish('ledger', 'r2', '00a000000000001AAA', { parts: 3, commentIds: ['a'] });
      const again = await store.replyIntents.begin(intent('r2'));
      assert.deepEqual(again.intent?.result, { parts: 3, commentIds: ['a'] });
      const { rows } = await store.db.query<{ record_id: string }>(
        `SELECT record_id FROM write_intents WHERE tenant_id = 'ledger' AND idempotency_key = 'r2'`,
      );
      assert.equal(rows[0]?.record_id, '00a000000000001AAA');
    });

    test("a removed tenant's replies go with it", async () => {
      await store.replyIntents.begin(intent('g1', 'gone'));
      await store.tenants.delete('gone');
      const { rows } = await store.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM write_intents WHERE tenant_id = 'gone'`,
      );
      assert.equal(rows[0]?.n, 0);
    });
  });
}
