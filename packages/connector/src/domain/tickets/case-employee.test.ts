// A case's employee is its Contact, or the single Contact with its supplied email; ambiguity and absence are
// reported, never resolved by a guess, and the same rule decides who owns a case.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { Employee } from '../support.js';
import {
  caseBelongsTo,
  caseBelongsToContactless,
  contactsWithEmail,
  employeeOfCase,
} from './case-employee.js';

const contact = (id: string, email: string | null): Employee => ({
  id,
  email,
  firstName: null,
  lastName: id,
  name: id,
  department: null,
});
const ada = contact('003A', 'ada@example.com');
const adaTwin = contact('003B', 'ADA@example.com ');
const grace = contact('003C', 'grace@example.com');
const noEmail = contact('003D', null);

test("a case with a Contact is that Contact's, whatever its supplied email says", () => {
  assert.deepEqual(employeeOfCase({ employeeId: '003X', suppliedEmail: 'grace@example.com' }, [grace]), {
    kind: 'employee',
    employeeId: '003X',
    via: 'contact',
  });
});

test('without a Contact, the supplied email must match exactly one Contact, case-insensitively', () => {
  assert.deepEqual(
    employeeOfCase({ employeeId: null, suppliedEmail: ' Grace@Example.com' }, [ada, grace, noEmail]),
    {
      kind: 'employee',
      employeeId: '003C',
      via: 'supplied-email',
    },
  );
  // the adapter's lookup may return near matches; they do not count
  assert.deepEqual(
    employeeOfCase({ employeeId: null, suppliedEmail: 'grace@example.com' }, [
      contact('003E', 'grace@example.co'),
    ]),
    { kind: 'skipped', reason: 'no-contact-with-email', candidateIds: [] },
  );
});

test('several Contacts sharing the email: skipped with the candidates, never the first one', () => {
  assert.deepEqual(
    employeeOfCase({ employeeId: null, suppliedEmail: 'ada@example.com' }, [adaTwin, ada, ada]),
    {
      kind: 'skipped',
      reason: 'several-contacts-with-email',
      candidateIds: ['003A', '003B'],
    },
  );
});

test('no Contact and no email: skipped', () => {
  for (const suppliedEmail of [null, '', '   '])
    assert.deepEqual(employeeOfCase({ employeeId: null, suppliedEmail }, [ada]), {
      kind: 'skipped',
      reason: 'no-contact-or-email',
      candidateIds: [],
    });
  assert.equal(employeeOfCase({ employeeId: '', suppliedEmail: null }, []).kind, 'skipped');
});

test('ownership: the Contact decides; the supplied email counts only without one, and only unambiguously', () => {
  assert.equal(caseBelongsTo({ employeeId: '003A', suppliedEmail: null }, '003A', []), true);
  assert.equal(
    caseBelongsTo({ employeeId: '003A', suppliedEmail: 'grace@example.com' }, '003C', [grace]),
    false,
  );
  assert.equal(
    caseBelongsTo({ employeeId: null, suppliedEmail: 'grace@example.com' }, '003C', [grace]),
    true,
  );
  assert.equal(
    caseBelongsTo({ employeeId: null, suppliedEmail: 'ada@example.com' }, '003A', [ada, adaTwin]),
    false,
  );
  assert.equal(
    caseBelongsTo({ employeeId: null, suppliedEmail: 'ada@example.com' }, '003B', [ada, adaTwin]),
    false,
  );
});

test('contactsWithEmail keeps each matching Contact once', () => {
  assert.deepEqual(
    contactsWithEmail('ada@example.com', [ada, grace, adaTwin, ada]).map((found) => found.id),
    ['003A', '003B'],
  );
});

void test('an employee no Contact has owns a Contact-less case by supplied email, until a Contact has that email', () => {
  const supportCase = { employeeId: null, suppliedEmail: 'Nobody@Example.com' };
  assert.equal(caseBelongsToContactless(supportCase, 'nobody@example.com', []), true);
  assert.equal(caseBelongsToContactless(supportCase, 'someone@example.com', []), false);
  const contact: Employee = {
    id: '003000000000001AAA',
    email: 'nobody@example.com',
    firstName: 'No',
    lastName: 'Body',
    name: 'No Body',
    department: null,
  };
  assert.equal(caseBelongsToContactless(supportCase, 'nobody@example.com', [contact]), false);
  assert.equal(
    caseBelongsToContactless(
      { employeeId: '003000000000002AAA', suppliedEmail: 'nobody@example.com' },
      'nobody@example.com',
      [],
    ),
    false,
  );
});
