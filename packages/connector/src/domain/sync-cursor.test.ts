// The incremental sync rule without HTTP: inclusive start, cursor never moves back, page sizes clamped.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { advanceCursor, clampPageSize, syncFrom } from './sync-cursor.js';

void test('the first sync reads everything; later ones start at the cursor (inclusive)', () => {
  assert.equal(syncFrom(null), null);
  assert.equal(syncFrom('2024-01-15T10:30:00.000Z')?.toISOString(), '2024-01-15T10:30:00.000Z');
  assert.throws(() => syncFrom('yesterday'));
});

void test('the cursor becomes the greatest modstamp of the page and never moves backwards', () => {
  const page = [
    { modstamp: '2024-01-15T10:30:00.000Z' },
    { modstamp: '2024-01-15T10:31:00.000Z' },
    { modstamp: '2024-01-15T10:31:00.000Z' },
  ];
  assert.equal(advanceCursor(null, page), '2024-01-15T10:31:00.000Z');
  assert.equal(advanceCursor('2024-01-16T00:00:00.000Z', page), '2024-01-16T00:00:00.000Z');
  assert.equal(advanceCursor('2024-01-15T10:31:00.000Z', []), '2024-01-15T10:31:00.000Z');
  assert.equal(advanceCursor(null, []), null);
});

void test('rows sharing the boundary timestamp are re-read, not skipped, after a restart', () => {
  const first = [{ modstamp: '2024-01-15T10:31:00.000Z' }];
  const cursor = advanceCursor(null, first);
  const restart = syncFrom(cursor);
  const sibling = new Date('2024-01-15T10:31:00.000Z');
  assert.ok(restart && sibling >= restart, 'a row with the same modstamp is still selected by >=');
});

void test('page sizes stay within Salesforce limits', () => {
  assert.equal(clampPageSize(50), 200);
  assert.equal(clampPageSize(5000), 2000);
  assert.equal(clampPageSize(500), 500);
  assert.equal(clampPageSize(Number.NaN), 2000);
});
