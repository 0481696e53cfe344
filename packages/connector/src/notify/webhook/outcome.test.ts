// Failures are sorted into "try again later" and "a person must act", so the outbox neither gives up on a
// passing outage nor retries a broken configuration for days.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { classifyNetworkError, classifyStatus, parseRetryAfter } from './outcome.js';

const errno = (code: string) => Object.assign(new Error(code), { code });

test('connection trouble is retried; TLS and certificate failures are permanent', () => {
  for (const code of [
    'ECONNREFUSED',
    'ECONNRESET',
    'EPIPE',
    'ETIMEDOUT',
    'EHOSTUNREACH',
    'ENETUNREACH',
    'EAI_AGAIN',
    'HPE_INVALID_CONSTANT',
  ])
    assert.deepEqual(classifyNetworkError(errno(code)), { kind: 'retryable', reason: code }, code);
  for (const code of [
    'ERR_TLS_CERT_ALTNAME_INVALID',
    'CERT_HAS_EXPIRED',
    'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    'DEPTH_ZERO_SELF_SIGNED_CERT',
    'SELF_SIGNED_CERT_IN_CHAIN',
    'ERR_SSL_WRONG_VERSION_NUMBER',
  ])
    assert.deepEqual(classifyNetworkError(errno(code)), { kind: 'permanent', reason: `TLS: ${code}` }, code);
  assert.deepEqual(classifyNetworkError(new Error('odd')), { kind: 'retryable', reason: 'network error' });
  assert.deepEqual(classifyNetworkError(undefined), { kind: 'retryable', reason: 'network error' });
});

test('every 2xx is delivered, every 3xx refused, and Retry-After rides along only on retries', () => {
  assert.deepEqual(classifyStatus(200), { kind: 'delivered', status: 200 });
  assert.deepEqual(classifyStatus(299), { kind: 'delivered', status: 299 });
  assert.equal(classifyStatus(301).kind, 'permanent');
  assert.equal(classifyStatus(308).kind, 'permanent');
  assert.deepEqual(classifyStatus(408, 5), {
    kind: 'retryable',
    status: 408,
    reason: 'HTTP 408',
    retryAfterSeconds: 5,
  });
  assert.deepEqual(classifyStatus(425), { kind: 'retryable', status: 425, reason: 'HTTP 425' });
  assert.deepEqual(classifyStatus(413, 5), { kind: 'permanent', status: 413, reason: 'HTTP 413' });
  assert.deepEqual(classifyStatus(505), { kind: 'permanent', status: 505, reason: 'HTTP 505' });
  assert.equal(classifyStatus(599).kind, 'retryable');
  assert.equal(classifyStatus(0).kind, 'permanent');
});

test('Retry-After is read as seconds or as an HTTP date; anything else is ignored', () => {
  const now = 1_764_600_000;
  assert.equal(parseRetryAfter('120', now), 120);
  assert.equal(parseRetryAfter(' 0 ', now), 0);
  assert.equal(parseRetryAfter(new Date((now + 90) * 1000).toUTCString(), now), 90);
  assert.equal(parseRetryAfter(new Date((now - 90) * 1000).toUTCString(), now), 0);
  assert.equal(parseRetryAfter('soon', now), undefined);
  assert.equal(parseRetryAfter('-5', now), undefined);
  assert.equal(parseRetryAfter(undefined, now), undefined);
});

test('the obsolete HTTP-date forms are read too', () => {
  const now = Date.parse('Sun, 06 Nov 1994 08:49:00 GMT') / 1000;
  assert.equal(parseRetryAfter('Sunday, 06-Nov-94 08:49:37 GMT', now), 37);
  assert.equal(parseRetryAfter('Sun Nov  6 08:49:37 1994', now), 37);
});
