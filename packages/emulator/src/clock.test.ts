// The adjustable clock: forward-only moves, and the in-process back-dating tests use for late commits.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { AdjustableClock } from './clock.js';

void test('the clock moves forward only; during() back-dates one piece of work and restores the clock', () => {
  let real = Date.parse('2026-12-01T10:00:00Z');
  const clock = new AdjustableClock(() => real);
  clock.advance(60_000);
  assert.throws(() => clock.advance(-1), RangeError);
  assert.throws(() => clock.set(new Date('2026-12-01T09:00:00Z')), RangeError);

  const earlier = new Date('2026-12-01T09:30:00Z');
  const seen = clock.during(earlier, () => clock.now().toISOString());
  assert.equal(seen, earlier.toISOString());
  assert.equal(clock.now().toISOString(), '2026-12-01T10:01:00.000Z', 'back where it was');

  real += 1_000;
  assert.equal(clock.now().toISOString(), '2026-12-01T10:01:01.000Z', 'still following real time');
  assert.throws(
    () =>
      clock.during(earlier, () => {
        throw new Error('boom');
      }),
    /boom/,
  );
  assert.equal(clock.now().toISOString(), '2026-12-01T10:01:01.000Z', 'restored after a failure too');
});
