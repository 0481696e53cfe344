import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  confidenceOf,
  funnelOf,
  ineligibility,
  OFFER_MIN_RATIO,
  shouldOffer,
  type ResolutionCandidate,
} from './resolution-rules.js';

const untouched: ResolutionCandidate = {
  state: 'NEW',
  createdById: '005EMPLOYEE',
  lastModifiedById: '005EMPLOYEE',
  ownerId: '00GQUEUE',
  commentAuthorIds: ['005EMPLOYEE'],
  employeeId: '003ADA',
  filedByBot: false,
};

void test('only a new case nobody but its creator touched, not filed by the bot, with a known employee, is eligible', () => {
  assert.equal(ineligibility(untouched), null);
  assert.equal(ineligibility({ ...untouched, ownerId: '005EMPLOYEE' }), null, 'owned by its creator');
  assert.equal(ineligibility({ ...untouched, ownerId: null }), null);
  assert.equal(ineligibility({ ...untouched, state: 'IN_PROGRESS' }), 'not-new');
  assert.equal(ineligibility({ ...untouched, filedByBot: true }), 'filed-by-bot');
  assert.equal(ineligibility({ ...untouched, employeeId: null }), 'employee-unknown');
  assert.equal(ineligibility({ ...untouched, commentAuthorIds: ['005AGENT'] }), 'agent-commented');
  assert.equal(ineligibility({ ...untouched, lastModifiedById: '005AGENT' }), 'modified-by-other');
  assert.equal(ineligibility({ ...untouched, ownerId: '005AGENT' }), 'owned-by-agent');
});

void test('confidence is the best score over the second; an offer needs the threshold', () => {
  assert.equal(confidenceOf([]), 0);
  assert.equal(confidenceOf([8, 4]), 2);
  assert.equal(confidenceOf([8]), 10, 'a lone hit is capped, not infinite');
  assert.equal(shouldOffer(confidenceOf([8, 4])), true);
  assert.equal(shouldOffer(confidenceOf([8, 7])), false);
  assert.equal(shouldOffer(OFFER_MIN_RATIO), true);
});

void test('the funnel counts every later stage in the earlier ones; ineligible cases are not in it', () => {
  assert.deepEqual(
    funnelOf({
      ineligible: 5,
      'not-offered': 3,
      offered: 1,
      confirmed: 2,
      reopened: 1,
      declined: 1,
      'no-answer': 1,
      'agent-changed': 1,
    }),
    { eligible: 10, offered: 7, confirmed: 3, declined: 1, noAnswer: 1, reopened: 1 },
  );
});
