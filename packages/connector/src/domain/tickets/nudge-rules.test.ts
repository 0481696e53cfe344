// A waiting employee is reminded after the tenant's threshold, at most `maxReminders` times, never twice within the
// gap, never in their quiet hours (by their own wall clock, DST and half-hour zones included), and never after they
// replied.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  decideNudge,
  isQuietTime,
  nudgeSettingsOf,
  type NudgeInput,
  type NudgeSettings,
  type WaitingPeriod,
} from './nudge-rules.js';

const settings = (overrides: Partial<NudgeSettings> = {}): NudgeSettings =>
  nudgeSettingsOf({
    enabled: true,
    afterMinutes: 60,
    gapMinutes: 120,
    maxReminders: 2,
    quietHours: { start: '22:00', end: '07:00' },
    timeZone: 'UTC',
    ...overrides,
  });

const period = (overrides: Partial<WaitingPeriod> = {}): WaitingPeriod => ({
  caseId: '500A',
  since: '2026-12-01T09:00:00.000Z',
  remindersSent: 0,
  lastReminderAt: null,
  ...overrides,
});

const input = (now: string, overrides: Partial<NudgeInput> = {}): NudgeInput => ({
  tenantId: 'acme',
  period: period(),
  lastReplyAt: null,
  employeeZone: null,
  now: new Date(now),
  ...overrides,
});

test('the first reminder comes once the threshold has passed, numbered 1 with a stable event id', () => {
  assert.deepEqual(decideNudge(input('2026-12-01T09:59:00.000Z'), settings()), {
    send: false,
    why: 'too-soon',
  });
  const decision = decideNudge(input('2026-12-01T10:00:00.000Z'), settings());
  assert.deepEqual(decision, {
    send: true,
    reminder: 1,
    eventId: 'acme:500A:nudge:2026-12-01T09:00:00.000Z:1',
    zone: 'UTC',
  });
  // decided again (a restart before it was recorded): the same event
  assert.deepEqual(decideNudge(input('2026-12-01T10:05:00.000Z'), settings()), {
    ...decision,
  });
});

test('nudges are off unless the tenant turns them on', () => {
  assert.deepEqual(decideNudge(input('2026-12-03T10:00:00.000Z'), nudgeSettingsOf(undefined)), {
    send: false,
    why: 'disabled',
  });
});

test('a second reminder waits for the gap, and the cap ends them', () => {
  const first = period({ remindersSent: 1, lastReminderAt: '2026-12-01T10:00:00.000Z' });
  assert.deepEqual(decideNudge(input('2026-12-01T11:59:00.000Z', { period: first }), settings()), {
    send: false,
    why: 'gap',
  });
  const second = decideNudge(input('2026-12-01T12:00:00.000Z', { period: first }), settings());
  assert.equal(second.send && second.reminder, 2);
  assert.equal(second.send && second.eventId, 'acme:500A:nudge:2026-12-01T09:00:00.000Z:2');
  const capped = period({ remindersSent: 2, lastReminderAt: '2026-12-01T12:00:00.000Z' });
  assert.deepEqual(decideNudge(input('2026-12-05T12:00:00.000Z', { period: capped }), settings()), {
    send: false,
    why: 'cap',
  });
});

test('no reminder once the employee replied in this waiting period; a reply before it does not count', () => {
  assert.deepEqual(
    decideNudge(input('2026-12-01T12:00:00.000Z', { lastReplyAt: '2026-12-01T09:30:00.000Z' }), settings()),
    { send: false, why: 'replied' },
  );
  const earlier = decideNudge(
    input('2026-12-01T12:00:00.000Z', { lastReplyAt: '2026-12-01T08:00:00.000Z' }),
    settings(),
  );
  assert.equal(earlier.send, true);
});

test('never in quiet hours by the tenant zone, and the employee zone wins when known', () => {
  // 23:00 UTC is quiet in UTC; in Asia/Kolkata it is 04:30 the next morning: quiet too; 02:00 UTC = 07:30 IST
  const late = input('2026-12-01T23:00:00.000Z');
  assert.deepEqual(decideNudge(late, settings()), { send: false, why: 'quiet-hours' });
  const kolkataMorning = decideNudge(
    input('2026-12-02T02:00:00.000Z', { employeeZone: 'Asia/Kolkata' }),
    settings(),
  );
  assert.equal(kolkataMorning.send, true);
  assert.equal(kolkataMorning.send && kolkataMorning.zone, 'Asia/Kolkata');
  // 02:00 UTC is quiet for a UTC employee (and for one whose zone is unknown)
  assert.deepEqual(decideNudge(input('2026-12-02T02:00:00.000Z'), settings()), {
    send: false,
    why: 'quiet-hours',
  });
});

test('Asia/Kolkata: quiet hours end at 07:00 local, i.e. 01:30 UTC (a half-hour offset)', () => {
  const quiet = { start: '22:00', end: '07:00' };
  assert.equal(isQuietTime(new Date('2026-12-02T01:29:00.000Z'), 'Asia/Kolkata', quiet), true);
  assert.equal(isQuietTime(new Date('2026-12-02T01:30:00.000Z'), 'Asia/Kolkata', quiet), false);
  assert.equal(isQuietTime(new Date('2026-12-01T16:29:00.000Z'), 'Asia/Kolkata', quiet), false);
  assert.equal(isQuietTime(new Date('2026-12-01T16:30:00.000Z'), 'Asia/Kolkata', quiet), true);
});

test('DST: on the morning Berlin springs forward, 05:30 UTC is 07:30 local (not quiet), not 06:30', () => {
  const quiet = { start: '22:00', end: '07:00' };
  // 2026-03-29 clocks go from 02:00 CET to 03:00 CEST
  assert.equal(isQuietTime(new Date('2026-03-29T04:59:00.000Z'), 'Europe/Berlin', quiet), true); // 06:59
  assert.equal(isQuietTime(new Date('2026-03-29T05:00:00.000Z'), 'Europe/Berlin', quiet), false); // 07:00
  // the day before, still on CET: 05:30 UTC is 06:30 local, quiet
  assert.equal(isQuietTime(new Date('2026-03-28T05:30:00.000Z'), 'Europe/Berlin', quiet), true);
  // New York falls back on 2026-11-01: 11:30 UTC is 06:30 EST (quiet), an hour earlier than the EDT day before
  assert.equal(isQuietTime(new Date('2026-11-01T11:30:00.000Z'), 'America/New_York', quiet), true);
  assert.equal(isQuietTime(new Date('2026-10-31T11:30:00.000Z'), 'America/New_York', quiet), false);
  const berlin = settings({ timeZone: 'Europe/Berlin' });
  const springMorning = period({ since: '2026-03-28T12:00:00.000Z' });
  assert.deepEqual(decideNudge(input('2026-03-29T04:59:00.000Z', { period: springMorning }), berlin), {
    send: false,
    why: 'quiet-hours',
  });
  assert.equal(decideNudge(input('2026-03-29T05:00:00.000Z', { period: springMorning }), berlin).send, true);
});

test('quiet hours that do not span midnight, and none at all', () => {
  const lunch = { start: '12:00', end: '13:00' };
  assert.equal(isQuietTime(new Date('2026-12-01T12:30:00.000Z'), 'UTC', lunch), true);
  assert.equal(isQuietTime(new Date('2026-12-01T13:00:00.000Z'), 'UTC', lunch), false);
  assert.equal(isQuietTime(new Date('2026-12-01T11:59:00.000Z'), 'UTC', lunch), false);
  const noQuiet = settings({ quietHours: null });
  assert.equal(decideNudge(input('2026-12-01T23:00:00.000Z'), noQuiet).send, true);
});
