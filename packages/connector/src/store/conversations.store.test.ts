// The bot's conversations and autonomous resolution's records on PGlite and (when configured) PostgreSQL: one turn
// per idempotency key, history oldest first, export keys, deletion per employee, the retention purge, and the
// resolution funnel and candidates from ticket monitoring's snapshots.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { EMPTY_STATE } from '../domain/conversation/dialogue.js';
import type { Store } from './open-store.js';
import { makeTenantRecord, storeBackends, TestClock } from '../../test/helpers/store-test-kit.js';

for (const backend of storeBackends()) {
  describe(`conversations on ${backend.name}`, () => {
    let store: Store;
    const clock = new TestClock();
    const ada = { tenantId: 'talk', employee: '003ADA' };
    const ben = { tenantId: 'talk', employee: 'email:ben@example.com' };
    before(async () => {
      store = await backend.open({ clock });
      await store.tenants.insert(makeTenantRecord('talk'));
    });
    after(async () => {
      await store.close();
      await backend.dispose();
    });

    test('a key makes one turn; history is oldest first; the state is kept', async () => {
      const turn = (text: string, key: string | null) => ({
        input: { text },
        messages: [{ type: 'text' as const, text: `re: ${text}` }],
        caseNumber: null,
        idempotencyKey: key,
      });
      const first = await store.conversations.append(
        ada,
        { ...EMPTY_STATE, awaiting: 'solved' },
        turn('one', 'k1'),
        '2026-11-01T10:00:00.000Z',
      );
      const again = await store.conversations.append(
        ada,
        EMPTY_STATE,
        turn('one retried', 'k1'),
        '2026-11-01T10:00:01.000Z',
      );
      assert.deepEqual(again, first, 'the first turn of a key stands');
      await store.conversations.append(
        ada,
        { ...EMPTY_STATE, focusCase: '00001027' },
        turn('two', 'k2'),
        '2026-12-01T10:00:00.000Z',
      );
      await store.conversations.append(ben, EMPTY_STATE, turn('hi', null), '2026-12-01T11:00:00.000Z');
      assert.deepEqual(
        (await store.conversations.history(ada, 10)).map((t) => t.input),
        [{ text: 'one' }, { text: 'two' }],
      );
      assert.deepEqual(
        (await store.conversations.history(ada, 1)).map((t) => t.input),
        [{ text: 'two' }],
      );
      assert.equal((await store.conversations.state(ada))?.focusCase, '00001027');
      assert.deepEqual((await store.conversations.turnByKey(ada, 'k1'))?.input, { text: 'one' });
      assert.deepEqual(
        (await store.conversations.employees('talk')).map((e) => [e.employee, e.turns]),
        [
          ['003ADA', 2],
          ['email:ben@example.com', 1],
        ],
      );
    });

    test('the retention purge removes old turns only; deletion removes one employee', async () => {
      assert.equal(await store.conversations.purgeBefore('2026-11-15T00:00:00.000Z'), 1);
      assert.deepEqual(
        (await store.conversations.history(ada, 10)).map((t) => t.input),
        [{ text: 'two' }],
      );
      assert.equal(await store.conversations.remove(ben), true);
      assert.equal(await store.conversations.remove(ben), false);
      assert.equal(await store.conversations.state(ben), null);
      assert.equal((await store.conversations.history(ada, 10)).length, 1);
    });

    test('resolution records: candidates are unconsidered open snapshots; the funnel counts by status', async () => {
      const snapshot = (id: string, status: string, isClosed = false) => ({
        tenantId: 'talk',
        caseId: id,
        snapshot: {
          id,
          number: `0000${id.slice(-4)}`,
          subject: 's',
          description: null,
          status,
          isClosed,
          priority: null,
          origin: null,
          employeeId: '003ADA',
          suppliedEmail: null,
          ownerId: null,
          createdAt: '2026-12-01T10:00:00.000Z',
          updatedAt: '2026-12-01T10:00:00.000Z',
          modstamp: '2026-12-01T10:00:00.000Z',
          lastModifiedById: null,
          deleted: false,
          mergedInto: null,
        },
        employee: { kind: 'employee' as const, employeeId: '003ADA', via: 'contact' as const },
      });
      await store.caseSnapshots.put(snapshot('500000000000001001', 'New'));
      await store.caseSnapshots.put(snapshot('500000000000001002', 'Closed', true));
      await store.caseSnapshots.put(snapshot('500000000000001003', 'New'));
      const base = {
        tenantId: 'talk',
        caseNumber: '00001003',
        employee: '003ADA',
        reason: null,
        articles: [],
        confidence: 2,
        offeredAt: '2026-12-01T10:01:00.000Z',
        offerStamp: '2026-12-01T10:01:00.000Z',
        answeredAt: null,
      };
      await store.resolutions.put(
        { ...base, caseId: '500000000000001003', status: 'offered' },
        '2026-12-01T10:01:00.000Z',
      );
      assert.deepEqual(await store.resolutions.candidates('talk', 10), [
        { caseId: '500000000000001001', caseNumber: '00001001', status: 'New', employeeId: '003ADA' },
      ]);
      await store.resolutions.put(
        { ...base, caseId: '500000000000001001', caseNumber: '00001001', status: 'confirmed' },
        '2026-12-01T10:02:00.000Z',
      );
      assert.deepEqual(await store.resolutions.funnel('talk'), {
        eligible: 2,
        offered: 2,
        confirmed: 1,
        declined: 0,
        noAnswer: 0,
        reopened: 0,
      });
      assert.equal((await store.resolutions.byNumber('talk', '00001003'))?.status, 'offered');
      assert.deepEqual(
        (await store.resolutions.confirmedWithStatus('talk')).map((c) => [c.record.caseId, c.status]),
        [['500000000000001001', 'New']],
      );
    });
  });
}
