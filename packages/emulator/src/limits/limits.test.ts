// Unit tests of the daily usage window and the call-log ring.

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AdjustableClock } from '../clock.js';
import { ApiUsage } from './api-usage.js';
import { CallLog } from './call-log.js';

describe('ApiUsage', () => {
  it('counts a rolling 24 hours by the clock', () => {
    const clock = new AdjustableClock(() => Date.parse('2026-01-01T00:30:00Z'));
    const usage = new ApiUsage(clock, 3);
    usage.record();
    clock.advance(12 * 3_600_000);
    usage.record();
    usage.record();
    assert.equal(usage.headerValue(), 'api-usage=3/3');
    assert.equal(usage.exhausted(), true);
    clock.advance(12 * 3_600_000);
    assert.equal(usage.used(), 2, 'the first hour fell out of the window');
    assert.equal(usage.remaining(), 1);
  });
});

describe('CallLog', () => {
  const entry = (path: string, status = 200): Parameters<CallLog['add']>[0] => ({
    time: new Date(0).toISOString(),
    orgId: '00D',
    userId: null,
    method: 'GET',
    path,
    status,
    errorCode: null,
    durationMs: 1,
    counted: true,
  });

  it('keeps the last N entries, oldest first, with increasing sequence numbers', () => {
    const log = new CallLog(3);
    for (const p of ['/a', '/b', '/c', '/d']) log.add(entry(p));
    assert.deepEqual(
      log.list().map((e) => [e.seq, e.path]),
      [
        [2, '/b'],
        [3, '/c'],
        [4, '/d'],
      ],
    );
    assert.deepEqual(
      log.list({ afterSeq: 3 }).map((e) => e.path),
      ['/d'],
    );
  });

  it('filters by substring or regular expression', () => {
    const log = new CallLog(10);
    for (const p of ['/services/data/v62.0/query', '/services/data/v62.0/sobjects/Case']) log.add(entry(p));
    assert.equal(log.list({ path: 'query' }).length, 1);
    assert.equal(log.list({ path: '^/services/data/v\\d+\\.0/sobjects' }).length, 1);
  });
});
