// Which cases start being watched: the statuses and owner queues of the filter decide on first sight only.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { WatchedCase } from './case-change-source.js';
import { startsWatching, type MonitorFilter } from './monitor-filter.js';

const caseStub = (overrides: Partial<WatchedCase> = {}): WatchedCase => ({
  id: '500000000000001AAA',
  number: '00001001',
  subject: 'VPN',
  description: null,
  status: 'New',
  isClosed: false,
  priority: null,
  origin: 'Web',
  employeeId: '003000000000001AAA',
  suppliedEmail: null,
  ownerId: '00G000000000001AAA',
  createdAt: '2026-12-01T10:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  modstamp: '2026-12-01T10:00:00.000Z',
  lastModifiedById: null,
  deleted: false,
  mergedInto: null,
  ...overrides,
});

const filter: MonitorFilter = {
  statuses: ['New', 'Working'],
  origins: [],
  ownerQueues: ['00G000000000001AAA'],
};

test('a case in a listed status, owned by a listed queue, starts being watched', () => {
  assert.equal(startsWatching(filter, caseStub()), true);
});

test('another status, another owner, or a deleted case does not', () => {
  assert.equal(startsWatching(filter, caseStub({ status: 'Closed', isClosed: true })), false);
  assert.equal(startsWatching(filter, caseStub({ ownerId: '005000000000001AAA' })), false);
  assert.equal(startsWatching(filter, caseStub({ deleted: true })), false);
});

test('empty lists mean any status and any owner', () => {
  assert.equal(
    startsWatching({ statuses: [], origins: [] }, caseStub({ status: 'Escalated', ownerId: null })),
    true,
  );
});
