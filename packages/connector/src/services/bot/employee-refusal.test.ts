// What the employee is told for each refusal: their own field names, the rule's message, a setup error when the
// refused field is not one they gave; never a Salesforce field name.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { RecordRefusal } from '../../domain/tickets/record-refusal.js';
import { isAppError } from '../../errors/app-error.js';
import { forEmployee } from './employee-refusal.js';

const carrying = (refusal: RecordRefusal): Error =>
  Object.assign(new Error('SF'), { details: { errorCode: 'X', refusal } });
const botFields = { product: 'Product__c', costCenter: 'Cost_Center__c' };

function told(
  refusal: RecordRefusal,
  sentFields: string[] = [],
): { code: string; message: string; details?: unknown } {
  const err = forEmployee(carrying(refusal), { caseNumber: '00001001', botFields, sentFields });
  assert.ok(isAppError(err));
  assert.doesNotMatch(JSON.stringify(err.toJSON()), /__c|Product__c/);
  assert.ok(err.httpStatus >= 400 && err.httpStatus < 500);
  return { code: err.code, message: err.message, details: err.details };
}

void test("a rule's own message is shown, with the field in the bot's words", () => {
  const t = told({ kind: 'rule', fields: ['Product__c'], message: 'Pick the product you use.' });
  assert.equal(t.code, 'BOT_TICKET_RULE_REFUSED');
  assert.match(t.message, /Pick the product you use\.$/);
  assert.deepEqual(t.details, { field: 'product' });
});

void test('a refused value the employee sent names it; one the operator set is a setup error', () => {
  const refusal: RecordRefusal = {
    kind: 'value-not-allowed',
    fields: ['Product__c'],
    message: '',
    value: 'Tablet',
  };
  assert.equal(told(refusal, ['product']).code, 'BOT_TICKET_VALUE_REFUSED');
  assert.equal(told(refusal).code, 'BOT_TICKET_SETUP_REFUSED');
  assert.equal(told({ ...refusal, fields: ['Origin'] }).code, 'BOT_TICKET_SETUP_REFUSED');
  assert.equal(
    told({ ...refusal, fields: ['priority'], value: 'Urgent' }, ['priority']).code,
    'BOT_TICKET_VALUE_REFUSED',
  );
});

void test('required fields: all mapped ones are asked for; any unmapped one is a setup error', () => {
  assert.deepEqual(told({ kind: 'required', fields: ['Cost_Center__c'], message: '' }).details, {
    fields: ['costCenter'],
  });
  assert.equal(
    told({ kind: 'required', fields: ['Cost_Center__c', 'Region__c'], message: '' }).code,
    'BOT_TICKET_SETUP_REFUSED',
  );
  assert.equal(told({ kind: 'required', fields: [], message: '' }).code, 'BOT_TICKET_SETUP_REFUSED');
});

void test('too long, locked and no access', () => {
  assert.deepEqual(told({ kind: 'too-long', fields: ['subject'], message: '', maxLength: 255 }).details, {
    field: 'subject',
    maxLength: 255,
  });
  assert.equal(
    told({ kind: 'too-long', fields: ['Internal__c'], message: '' }).code,
    'BOT_TICKET_SETUP_REFUSED',
  );
  const locked = told({ kind: 'locked', fields: [], message: 'the entity is locked for editing' });
  assert.equal(locked.code, 'BOT_TICKET_LOCKED');
  assert.match(locked.message, /Ticket 00001001 is locked/);
  assert.equal(told({ kind: 'no-access', fields: [], message: '' }).code, 'BOT_TICKET_ACCESS_REFUSED');
});

void test('an error that is no refusal passes unchanged', () => {
  const other = new Error('other');
  assert.equal(forEmployee(other, {}), other);
});
