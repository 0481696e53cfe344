// Which failures are retried, for which requests, and how long the jittered backoff waits.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { backoffDelay, classifyFailure, DEFAULT_RETRY, mayRetry } from './retry-policy.js';

const f = (status: number | null, errorCode: string | null, message = '') =>
  classifyFailure({ status, errorCode, message });

void test('classification by error', () => {
  assert.equal(f(401, 'INVALID_SESSION_ID'), 'session-expired');
  // the identity URL answers an expired token with a plain-text 401 (Bad_OAuth_Token), no errorCode
  assert.equal(f(401, 'HTTP_401', 'Bad_OAuth_Token'), 'session-expired');
  assert.equal(
    f(401, 'INVALID_SESSION_ID', 'This session is not valid for use with the REST API'),
    'permanent',
  );
  assert.equal(f(403, 'REQUEST_LIMIT_EXCEEDED', 'TotalRequests Limit exceeded.'), 'limit');
  assert.equal(
    f(403, 'REQUEST_LIMIT_EXCEEDED', 'ConcurrentPerOrgLongTxn Limit exceeded'),
    'transient-not-applied',
  );
  assert.equal(f(403, 'REQUEST_LIMIT_EXCEEDED', 'Limit exceeded'), 'transient-not-applied');
  assert.equal(
    classifyFailure({
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'Limit exceeded',
      usage: { used: 15000, max: 15000 },
    }),
    'limit',
  );
  assert.equal(
    classifyFailure({
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'Limit exceeded',
      usage: { used: 131, max: 15000 },
    }),
    'transient-not-applied',
  );
  assert.equal(f(503, 'SERVER_UNAVAILABLE'), 'transient-not-applied');
  assert.equal(f(500, 'UNKNOWN_EXCEPTION'), 'transient-not-applied');
  assert.equal(f(400, 'UNABLE_TO_LOCK_ROW'), 'transient-not-applied');
  assert.equal(f(null, 'ECONNREFUSED'), 'transient-not-applied');
  assert.equal(f(null, 'ECONNRESET'), 'transient-ambiguous');
  assert.equal(f(null, 'FetchError', 'socket hang up'), 'transient-ambiguous');
  assert.equal(f(502, null), 'transient-ambiguous');
  assert.equal(f(503, null), 'transient-ambiguous');
  assert.equal(f(400, 'MALFORMED_QUERY'), 'permanent');
  assert.equal(f(404, 'NOT_FOUND'), 'permanent');
  assert.equal(f(403, 'INSUFFICIENT_ACCESS_OR_READONLY'), 'permanent');
});

void test('an unsafe write is retried only when Salesforce cannot have applied it', () => {
  assert.equal(mayRetry('transient-not-applied', 'unsafe'), true);
  assert.equal(mayRetry('transient-ambiguous', 'unsafe'), false);
  assert.equal(mayRetry('transient-ambiguous', 'idempotent'), true);
  assert.equal(mayRetry('transient-ambiguous', 'read'), true);
  assert.equal(mayRetry('permanent', 'read'), false);
  assert.equal(mayRetry('limit', 'read'), false);
});

void test('full jitter under an exponential ceiling capped at maxDelayMs', () => {
  assert.equal(
    backoffDelay(1, DEFAULT_RETRY, () => 0.999),
    499,
  );
  assert.equal(
    backoffDelay(3, DEFAULT_RETRY, () => 0.5),
    1000,
  );
  assert.equal(
    backoffDelay(20, DEFAULT_RETRY, () => 0.5),
    15_000,
  );
  assert.equal(
    backoffDelay(2, DEFAULT_RETRY, () => 0),
    0,
  );
});
