// The monitoring settings an operator may set: the filter's new keys and the five-state mapping, validated and
// merged; the retired statusMapping key is refused.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isAppError } from '../../errors/app-error.js';
import { defaultTenantSettings } from '../tenant.js';
import { mergeSettings } from '../tenant-rules.js';

test('filter keys and poll options merge; ids must carry their object prefix', () => {
  const next = mergeSettings(defaultTenantSettings(), {
    monitor: { ownerQueues: ['00G5e000001AbCd'], lookBackMinutes: 60, noteAfterNotify: true },
  });
  assert.deepEqual(next.monitor.ownerQueues, ['00G5e000001AbCd']);
  assert.equal(next.monitor.lookBackMinutes, 60);
  assert.deepEqual(next.monitor.statuses, defaultTenantSettings().monitor.statuses, 'the rest kept');
  assert.throws(
    () => mergeSettings(defaultTenantSettings(), { monitor: { ownerQueues: ['0055e000001AbCd'] } }),
    (err) => isAppError(err, 'TENANT_INVALID') && /monitor\.ownerQueues/.test(err.message),
  );
});

test('an action status changes alone; a states map replaces the map; a state outside the five is refused', () => {
  const current = defaultTenantSettings();
  const next = mergeSettings(current, { caseStates: { actions: { resolve: 'Resolved' } } });
  assert.equal(next.caseStates.actions.resolve, 'Resolved');
  assert.equal(next.caseStates.actions.reopen, current.caseStates.actions.reopen);
  const replaced = mergeSettings(current, { caseStates: { states: { New: 'NEW', Closed: 'CLOSED' } } });
  assert.deepEqual(replaced.caseStates.states, { New: 'NEW', Closed: 'CLOSED' });
  assert.throws(
    () => mergeSettings(current, { caseStates: { states: { New: 'OPEN' } } }),
    (err) => isAppError(err, 'TENANT_INVALID'),
  );
  assert.throws(
    () => mergeSettings(current, { statusMapping: { resolved: 'Solved' } }),
    (err) => isAppError(err, 'TENANT_INVALID'),
  );
});
