// What a reply does to its case, by the case's state and the tenant's settings: closed cases refuse or reopen,
// resolved ones reopen, a case waiting for its employee goes back to the agents, and nothing is written twice.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { defaultTenantSettings } from '../tenant.js';
import { mergeSettings } from '../tenant-rules.js';
import { defaultCaseStateMapping } from './case-states.js';
import { caseStatesOf, planReply, replySettingsOf, type ReplySettings } from './reply-rules.js';

const mapping = defaultCaseStateMapping();
const defaults: ReplySettings = { reopenClosed: false, moveStatusOnReply: 'when-waiting' };
const open = (status: string) => ({ status, isClosed: false });

void test('a closed case is refused by default and reopened with the reopen status when the tenant allows it', () => {
  assert.deepEqual(planReply({ status: 'Closed', isClosed: true }, mapping, defaults), {
    kind: 'refuse-closed',
    state: 'CLOSED',
  });
  assert.deepEqual(
    planReply({ status: 'Closed', isClosed: true }, mapping, { ...defaults, reopenClosed: true }),
    { kind: 'post', state: 'CLOSED', status: { to: 'Working', why: 'reopen' } },
  );
});

void test('a status the mapping lacks counts as closed when Salesforce says so', () => {
  assert.equal(planReply({ status: 'Archived', isClosed: true }, mapping, defaults).kind, 'refuse-closed');
  assert.deepEqual(planReply(open('Archived'), mapping, defaults), {
    kind: 'post',
    state: 'IN_PROGRESS',
    status: null,
  });
});

void test('a resolved case is reopened by a reply: the employee says it is not solved', () => {
  assert.deepEqual(planReply({ status: 'Resolved', isClosed: true }, mapping, defaults), {
    kind: 'post',
    state: 'RESOLVED',
    status: { to: 'Working', why: 'reopen' },
  });
});

void test('a case waiting for its employee moves to "employee replied" unless the tenant says never', () => {
  assert.deepEqual(planReply(open('Waiting on Employee'), mapping, defaults), {
    kind: 'post',
    state: 'WAITING_FOR_EMPLOYEE',
    status: { to: 'Working', why: 'employee-replied' },
  });
  assert.deepEqual(
    planReply(open('Waiting on Employee'), mapping, { ...defaults, moveStatusOnReply: 'never' }),
    { kind: 'post', state: 'WAITING_FOR_EMPLOYEE', status: null },
  );
});

void test('an open case in progress keeps its status unless the tenant says always; its own status is not rewritten', () => {
  assert.deepEqual(planReply(open('Escalated'), mapping, defaults), {
    kind: 'post',
    state: 'IN_PROGRESS',
    status: null,
  });
  const always = { ...defaults, moveStatusOnReply: 'always' as const };
  assert.deepEqual(planReply(open('New'), mapping, always), {
    kind: 'post',
    state: 'NEW',
    status: { to: 'Working', why: 'employee-replied' },
  });
  assert.deepEqual(planReply(open('Working'), mapping, always), {
    kind: 'post',
    state: 'IN_PROGRESS',
    status: null,
  });
});

void test('reply settings default for tenants stored before replies existed, and merge as a partial change', () => {
  const settings = defaultTenantSettings();
  assert.deepEqual(replySettingsOf(settings), defaults);
  const changed = mergeSettings(settings, { replies: { reopenClosed: true } });
  assert.deepEqual(replySettingsOf(changed), { reopenClosed: true, moveStatusOnReply: 'when-waiting' });
  const again = mergeSettings(changed, { replies: { moveStatusOnReply: 'always' } });
  assert.deepEqual(again.replies, { reopenClosed: true, moveStatusOnReply: 'always' });
  assert.throws(
    () => mergeSettings(settings, { replies: { moveStatusOnReply: 'sometimes' } }),
    /replies\.moveStatusOnReply/,
  );
  assert.equal(mergeSettings(settings, {}).replies, undefined, 'absent stays absent');
});

void test("the tenant's five-state mapping names the status a reply moves its case to", () => {
  const base = defaultTenantSettings();
  const settings = {
    ...base,
    caseStates: { ...base.caseStates, actions: { ...base.caseStates.actions, employeeReplied: 'In Review' } },
  };
  const states = caseStatesOf(settings);
  assert.equal(states.actions.employeeReplied, 'In Review');
  assert.deepEqual(planReply(open('Waiting on Employee'), states, defaults), {
    kind: 'post',
    state: 'WAITING_FOR_EMPLOYEE',
    status: { to: 'In Review', why: 'employee-replied' },
  });
});
