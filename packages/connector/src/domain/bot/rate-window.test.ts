// The per-employee request window: the limit is allowed, the next is refused with the seconds left, a new window
// starts fresh, and keys do not share a window.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { RateWindows } from './rate-window.js';

void test('max requests per window, then refused until the window ends; other keys unaffected', () => {
  const sut = new RateWindows({ max: 2, windowMs: 60_000 });
  assert.equal(sut.take('ada', 0).allowed, true);
  assert.equal(sut.take('ada', 1000).allowed, true);
  assert.deepEqual(sut.take('ada', 20_000), { allowed: false, retryAfterSeconds: 40 });
  assert.equal(sut.take('ben', 20_000).allowed, true);
  assert.equal(sut.take('ada', 60_000).allowed, true);
});
