// The API budget rule: normal pace, slowing near the share, stopping at it or when the org has nothing left.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { decideApiBudget } from './api-budget.js';

const base = { dailyMax: 15_000, orgUsed: 1_000, share: 0.5, ownCallsToday: 0 };

test('without a known allocation, work runs at normal pace', () => {
  assert.deepEqual(decideApiBudget({ ...base, dailyMax: null, orgUsed: null }), {
    allow: true,
    slowdownFactor: 1,
    reason: null,
    budget: null,
    remaining: null,
    stoppedBy: null,
  });
});

test('well under the share: normal pace', () => {
  const decision = decideApiBudget({ ...base, ownCallsToday: 5_000 });
  assert.deepEqual(
    [decision.allow, decision.slowdownFactor, decision.reason, decision.budget, decision.remaining],
    [true, 1, null, 7_500, 2_500],
  );
});

test('above 80% of the share: slower, more so the closer it gets', () => {
  const at90 = decideApiBudget({ ...base, ownCallsToday: 6_750 });
  assert.equal(at90.allow, true);
  assert.equal(at90.slowdownFactor, 2.5);
  assert.match(at90.reason ?? '', /750 of 7500 calls left/);
  const at99 = decideApiBudget({ ...base, ownCallsToday: 7_425 });
  assert.ok(at99.slowdownFactor > at90.slowdownFactor && at99.slowdownFactor <= 4);
});

test('at the share: stop, and say why', () => {
  const decision = decideApiBudget({ ...base, ownCallsToday: 7_500 });
  assert.equal(decision.allow, false);
  assert.match(decision.reason ?? '', /used its share .*7500 of 7500 calls, 50% of 15000/);
});

test('the org spent by others counts: little left in the org slows us, nothing left stops us', () => {
  const tight = decideApiBudget({ ...base, orgUsed: 14_500, ownCallsToday: 100 });
  assert.equal(tight.remaining, 500);
  assert.ok(tight.slowdownFactor > 1);
  const spent = decideApiBudget({ ...base, orgUsed: 15_000, ownCallsToday: 100 });
  assert.equal(spent.allow, false);
  assert.match(spent.reason ?? '', /org has used its whole daily API allocation/);
  assert.equal(spent.stoppedBy, 'org');
});

test('the slowdown threshold and ceiling can be tuned', () => {
  const decision = decideApiBudget({ ...base, ownCallsToday: 3_750, slowdownFrom: 0.5, maxSlowdown: 2 });
  assert.equal(decision.slowdownFactor, 1);
  assert.equal(
    decideApiBudget({ ...base, ownCallsToday: 5_625, slowdownFrom: 0.5, maxSlowdown: 2 }).slowdownFactor,
    1.5,
  );
});
