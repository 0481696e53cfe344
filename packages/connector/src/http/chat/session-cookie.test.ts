import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { FastifyRequest } from 'fastify';

import { isAppError } from '../../errors/app-error.js';
import { cookieValue, csrfTokenOf, sessionTokenOf } from './session-cookie.js';

const request = (method: string, headers: Record<string, string>): FastifyRequest =>
  ({ method, headers }) as unknown as FastifyRequest;
const refusedWith = (code: string) => (err: unknown) => isAppError(err, code);

void test('the Bearer header wins; the cookie works for reads; a write with the cookie needs the CSRF token', () => {
  assert.equal(sessionTokenOf(request('POST', { authorization: 'Bearer cbs_a' })), 'cbs_a');
  assert.equal(sessionTokenOf(request('GET', { cookie: 'x=1; cb_session=cbs_b' })), 'cbs_b');
  assert.throws(
    () => sessionTokenOf(request('POST', { cookie: 'cb_session=cbs_b' })),
    refusedWith('CHAT_CSRF_REFUSED'),
  );
  assert.throws(
    () =>
      sessionTokenOf(
        request('POST', { cookie: 'cb_session=cbs_b', 'x-casebridge-csrf': csrfTokenOf('cbs_c') }),
      ),
    refusedWith('CHAT_CSRF_REFUSED'),
    "another session's token does not do",
  );
  assert.equal(
    sessionTokenOf(
      request('DELETE', { cookie: 'cb_session=cbs_b', 'x-casebridge-csrf': csrfTokenOf('cbs_b') }),
    ),
    'cbs_b',
  );
  assert.throws(() => sessionTokenOf(request('GET', {})), refusedWith('BOT_SESSION_INVALID'));
  assert.throws(
    () => sessionTokenOf(request('GET', { authorization: 'Basic abc' })),
    refusedWith('BOT_SESSION_INVALID'),
  );
});

void test('a cookie is found by its exact name, and the CSRF token reveals nothing of the session', () => {
  assert.equal(cookieValue('cb_session_old=1; cb_session=2', 'cb_session'), '2');
  assert.equal(cookieValue(undefined, 'cb_session'), undefined);
  assert.ok(!csrfTokenOf('cbs_secret').includes('secret'));
  assert.notEqual(csrfTokenOf('cbs_a'), csrfTokenOf('cbs_b'));
});
