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
  ],
};

void test('bot fields go onto their mapped Case fields over the defaults; an unmapped one is refused', () => {
  const filing = { fields: { category: 'Type', origin: 'Origin' }, assignment: 'none' };
  assert.deepEqual(planFiling({ Origin: 'Chat' }, filing, { category: 'Hardware', origin: 'Web' }), {
    fields: { Origin: 'Web', Type: 'Hardware' },
    recordTypeId: null,
    autoAssign: 'FALSE',
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
