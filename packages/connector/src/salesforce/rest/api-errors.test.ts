// Salesforce's error bodies become registered SF_API_ codes, and the refusals an employee can be told about carry
// their kind in casebridge's words (details.refusal), with the standard fields casebridge writes renamed.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { refusalOf as refusalIn } from '../../domain/tickets/record-refusal.js';
import { apiError } from './api-errors.js';

const ctx = { tenantId: 'acme', status: 400, sobject: 'Case' };
const refused = (errorCode: string, message: string, fields: string[] = []) =>
  apiError([{ errorCode, message, fields }], ctx);

void test('a validation rule is a rule refusal carrying its own message, the field renamed', () => {
  const err = refused('FIELD_CUSTOM_VALIDATION_EXCEPTION', 'Name the printer.', ['Subject']);
  assert.equal(err.code, 'SF_API_VALIDATION_FAILED');
  assert.deepEqual(refusalIn(err), { kind: 'rule', fields: ['subject'], message: 'Name the printer.' });
});

void test("a restricted picklist's refusal carries the value; a too-long text its maximum", () => {
  const picklist = refusalIn(
    refused(
      'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
      'Product: bad value for restricted picklist field: Tablet',
      ['Product__c'],
    ),
  );
  assert.equal(picklist?.kind, 'value-not-allowed');
  assert.equal(picklist?.value, 'Tablet');
  assert.deepEqual(picklist?.fields, ['Product__c']);
  const long = refusalIn(
    refused('STRING_TOO_LONG', 'Subject: data value too large: aaaa... (max length=255)', ['Subject']),
  );
  assert.deepEqual([long?.kind, long?.maxLength, long?.fields], ['too-long', 255, ['subject']]);
  assert.equal(
    refusalIn(refused('REQUIRED_FIELD_MISSING', 'Required fields are missing: [X__c]', ['X__c']))?.kind,
    'required',
  );
});

void test('a lock is SF_API_RECORD_LOCKED (409) and a locked refusal; no edit access a no-access refusal', () => {
  const locked = refused('ENTITY_IS_LOCKED', 'the entity is locked for editing');
  assert.equal(locked.code, 'SF_API_RECORD_LOCKED');
  assert.equal(locked.httpStatus, 409);
  assert.equal(refusalIn(locked)?.kind, 'locked');
  const access = refused('INSUFFICIENT_ACCESS_OR_READONLY', 'insufficient access rights on object id');
  assert.equal(access.code, 'SF_API_INSUFFICIENT_ACCESS');
  assert.equal(refusalIn(access)?.kind, 'no-access');
});

void test('other errors carry no refusal', () => {
  assert.equal(refusalIn(refused('INVALID_FIELD', "No such column 'Foo' on sobject of type Case")), null);
  assert.equal(refusalIn(refused('UNKNOWN_EXCEPTION', 'boom')), null);
});
