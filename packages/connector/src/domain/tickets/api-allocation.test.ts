// When the poll pace reads /limits, and which allocation it paces by: a reading for a day, the header otherwise.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { dailyAllocation, limitsReadDue } from './api-allocation.js';
import type { StoredApiAllocation } from './poll-pace-ports.js';

const at = '2026-12-01T00:00:00.000Z';
const read: StoredApiAllocation = {
  tenantId: 't',
  outcome: 'read',
  dailyMax: 100_000,
  remaining: 90_000,
  readAt: at,
};
const after = (ms: number): Date => new Date(Date.parse(at) + ms);
const HOUR = 3_600_000;

void test('/limits is read at first, then once a day, and within the hour when the header disagrees', () => {
  assert.equal(limitsReadDue(null, null, after(0)), true);
  assert.equal(limitsReadDue(read, 100_000, after(23 * HOUR)), false);
  assert.equal(limitsReadDue(read, 100_000, after(24 * HOUR)), true);
  assert.equal(limitsReadDue(read, 120_000, after(30 * 60_000)), false, 'not twice within the hour');
  assert.equal(limitsReadDue(read, 120_000, after(HOUR)), true, 'licences bought: read again');
});

void test('a refusal waits a day and a failure 15 minutes before /limits is tried again', () => {
  const refused: StoredApiAllocation = { ...read, outcome: 'refused', dailyMax: null, remaining: null };
  const failed: StoredApiAllocation = { ...read, outcome: 'failed', dailyMax: null, remaining: null };
  assert.equal(limitsReadDue(refused, 15_000, after(23 * HOUR)), false);
  assert.equal(limitsReadDue(refused, 15_000, after(24 * HOUR)), true);
  assert.equal(limitsReadDue(failed, 15_000, after(14 * 60_000)), false);
  assert.equal(limitsReadDue(failed, 15_000, after(15 * 60_000)), true);
});

void test('the pace uses a /limits reading, else the header, else nothing', () => {
  assert.deepEqual(dailyAllocation(read, 15_000), { max: 100_000, source: 'limits' });
  assert.deepEqual(dailyAllocation({ ...read, outcome: 'refused', dailyMax: null }, 15_000), {
    max: 15_000,
    source: 'header',
  });
  assert.deepEqual(dailyAllocation(null, null), { max: null, source: 'none' });
});
