// The bot's fresh reads: one load per employee and read while it is fresh, shared by concurrent callers; a failed
// load is not kept; forgetting an employee's reads makes the next one load again.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { FreshReads } from './fresh-reads.js';

function harness(): {
  reads: FreshReads<number>;
  move(ms: number): void;
  loads: () => number;
  load: () => Promise<number>;
} {
  let now = Date.parse('2026-01-05T09:00:00Z');
  let loads = 0;
  return {
    reads: new FreshReads<number>({ now: () => new Date(now) }, 15_000),
    move: (ms) => {
      now += ms;
    },
    loads: () => loads,
    load: () => Promise.resolve(++loads),
  };
}

void test('concurrent and later reads within the age share one load; past it, one more', async () => {
  const h = harness();
  const all = await Promise.all(Array.from({ length: 5 }, () => h.reads.get('acme/003A', 'list', h.load)));
  assert.deepEqual(
    all.map((r) => r.value),
    [1, 1, 1, 1, 1],
  );
  h.move(15_000);
  assert.equal((await h.reads.get('acme/003A', 'list', h.load)).value, 1);
  h.move(1);
  const again = await h.reads.get('acme/003A', 'list', h.load);
  assert.equal(again.value, 2);
  assert.equal(again.readAt.toISOString(), '2026-01-05T09:00:15.001Z');
});

void test('each employee and read has its own entry; forgetting an employee reloads only theirs', async () => {
  const h = harness();
  await h.reads.get('acme/003A', 'list', h.load);
  await h.reads.get('acme/003B', 'list', h.load);
  await h.reads.get('acme/003A', 'show/00001001', h.load);
  assert.equal(h.loads(), 3);
  h.reads.forget('acme/003A');
  await h.reads.get('acme/003A', 'list', h.load);
  await h.reads.get('acme/003B', 'list', h.load);
  assert.equal(h.loads(), 4);
});

void test('a failed load is not kept', async () => {
  const h = harness();
  await assert.rejects(h.reads.get('acme/003A', 'list', () => Promise.reject(new Error('down'))));
  assert.equal((await h.reads.get('acme/003A', 'list', h.load)).value, 1);
});
