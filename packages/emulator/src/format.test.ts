// Tests for the wire formats of datetimes and dates: invalid calendar values are refused, never rolled over.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDatetime, parseDatetime } from './format.js';

void test('valid datetimes parse in every accepted form', () => {
  const t = Date.UTC(2026, 0, 15, 10, 30, 0);
  assert.equal(parseDatetime('2026-01-15T10:30:00Z'), t);
  assert.equal(parseDatetime('2026-01-15T10:30:00.000+0000'), t);
  assert.equal(parseDatetime('2026-01-15T12:30:00+02:00'), t);
  assert.equal(parseDatetime('2024-02-29T00:00:00Z'), Date.UTC(2024, 1, 29));
  assert.equal(formatDatetime(t), '2026-01-15T10:30:00.000+0000');
});

void test('out-of-range calendar fields are refused rather than rolled over into another instant', () => {
  for (const bad of [
    '2026-13-45T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2025-02-29T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-15T24:00:00Z',
    '2026-01-15T10:60:00Z',
    '2026-01-15T10:30:60Z',
    '2026-01-15T10:30:00+25:00',
  ]) {
    assert.equal(parseDatetime(bad), undefined, bad);
  }
});
