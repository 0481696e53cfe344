// Two worker processes on one PostgreSQL database: an article written (through the search service) on worker A
// shows in worker B's search results, and a change to it replaces the old text there, each within the one-second
// promise of issue 11 (B follows the change sequence every 250 ms; no Salesforce call). B is asked every 10 ms;
// the time from A's commit to B's first answer with the change is printed against that promise (a figure, not an
// assertion: the machine is shared). Runs in the PostgreSQL tier.

import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';

import { openOnSchema, workerSchema } from '../helpers/pg-workers.js';
import { makeTenantRecord } from '../helpers/store-test-kit.js';
import { startWorkerProcess, type WorkerProcess } from '../helpers/worker-process.js';

const db = workerSchema('cbknoww');
const workers: WorkerProcess[] = [];
/** issue 11: a change reaches every process's results within one second */
const PROMISE_MS = 1_000;

before(async () => {
  if (db.url === undefined) return;
  const runtime = await openOnSchema(db);
  try {
    await runtime.store.tenants.insert(makeTenantRecord('acme'));
  } finally {
    await runtime.close();
  }
});

after(async () => {
  if (db.url === undefined) return;
  for (const worker of workers) await worker.stop();
  await db.drop();
});

/** Asks B until its answer to `words` satisfies `seen`; the ms from `since` to that answer (null: not in `ms`). */
async function firstSeen(
  b: WorkerProcess,
  words: string,
  seen: (ids: string[]) => boolean,
  since: number,
  ms = 10_000,
): Promise<number | null> {
  while (Date.now() - since < ms) {
    const [at, ids = ''] = await b.ask(`search ${words}`, 'found');
    if (seen(ids === '' ? [] : ids.split(','))) return Number(at) - since;
    await sleep(10);
  }
  return null;
}

test(
  "an article written on worker A is in worker B's results within a second, and so is its change",
  { skip: db.skip },
  async (t) => {
    const a = await startWorkerProcess([db.url ?? '', db.schema, db.masterKey, 'poll']);
    const b = await startWorkerProcess([db.url ?? '', db.schema, db.masterKey, 'poll']);
    workers.push(a, b);
    // B builds its index from the store on its first search (nothing yet), then follows the changes
    assert.deepEqual((await b.ask('search printer', 'found')).slice(1), ['']);

    const added: number[] = [];
    const changed: number[] = [];
    const names = ['amber', 'cobalt', 'saffron', 'indigo', 'olive'];
    for (let i = 0; i < names.length; i += 1) {
      const id = `kA0000000000${i}AAA`;
      const name = names[i] ?? '';
      const [, at] = await a.ask(`put ${id} Printer jam in the ${name} tray`, 'put');
      const seenIn = await firstSeen(b, `jam ${name}`, (ids) => ids.includes(id), Number(at));
      assert.ok(seenIn !== null, `article ${i} reached worker B`);
      added.push(seenIn);
      // the same article, new text: the old words leave B's results, the new ones arrive
      const [, at2] = await a.ask(`put ${id} Scanner glass cleaning`, 'put');
      const movedIn = await firstSeen(b, 'printer jam', (ids) => !ids.includes(id), Number(at2));
      assert.ok(movedIn !== null, `the change of article ${i} reached worker B`);
      changed.push(movedIn);
      assert.deepEqual(
        (await b.ask('search printer jam', 'found')).slice(1),
        [''],
        'the old text is gone from B',
      );
      await sleep(37 * i);
    }
    const all = [...added, ...changed].sort((x, y) => x - y);
    t.diagnostic(
      `A committed → B's results: added ${added.join(', ')} ms; changed ${changed.join(', ')} ms; max ${all.at(-1)} ms (promise ${PROMISE_MS} ms, follower poll 250 ms)`,
    );
  },
);
