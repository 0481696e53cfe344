// The employee hears about what an agent did on their case, once each, and never about internal notes or what
// casebridge wrote itself.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { CaseComment, SupportCase } from '../support.js';
import type { CaseEmployee } from './case-employee.js';
import { defaultCaseStateMapping } from './case-states.js';
import {
  decideEnding,
  decideNotifications,
  type NotificationRules,
  type OwnWriteProbe,
} from './notification-rules.js';

const SERVICE_USER = '005SERVICE';
const AGENT = '005AGENT';

const caseStub = (overrides: Partial<SupportCase> = {}): SupportCase => ({
  id: '500A',
  number: '00001001',
  subject: 'VPN drops',
  description: null,
  status: 'Working',
  isClosed: false,
  priority: 'Medium',
  origin: 'Chat',
  employeeId: '003ADA',
  suppliedEmail: null,
  ownerId: '005AGENT',
  createdAt: '2026-12-01T09:00:00.000Z',
  updatedAt: '2026-12-01T10:00:00.000Z',
  modstamp: '2026-12-01T10:00:00.000Z',
  ...overrides,
});
const commentStub = (overrides: Partial<CaseComment> = {}): CaseComment => ({
  id: '00aC1',
  caseId: '500A',
  body: 'Could you restart the VPN client?',
  isPublic: true,
  authorId: AGENT,
  createdAt: '2026-12-01T10:05:00.000Z',
  modstamp: '2026-12-01T10:05:00.000Z',
  ...overrides,
});
const ada: CaseEmployee = { kind: 'employee', employeeId: '003ADA', via: 'contact' };

function rules(
  overrides: Partial<NotificationRules> = {},
  ownWrites: OwnWriteProbe[] = [],
): NotificationRules {
  return {
    tenantId: 'acme',
    mapping: defaultCaseStateMapping(),
    ownAuthorIds: new Set([SERVICE_USER]),
    isOwnWrite: (probe) => ownWrites.some((write) => JSON.stringify(write) === JSON.stringify(probe)),
    notifyOwnerChange: false,
    ...overrides,
  };
}

test("an agent's public comment notifies the employee with its text and a stable event id", () => {
  const before = caseStub();
  const { notifications } = decideNotifications(
    { previous: before, current: before, comments: [commentStub()], employee: ada },
    rules(),
  );
  assert.deepEqual(notifications, [
    {
      tenantId: 'acme',
      caseId: '500A',
      caseNumber: '00001001',
      employeeId: '003ADA',
      state: 'IN_PROGRESS',
      eventId: 'acme:500A:comment:00aC1:public',
      kind: 'agent-comment',
      occurredAt: '2026-12-01T10:05:00.000Z',
      comment: {
        id: '00aC1',
        body: 'Could you restart the VPN client?',
        createdAt: '2026-12-01T10:05:00.000Z',
      },
    },
  ]);
});

test('internal comments never reach a notification, in any field', () => {
  const secret = 'INTERNAL: employee is on a PIP, do not mention';
  const now = caseStub({ status: 'Waiting on Employee', modstamp: '2026-12-01T10:06:00.000Z' });
  const decision = decideNotifications(
    {
      previous: caseStub(),
      current: now,
      comments: [commentStub({ id: '00aC2', body: secret, isPublic: false })],
      employee: ada,
    },
    rules(),
  );
  assert.deepEqual(decision.ignoredComments, [{ commentId: '00aC2', why: 'internal' }]);
  assert.deepEqual(
    decision.notifications.map((n) => n.kind),
    ['waiting-for-employee'],
  );
  assert.ok(!JSON.stringify(decision.notifications).includes('PIP'));
});

test("casebridge's own comments are ignored, by author and by the ledger of its own writes", () => {
  const current = caseStub();
  const decision = decideNotifications(
    {
      previous: current,
      current,
      comments: [
        commentStub({ id: '00aOWN1', authorId: SERVICE_USER }),
        // written through another user (e.g. a user-context post) but recorded in the ledger
        commentStub({ id: '00aOWN2', authorId: '005OTHER' }),
        commentStub({ id: '00aC3' }),
      ],
      employee: ada,
    },
    rules({}, [{ kind: 'comment', caseId: '500A', commentId: '00aOWN2' }]),
  );
  assert.deepEqual(decision.ignoredComments, [
    { commentId: '00aOWN1', why: 'own-author' },
    { commentId: '00aOWN2', why: 'own-write' },
  ]);
  assert.deepEqual(
    decision.notifications.map((n) => n.comment?.id),
    ['00aC3'],
  );
});

test('an internal note switched to public is relayed then, with the id an edit of it keeps', () => {
  const current = caseStub();
  const internal = commentStub({ id: '00aC4', isPublic: false });
  const first = decideNotifications(
    { previous: current, current, comments: [internal], employee: ada },
    rules(),
  );
  assert.deepEqual(first.notifications, []);
  const published = { ...internal, isPublic: true, modstamp: '2026-12-01T11:00:00.000Z' };
  const second = decideNotifications(
    { previous: current, current, comments: [published], employee: ada },
    rules(),
  );
  const edited = {
    ...published,
    body: 'Could you restart the VPN client? (typo fixed)',
    modstamp: '2026-12-01T12:00:00.000Z',
  };
  const third = decideNotifications(
    { previous: current, current, comments: [edited], employee: ada },
    rules(),
  );
  assert.equal(second.notifications.length, 1);
  // same event id: the outbox holds it already, so the edit is not relayed a second time
  assert.equal(third.notifications[0]?.eventId, second.notifications[0]?.eventId);
  assert.equal(second.notifications[0]?.eventId, 'acme:500A:comment:00aC4:public');
});

test('state changes: waiting for the employee, resolved, closed; once per change, not for moves between open states', () => {
  const at = (status: string, minute: number, isClosed = false) =>
    caseStub({ status, isClosed, modstamp: `2026-12-01T10:${String(minute).padStart(2, '0')}:00.000Z` });
  const kinds = (previous: SupportCase, current: SupportCase) =>
    decideNotifications({ previous, current, comments: [], employee: ada }, rules()).notifications.map(
      (n) => [n.kind, n.eventId],
    );
  assert.deepEqual(kinds(at('Working', 1), at('Waiting on Employee', 2)), [
    ['waiting-for-employee', 'acme:500A:state:WAITING_FOR_EMPLOYEE:2026-12-01T10:02:00.000Z'],
  ]);
  assert.deepEqual(kinds(at('Waiting on Employee', 2), at('Resolved', 3, true)), [
    ['resolved', 'acme:500A:state:RESOLVED:2026-12-01T10:03:00.000Z'],
  ]);
  assert.deepEqual(kinds(at('Working', 1), at('Closed', 4, true)), [
    ['closed', 'acme:500A:state:CLOSED:2026-12-01T10:04:00.000Z'],
  ]);
  assert.deepEqual(
    kinds(at('Resolved', 3, true), at('Closed', 4, true)),
    [],
    'resolved then closed: told once',
  );
  assert.deepEqual(kinds(at('New', 0), at('Working', 1)), []);
  assert.deepEqual(kinds(at('Working', 1), at('Escalated', 5)), []);
  assert.deepEqual(
    kinds(at('Waiting on Employee', 2), at('Waiting on Customer', 6)),
    [],
    'same state, other status',
  );
  // the same snapshot read again (overlap window) changes nothing
  assert.deepEqual(kinds(at('Waiting on Employee', 2), at('Waiting on Employee', 2)), []);
  // re-deciding a change (restart before delivery) gives the very same id
  assert.deepEqual(
    kinds(at('Working', 1), at('Waiting on Employee', 2)),
    kinds(at('Working', 1), at('Waiting on Employee', 2)),
  );
});

test("a status casebridge wrote itself (the employee's reply or close) notifies nobody", () => {
  const previous = caseStub({ status: 'Working' });
  const current = caseStub({ status: 'Closed', isClosed: true, modstamp: '2026-12-01T10:30:00.000Z' });
  const own: OwnWriteProbe = {
    kind: 'case-update',
    caseId: '500A',
    status: 'Closed',
    ownerId: '005AGENT',
    modstamp: '2026-12-01T10:30:00.000Z',
  };
  assert.deepEqual(
    decideNotifications({ previous, current, comments: [], employee: ada }, rules({}, [own])).notifications,
    [],
  );
  assert.equal(
    decideNotifications({ previous, current, comments: [], employee: ada }, rules()).notifications.length,
    1,
  );
});

test('a new owner notifies only when the tenant asks for it', () => {
  const previous = caseStub();
  const current = caseStub({ ownerId: '005BOB', modstamp: '2026-12-01T10:10:00.000Z' });
  const change = { previous, current, comments: [], employee: ada };
  assert.deepEqual(decideNotifications(change, rules()).notifications, []);
  const [owner] = decideNotifications(change, rules({ notifyOwnerChange: true })).notifications;
  assert.equal(owner?.kind, 'owner-changed');
  assert.equal(owner?.ownerId, '005BOB');
  assert.equal(owner?.eventId, 'acme:500A:owner:005BOB:2026-12-01T10:10:00.000Z');
});

test('first sight of a case is a baseline: its state does not notify, its new comments do', () => {
  const current = caseStub({ status: 'Waiting on Employee' });
  const decision = decideNotifications(
    { previous: null, current, comments: [commentStub()], employee: ada },
    rules({ notifyOwnerChange: true }),
  );
  assert.deepEqual(
    decision.notifications.map((n) => n.kind),
    ['agent-comment'],
  );
});

test('a case without a resolvable employee notifies nobody and says why', () => {
  const skipped: CaseEmployee = {
    kind: 'skipped',
    reason: 'several-contacts-with-email',
    candidateIds: ['003A', '003B'],
  };
  const decision = decideNotifications(
    {
      previous: caseStub(),
      current: caseStub({ status: 'Waiting on Employee', modstamp: 'x' }),
      comments: [commentStub()],
      employee: skipped,
    },
    rules(),
  );
  assert.deepEqual(decision.notifications, []);
  assert.deepEqual(decision.skipped, skipped);
});

test('notifications of one case come in the order things happened: the question before "waiting for you"', () => {
  const previous = caseStub();
  const current = caseStub({ status: 'Waiting on Employee', modstamp: '2026-12-01T10:05:00.000Z' });
  const comments = [
    commentStub({ id: '00aLATE', createdAt: '2026-12-01T10:07:00.000Z' }),
    commentStub({ id: '00aQ', createdAt: '2026-12-01T10:05:00.000Z' }),
    commentStub({ id: '00aEARLY', createdAt: '2026-12-01T10:01:00.000Z' }),
    commentStub({ id: '00aX', caseId: '500OTHER' }),
  ];
  const decision = decideNotifications({ previous, current, comments, employee: ada }, rules());
  assert.deepEqual(
    decision.notifications.map((n) => n.comment?.id ?? n.kind),
    ['00aEARLY', '00aQ', 'waiting-for-employee', '00aLATE'],
  );
  assert.deepEqual(decision.ignoredComments, [{ commentId: '00aX', why: 'other-case' }]);
});

test('a deleted case ends its conversation once; a merged one names the surviving case; a closed one ends silently', () => {
  const held = caseStub();
  const gone = { ...caseStub({ modstamp: '2026-12-01T11:00:00.000Z' }), mergedInto: null };
  const deleted = decideEnding({ previous: held, current: gone, employee: ada }, rules());
  assert.equal(deleted?.kind, 'case-ended');
  assert.deepEqual(deleted?.ended, { reason: 'deleted', mergedInto: null });
  assert.equal(deleted?.employeeId, '003ADA');
  assert.equal(
    deleted?.eventId,
    decideEnding({ previous: held, current: gone, employee: ada }, rules())?.eventId,
    'read again, the same event',
  );
  const merged = decideEnding(
    { previous: held, current: { ...gone, mergedInto: '500MASTER' }, employee: ada },
    rules(),
  );
  assert.deepEqual(merged?.ended, { reason: 'merged', mergedInto: '500MASTER' });
  assert.equal(
    decideEnding(
      { previous: caseStub({ status: 'Closed', isClosed: true }), current: gone, employee: ada },
      rules(),
    ),
    null,
    'the employee already heard it closed',
  );
  assert.equal(
    decideEnding(
      {
        previous: held,
        current: gone,
        employee: { kind: 'skipped', reason: 'no-contact-or-email', candidateIds: [] },
      },
      rules(),
    ),
    null,
  );
});
