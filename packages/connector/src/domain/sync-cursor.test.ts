// The incremental sync rule without HTTP: keyset order, look-back and overlap starts, a cursor that never rewinds.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  clampPageSize,
  compareCursors,
  decodeCursor,
  encodeCursor,
  laterCursor,
  positionOf,
  readStart,
  readStartAfterRead,
} from './sync-cursor.js';

const window = { lookBackMs: 24 * 3_600_000, overlapMs: 5 * 60_000 };

void test('a new stream starts the look-back before now, never at the beginning of the org', () => {
  assert.deepEqual(readStart(null, new Date('2026-11-24T12:00:00.000Z'), window), {
    modstamp: '2026-11-23T12:00:00.000Z',
    id: '',
  });
});

void test('a later read starts the overlap window before the cursor, at the start of that instant', () => {
  const cursor = { modstamp: '2026-11-24T10:00:00.000Z', id: '500000000000009AAA' };
  assert.deepEqual(readStart(cursor, new Date('2026-11-24T12:00:00.000Z'), window), {
    modstamp: '2026-11-24T09:55:00.000Z',
    id: '',
  });
});

void test('after a known read, the re-read reaches back only to that read less the overlap, never further than readStart', () => {
  const now = new Date('2026-11-24T12:00:00.000Z');
  const cursor = { modstamp: '2026-11-24T10:00:00.000Z', id: '500000000000009AAA' };
  // quiet for longer than the overlap: every row up to the cursor was visible to the last read
  assert.deepEqual(readStartAfterRead(cursor, now, window, new Date('2026-11-24T11:59:55.000Z')), cursor);
  // a read 2 minutes after the cursor's row: rows stamped up to 3 minutes before the cursor may still appear
  assert.deepEqual(readStartAfterRead(cursor, now, window, new Date('2026-11-24T10:02:00.000Z')), {
    modstamp: '2026-11-24T09:57:00.000Z',
    id: '',
  });
  // a read from before the cursor (another clock, or the cursor stamped ahead): as readStart
  assert.deepEqual(
    readStartAfterRead(cursor, now, window, new Date('2026-11-24T09:59:00.000Z')),
    readStart(cursor, now, window),
  );
  assert.deepEqual(readStartAfterRead(cursor, now, window, null), readStart(cursor, now, window));
  assert.deepEqual(readStartAfterRead(null, now, window, now), readStart(null, now, window));
});

void test('positions order by modstamp then id, and the saved cursor never moves backwards', () => {
  const a = { modstamp: '2026-11-24T10:00:00.000Z', id: '500A' };
  const b = { modstamp: '2026-11-24T10:00:00.000Z', id: '500B' };
  const later = { modstamp: '2026-11-24T10:00:01.000Z', id: '500' };
  assert.ok(compareCursors(a, b) < 0 && compareCursors(b, later) < 0 && compareCursors(b, b) === 0);
  assert.deepEqual(laterCursor(b, a), b, 're-reading the overlap does not rewind');
  assert.deepEqual(laterCursor(a, b), b);
  assert.deepEqual(laterCursor(null, a), a);
  assert.deepEqual(positionOf({ id: 'x', modstamp: '2026-11-24T10:00:00.000+00:00' }), {
    modstamp: '2026-11-24T10:00:00.000Z',
    id: 'x',
  });
});

void test('cursors round-trip through storage; a bare timestamp from before keyset cursors still reads', () => {
  const cursor = { modstamp: '2026-11-24T10:00:00.000Z', id: '500A' };
  assert.deepEqual(decodeCursor(encodeCursor(cursor)), cursor);
  assert.deepEqual(decodeCursor('2026-11-24T10:00:00Z'), { modstamp: '2026-11-24T10:00:00.000Z', id: '' });
  assert.throws(() => decodeCursor('{"modstamp":"yesterday","id":""}'));
  assert.throws(() => readStart({ modstamp: 'nope', id: '' }, new Date(), window));
});

void test('page sizes stay within what Salesforce honours', () => {
  assert.equal(clampPageSize(50), 200);
  assert.equal(clampPageSize(5000), 2000);
  assert.equal(clampPageSize(Number.NaN), 2000);
  assert.equal(clampPageSize(450.7), 450);
});
