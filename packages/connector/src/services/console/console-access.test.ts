// One-time console links: a link works once and only within 5 minutes; a session ends after 30 idle minutes or
// 12 hours; the form token is the session's own.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ConsoleAccess, LINK_TTL_MS, SESSION_IDLE_MS, SESSION_MAX_MS } from './console-access.js';

function sut() {
  let now = Date.parse('2026-12-02T04:00:00.000Z');
  let n = 0;
  const access = new ConsoleAccess({
    clock: { now: () => new Date(now) },
    randomToken: () => `token-${++n}`,
  });
  return { access, advance: (ms: number) => (now += ms) };
}

test('a link is redeemed once; the second use is refused', () => {
  const { access } = sut();
  const { token, expiresAt } = access.mintLink();
  assert.equal(expiresAt, '2026-12-02T04:05:00.000Z');
  const first = access.redeem(token);
  assert.ok(first !== null);
  assert.equal(access.redeem(token), null);
  assert.ok(access.session(first.sessionToken) !== null);
});

test('a link past its 5 minutes is refused, one just before is accepted', () => {
  const { access, advance } = sut();
  const late = access.mintLink().token;
  const inTime = access.mintLink().token;
  advance(LINK_TTL_MS - 1);
  assert.ok(access.redeem(inTime) !== null);
  advance(1);
  assert.equal(access.redeem(late), null);
});

test('an unknown link or cookie is no session', () => {
  const { access } = sut();
  assert.equal(access.redeem('made-up'), null);
  assert.equal(access.session('made-up'), null);
  assert.equal(access.session(undefined), null);
});

test('a session ends after 30 idle minutes, and after 12 hours however busy', () => {
  const { access, advance } = sut();
  const idle = access.redeem(access.mintLink().token);
  const busy = access.redeem(access.mintLink().token);
  assert.ok(idle !== null && busy !== null);
  for (let elapsed = 0; elapsed < SESSION_MAX_MS - SESSION_IDLE_MS; elapsed += SESSION_IDLE_MS / 2) {
    advance(SESSION_IDLE_MS / 2);
    assert.ok(access.session(busy.sessionToken) !== null, `busy session alive at ${elapsed}`);
  }
  assert.equal(access.session(idle.sessionToken), null);
  // 11.5 hours in: two more quarter hours reach 12 hours exactly, one millisecond more ends it (not idle)
  advance(SESSION_IDLE_MS / 2);
  assert.ok(access.session(busy.sessionToken) !== null);
  advance(SESSION_IDLE_MS / 2);
  assert.ok(access.session(busy.sessionToken) !== null);
  advance(1);
  assert.equal(access.session(busy.sessionToken), null);
});

test("the form token is the session's own; signing out ends the session", () => {
  const { access } = sut();
  const a = access.redeem(access.mintLink().token);
  const b = access.redeem(access.mintLink().token);
  assert.ok(a !== null && b !== null);
  assert.ok(ConsoleAccess.sameCsrf(a.session, a.session.csrf));
  assert.equal(ConsoleAccess.sameCsrf(a.session, b.session.csrf), false);
  assert.equal(ConsoleAccess.sameCsrf(a.session, undefined), false);
  access.end(a.sessionToken);
  assert.equal(access.session(a.sessionToken), null);
});
