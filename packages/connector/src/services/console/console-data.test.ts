// The console's pure readings: 24 hourly slots per purpose (missing hours are zero, older rows dropped), and the
// resolution funnel read from the status report when present.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { TenantStatus } from '../status-service.js';
import { hourlySeries } from './console-data.js';
import { readResolutionFunnel } from './resolution-funnel.js';

test('hourly series: 24 slots ending with the current hour, per purpose, zero where no call was made', () => {
  const now = new Date('2026-12-02T04:35:00.000Z');
  const series = hourlySeries(
    [
      { hour: '2026-12-02T04:00:00.000Z', purpose: 'ticket-monitor', calls: 5 },
      { hour: '2026-12-02T02:00:00.000Z', purpose: 'doctor', calls: 2 },
      { hour: '2026-12-01T05:00:00.000Z', purpose: 'ticket-monitor', calls: 1 },
      // 25 hours ago: outside the window
      { hour: '2026-12-01T03:00:00.000Z', purpose: 'ticket-monitor', calls: 9 },
    ],
    now,
  );
  assert.equal(series.hours.length, 24);
  assert.equal(series.hours[0], '2026-12-01T05:00:00.000Z');
  assert.equal(series.hours[23], '2026-12-02T04:00:00.000Z');
  assert.deepEqual(
    series.byPurpose.map((s) => [s.purpose, s.calls.reduce((a, b) => a + b, 0), s.calls[23], s.calls[0]]),
    [
      ['doctor', 2, 0, 0],
      ['ticket-monitor', 6, 5, 1],
    ],
  );
});

test('the funnel is read when the status has it, null otherwise; odd values count as zero', () => {
  const tenant = { id: 'acme' } as TenantStatus;
  assert.equal(readResolutionFunnel(tenant), null);
  assert.deepEqual(
    readResolutionFunnel({
      ...tenant,
      autonomousResolution: {
        eligible: 10,
        offered: 8,
        confirmed: 5,
        declined: -1,
        noAnswer: 'x',
        reopened: 1,
      },
    } as unknown as TenantStatus),
    { eligible: 10, offered: 8, confirmed: 5, declined: 0, noAnswer: 0, reopened: 1 },
  );
});
