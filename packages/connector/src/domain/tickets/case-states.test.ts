// Every status of an org lands in one of five states; a mapping that would make casebridge write a status the org
// lacks is caught before it is used, and an employee reads the state in plain words.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  CASE_STATE_MAPPING_SCHEMA,
  CASE_STATES,
  defaultCaseStateMapping,
  describeCaseState,
  mappingFromLegacyStatuses,
  stateOfCase,
  validateCaseStateMapping,
  type OrgCaseStatus,
} from './case-states.js';

const STANDARD: OrgCaseStatus[] = [
  { value: 'New', isClosed: false },
  { value: 'Working', isClosed: false },
  { value: 'Escalated', isClosed: false },
  { value: 'Closed', isClosed: true },
];

test('the default maps the standard picklist and the common extras, and is valid on a standard org', () => {
  const mapping = defaultCaseStateMapping();
  const cases = [
    ['New', false, 'NEW'],
    ['Working', false, 'IN_PROGRESS'],
    ['Escalated', false, 'IN_PROGRESS'],
    ['Closed', true, 'CLOSED'],
    ['Waiting on Employee', false, 'WAITING_FOR_EMPLOYEE'],
    ['Waiting on Customer', false, 'WAITING_FOR_EMPLOYEE'],
    ['Resolved', true, 'RESOLVED'],
    ['On Hold', false, 'IN_PROGRESS'],
  ] as const;
  for (const [status, isClosed, state] of cases)
    assert.deepEqual(stateOfCase(mapping, { status, isClosed }), { state, mapped: true }, status);
  const { errors, warnings } = validateCaseStateMapping(mapping, STANDARD);
  assert.deepEqual(errors, []);
  assert.deepEqual(
    warnings.map((issue) => issue.status),
    ['On Hold', 'Waiting on Employee', 'Waiting on Customer', 'Resolved'],
  );
  assert.ok(CASE_STATE_MAPPING_SCHEMA.safeParse(mapping).success);
});

test('a status the mapping lacks falls back on IsClosed, flagged as unmapped', () => {
  const mapping = defaultCaseStateMapping();
  assert.deepEqual(stateOfCase(mapping, { status: 'Duplicate', isClosed: true }), {
    state: 'CLOSED',
    mapped: false,
  });
  assert.deepEqual(stateOfCase(mapping, { status: 'Triage', isClosed: false }), {
    state: 'IN_PROGRESS',
    mapped: false,
  });
  assert.deepEqual(stateOfCase(mapping, { status: 'constructor', isClosed: false }), {
    state: 'IN_PROGRESS',
    mapped: false,
  });
});

test('validation: unmapped statuses are warnings, actions naming a missing or unfit status are errors', () => {
  const org: OrgCaseStatus[] = [
    ...STANDARD,
    { value: 'Triage', isClosed: false },
    { value: 'Solved', isClosed: true },
    { value: 'Legacy', isClosed: false, active: false },
  ];
  const mapping = {
    states: {
      ...defaultCaseStateMapping().states,
      Solved: 'IN_PROGRESS' as const,
      Escalated: 'CLOSED' as const,
    },
    actions: { reopen: 'Closed', resolve: 'Resolved', employeeReplied: 'Triage' },
  };
  const { errors, warnings } = validateCaseStateMapping(mapping, org);
  assert.deepEqual(
    errors.map((issue) => [issue.status, issue.message]),
    [
      ['Closed', 'The "reopen" action must write an open status, but "Closed" is closed.'],
      [
        'Resolved',
        'The "resolve" action writes the status "Resolved", which the org\'s picklist does not offer.',
      ],
    ],
  );
  const byStatus = Object.fromEntries(warnings.map((issue) => [issue.status, issue.message]));
  assert.equal(byStatus['Triage'], 'The status "Triage" is not mapped; cases in it count as IN_PROGRESS.');
  assert.equal(
    byStatus['Solved'],
    'The status "Solved" closes the case in Salesforce but is mapped to IN_PROGRESS.',
  );
  assert.equal(
    byStatus['Escalated'],
    'The status "Escalated" is mapped to CLOSED but does not close the case in Salesforce.',
  );
  assert.equal(byStatus['Resolved'], 'The org has no status "Resolved"; its mapping is unused.');
  assert.equal(byStatus['Legacy'], undefined, 'inactive values need no mapping');
});

test('resolve must land in RESOLVED or CLOSED; an inactive status cannot be written', () => {
  const org: OrgCaseStatus[] = [...STANDARD, { value: 'Old', isClosed: false, active: false }];
  const mapping = {
    states: defaultCaseStateMapping().states,
    actions: { reopen: 'Old', resolve: 'Working', employeeReplied: 'New' },
  };
  const { errors } = validateCaseStateMapping(mapping, org);
  assert.deepEqual(
    errors.map((issue) => issue.message),
    [
      'The "reopen" action writes the status "Old", which the org\'s picklist does not offer.',
      'The "resolve" action must write a status mapped to RESOLVED or CLOSED, but "Working" is IN_PROGRESS.',
    ],
  );
});

test('legacy one-status-per-notion settings convert without changing what they meant', () => {
  const mapping = mappingFromLegacyStatuses({
    new: 'Open',
    waitingOnEmployee: 'Pending Customer',
    employeeReplied: 'In Progress',
    resolved: 'Solved',
    closed: 'Done',
  });
  assert.equal(mapping.states['Open'], 'NEW');
  assert.equal(mapping.states['Pending Customer'], 'WAITING_FOR_EMPLOYEE');
  assert.equal(mapping.states['In Progress'], 'IN_PROGRESS');
  assert.equal(mapping.states['Solved'], 'RESOLVED');
  assert.equal(mapping.states['Done'], 'CLOSED');
  assert.equal(mapping.states['Working'], 'IN_PROGRESS');
  assert.deepEqual(mapping.actions, {
    reopen: 'In Progress',
    resolve: 'Solved',
    employeeReplied: 'In Progress',
  });
});

test('every state has words for the employee, free of Salesforce vocabulary', () => {
  const seen = new Set<string>();
  for (const state of CASE_STATES) {
    const { label, meaning } = describeCaseState(state);
    assert.ok(label.length > 0 && meaning.length > 0);
    assert.doesNotMatch(`${label} ${meaning}`, /case|status|salesforce|_/i);
    seen.add(label);
  }
  assert.equal(seen.size, CASE_STATES.length);
  assert.equal(describeCaseState('WAITING_FOR_EMPLOYEE').label, 'Waiting for you');
});

test('the schema refuses unknown states and missing actions', () => {
  assert.equal(
    CASE_STATE_MAPPING_SCHEMA.safeParse({
      states: { New: 'OPEN' },
      actions: defaultCaseStateMapping().actions,
    }).success,
    false,
  );
  assert.equal(
    CASE_STATE_MAPPING_SCHEMA.safeParse({ states: {}, actions: { reopen: 'Working' } }).success,
    false,
  );
});
