// The webhook body is what docs/webhooks.md shows, names its event by the header's id, and has no room for an
// internal note.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import type { TicketNotification } from '../../domain/tickets/notification-rules.js';
import { WEBHOOK_EVENT_TYPES, webhookEvent, webhookEventBody } from './payload.js';

const guide = readFileSync(new URL('../../../../../docs/webhooks.md', import.meta.url), 'utf8');

const commentNotification: TicketNotification = {
  eventId: 'acme:500AA000001abcdEAA:comment:00aAA000000xyz1QAA:public',
  kind: 'agent-comment',
  tenantId: 'acme',
  caseId: '500AA000001abcdEAA',
  caseNumber: '00001001',
  employeeId: '003AA000004adaXQAQ',
  state: 'WAITING_FOR_EMPLOYEE',
  occurredAt: '2026-12-01T10:05:00.000Z',
  comment: {
    id: '00aAA000000xyz1QAA',
    body: 'Could you restart the VPN client and tell me if it still drops?',
    createdAt: '2026-12-01T10:05:00.000Z',
  },
};

test('the example event in docs/webhooks.md is exactly what casebridge sends for that notification', () => {
  const match = /<!-- example:event -->\n```json\n([\s\S]*?)\n```/.exec(guide);
  assert.ok(match?.[1], 'docs/webhooks.md has the example event');
  assert.deepEqual(JSON.parse(match[1]), JSON.parse(webhookEventBody(commentNotification)));
});

test('every event type is listed in the guide', () => {
  for (const type of Object.values(WEBHOOK_EVENT_TYPES)) assert.ok(guide.includes(`| \`${type}\` |`), type);
});

test('state events carry no comment; owner events carry the owner', () => {
  const withoutComment: TicketNotification = { ...commentNotification };
  delete (withoutComment as { comment?: unknown }).comment;
  const waiting = webhookEvent({
    ...withoutComment,
    kind: 'waiting-for-employee',
    eventId: 'acme:500AA000001abcdEAA:state:WAITING_FOR_EMPLOYEE:2026-12-01T10:05:00.000Z',
  });
  assert.equal(waiting.type, 'case.waiting_for_employee');
  assert.equal(waiting.id, 'acme:500AA000001abcdEAA:state:WAITING_FOR_EMPLOYEE:2026-12-01T10:05:00.000Z');
  assert.equal('comment' in waiting, false);
  const owner = webhookEvent({ ...withoutComment, kind: 'owner-changed', ownerId: '005BOB' });
  assert.deepEqual(owner.owner, { id: '005BOB' });
  assert.equal(owner.case.stateLabel, 'Waiting for you');
});

test('a reminder says which one it is, of how many, and since when the case waits', () => {
  const withoutComment: TicketNotification = { ...commentNotification };
  delete (withoutComment as { comment?: unknown }).comment;
  const reminder = webhookEvent({
    ...withoutComment,
    kind: 'nudge',
    eventId: 'acme:500AA000001abcdEAA:nudge:2026-12-01T10:05:00.000Z:1',
    reminder: { number: 1, of: 2, waitingSince: '2026-12-01T10:05:00.000Z' },
  });
  assert.equal(reminder.type, 'case.reminder');
  assert.deepEqual(reminder.reminder, { number: 1, of: 2, waitingSince: '2026-12-01T10:05:00.000Z' });
  assert.equal('comment' in reminder, false);
});
