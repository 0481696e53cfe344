// Incremental reads with a non-null cursor against the emulator over HTTP, for every stream: a read after a row
// returns exactly the rows after it in (SystemModstamp, Id) order; a read from an instant includes that instant;
// rows sharing one stamp are paged through by Id.

import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { startEmulator, type StartedEmulator } from '@casebridge/salesforce-emulator';

import type { IncrementalRead, SyncPage } from '../../src/domain/ports.js';
import { positionOf } from '../../src/domain/sync-cursor.js';
import type { JsforceSalesforceGateway } from '../../src/salesforce/gateway.js';
import { salesforceStack } from '../helpers/salesforce-stack.js';

let em: StartedEmulator;
let gateway: JsforceSalesforceGateway;
const EPOCH = { modstamp: '1970-01-01T00:00:00.000Z', id: '' };
const TIED = 450;
let tieAt: Date;

before(async () => {
  em = await startEmulator({ port: 0, dataDir: mkdtempSync(join(tmpdir(), 'cb-keyset-')) });
  gateway = salesforceStack(em).gateway;
  await gateway.identity();
  tieAt = new Date(Math.floor(Date.now() / 1000) * 1000 + 1000);
  em.emulator.clock.set(tieAt);
  for (let i = 0; i < TIED; i += 1)
    em.org.data.insert(
      'Case',
      { Subject: `tied ${i}`, Status: 'New', Origin: 'Web' },
      em.demo?.integrationUserId ?? '',
    );
  em.emulator.clock.release();
});
after(async () => {
  await em.close();
});

type Row = { id: string; modstamp: string };
async function readAll<T extends Row>(
  read: (r: IncrementalRead) => AsyncIterable<SyncPage<T>>,
  from: IncrementalRead,
): Promise<{ rows: T[]; pages: number }> {
  const rows: T[] = [];
  let pages = 0;
  for await (const page of read(from)) {
    rows.push(...page.items);
    pages += 1;
  }
  return { rows, pages };
}

const streams = {
  cases: (r: IncrementalRead) => gateway.casesModifiedSince(r),
  comments: (r: IncrementalRead) => gateway.commentsModifiedSince(r),
  articles: (r: IncrementalRead) => gateway.articlesModifiedSince(r),
};

for (const [name, read] of Object.entries(streams)) {
  void test(`${name}: a read after a row returns exactly the rows after it; a read from its instant includes it`, async () => {
    const all = (await readAll<Row>(read, { after: EPOCH })).rows;
    assert.ok(all.length >= 4, `the demo org has ${name} (${all.length})`);
    const middle = all[Math.floor(all.length / 2)];
    assert.ok(middle);
    const afterMiddle = (await readAll<Row>(read, { after: positionOf(middle) })).rows;
    const expected = all.slice(all.indexOf(middle) + 1);
    assert.deepEqual(
      afterMiddle.map((r) => r.id),
      expected.map((r) => r.id),
    );
    const fromInstant = (await readAll<Row>(read, { after: { modstamp: middle.modstamp, id: '' } })).rows;
    assert.deepEqual(
      fromInstant.map((r) => r.id),
      all.filter((r) => Date.parse(r.modstamp) >= Date.parse(middle.modstamp)).map((r) => r.id),
    );
  });
}

void test(`${TIED} cases sharing one SystemModstamp are read in pages of 200, none lost or repeated`, async () => {
  const { rows, pages } = await readAll(streams.cases, {
    after: { modstamp: tieAt.toISOString(), id: '' },
    pageSize: 200,
  });
  const tied = rows.filter((c) => c.subject?.startsWith('tied '));
  assert.equal(pages, 3);
  assert.equal(tied.length, TIED);
  assert.equal(new Set(tied.map((c) => c.id)).size, TIED);
  // Resuming after the 200th row of the tie goes on with the 201st.
  const resumed = (await readAll(streams.cases, { after: positionOf(tied[199]!), pageSize: 200 })).rows;
  assert.deepEqual(
    resumed.map((c) => c.id),
    tied.slice(200).map((c) => c.id),
  );
});
