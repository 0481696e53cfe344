// The tenant's filing settings: bot fields mapped over the defaults, an unmapped bot field refused, the assignment
// header chosen, and the settings checked against describe.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { FieldDescription, ObjectDescription } from '../ports.js';
import { planFiling, validateFiling } from './filing-rules.js';

const f = (name: string, extra: Partial<FieldDescription> = {}): FieldDescription => ({
  name,
  type: 'string',
  createable: true,
  updateable: true,
  nillable: true,
  filterable: true,
  externalId: false,
  picklistValues: [],
  ...extra,
});
const CASE: ObjectDescription = {
  name: 'Case',
  queryable: true,
  createable: true,
  updateable: true,
  fields: [
    f('Origin', { type: 'picklist', picklistValues: ['Chat', 'Web'] }),
    f('Type', { type: 'picklist', picklistValues: ['Hardware', 'Software'] }),
    f('Product__c'),
    f('CaseNumber', { createable: false }),
    f('Casebridge_Key__c', { externalId: true }),
    f('Locked_Key__c', { externalId: true, createable: false }),
  ],
};

void test('bot fields go onto their mapped Case fields over the defaults; an unmapped one is refused', () => {
  const filing = { fields: { category: 'Type', origin: 'Origin' }, assignment: 'none' };
  assert.deepEqual(planFiling({ Origin: 'Chat' }, filing, { category: 'Hardware', origin: 'Web' }), {
    fields: { Origin: 'Web', Type: 'Hardware' },
    recordTypeId: null,
    autoAssign: 'FALSE',
    externalIdField: null,
  });
  assert.deepEqual(planFiling({}, filing, { colour: 'red' }), { unknown: ['colour'] });
  const rule = planFiling({}, { assignment: '01Q000000000001AAA' }, {});
  assert.equal('autoAssign' in rule ? rule.autoAssign : undefined, '01Q000000000001AAA');
  const plain = planFiling({}, undefined, {});
  assert.equal('autoAssign' in plain ? plain.autoAssign : undefined, null);
});

void test('defaults and mappings are checked against describe: missing, read-only, reserved', () => {
  assert.deepEqual(validateFiling({ Origin: 'Chat' }, { fields: { product: 'Product__c' } }, CASE), []);
  assert.deepEqual(
    validateFiling(
      { Origin: 'Phone', Subject: 'x', Gone__c: 'y' },
      { fields: { a: 'Nope__c', b: 'CaseNumber' }, recordTypeId: '012000000000001AAA' },
      CASE,
    ).map((i) => i.path),
    [
      'caseDefaults.Subject',
      'caseDefaults.Gone__c',
      'filing.fields.a',
      'filing.fields.b',
      'filing.recordTypeId',
    ],
  );
});

void test('the External ID field must be one on Case the service user can set, and no field casebridge fills otherwise', () => {
  const plan = planFiling({}, { externalIdField: 'Casebridge_Key__c' }, {});
  assert.equal('externalIdField' in plan ? plan.externalIdField : undefined, 'Casebridge_Key__c');
  assert.deepEqual(validateFiling({}, { externalIdField: 'Casebridge_Key__c' }, CASE), []);
  const messages = (externalIdField: string, defaults: Record<string, string> = {}) =>
    validateFiling(defaults, { externalIdField, fields: { product: 'Product__c' } }, CASE).map(
      (i) => i.message,
    );
  assert.deepEqual(messages('Missing__c'), ['Case has no field Missing__c the service user can see']);
  assert.deepEqual(messages('Product__c'), ['Product__c is already written with another value']);
  assert.deepEqual(messages('Origin', { Origin: 'Chat' }), ['Origin is already written with another value']);
  assert.deepEqual(messages('Type'), [
    'Case.Type is not an External ID field: a lookup by it is not indexed',
  ]);
  assert.deepEqual(messages('Locked_Key__c'), ['the service user cannot set Case.Locked_Key__c']);
});
