// What the engine reports per committed transaction (what Change Data Capture is built on): one net change per
// record, with the fields that changed and the user who wrote.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommittedTransaction } from './contract.js';
import { testOrg } from './test-fixtures.js';

function recording(t: ReturnType<typeof testOrg>): CommittedTransaction[] {
  const seen: CommittedTransaction[] = [];
  t.org.onCommit((tx) => seen.push(tx));
  return seen;
}

void test('a Case created and assigned by its rule in one call is one CREATE with the assigned owner', () => {
  const t = testOrg();
  t.org.configure({
    queues: [{ developerName: 'Tier1', name: 'Tier 1', sobjectTypes: ['Case'] }],
    assignmentRules: [{ name: 'Standard', active: true, entries: [{ criteria: {}, assignTo: 'Tier1' }] }],
  });
  const seen = recording(t);
  const id = t.org.create(t.agent, 'Case', { Subject: 'vpn down' });
  assert.equal(seen.length, 1);
  const [change, more] = seen[0]?.changes ?? [];
  assert.equal(more, undefined);
  assert.equal(change?.changeType, 'CREATE');
  assert.equal(change.recordId, id);
  assert.equal(change.userId, t.ids.agent);
  assert.match(String(change.fields['OwnerId']), /^00G/, 'owned by the queue, not the creator');
  assert.equal(seen[0]?.committedAt.toISOString(), t.clock.now().toISOString());
});

void test('an update reports exactly the changed fields; a delete reports DELETE; a refused write reports nothing', () => {
  const t = testOrg();
  const id = t.org.create(t.agent, 'Case', { Subject: 'x' });
  const seen = recording(t);
  t.clock.advance(60_000);
  t.org.update(t.agent, 'Case', id, { Status: 'Working', Subject: 'x' });
  assert.deepEqual(seen[0]?.changes[0]?.changedFields.sort(), [
    'LastModifiedDate',
    'Status',
    'SystemModstamp',
  ]);
  assert.throws(() => t.org.update(t.reader, 'Case', id, { Status: 'Closed' }));
  assert.equal(seen.length, 1);
  t.org.remove('Case', id, t.ids.admin);
  assert.equal(seen[1]?.changes[0]?.changeType, 'DELETE');
  assert.equal(seen[1]?.changes[0]?.userId, t.ids.admin);
});

void test('merging Cases is one transaction: the losers DELETE and the master UPDATE', () => {
  const t = testOrg();
  const master = t.org.create(t.agent, 'Case', { Subject: 'master' });
  const loser = t.org.create(t.agent, 'Case', { Subject: 'loser' });
  const seen = recording(t);
  t.clock.advance(1_000);
  t.org.mergeCases(master, [loser], t.ids.admin);
  assert.equal(seen.length, 1);
  const byId = new Map(seen[0]?.changes.map((c) => [c.recordId, c.changeType]));
  assert.equal(byId.get(loser), 'DELETE');
  assert.equal(byId.get(master), 'UPDATE');
});
