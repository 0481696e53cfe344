// Custom objects in the engine: key prefixes in creation order, the Name defaulted to the Id, View All Data as
// ObjectPermissions rows, child relationships from custom lookups, and a reset that forgets objects made since.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sfError, testOrg } from '../org/test-fixtures.js';
import { customObjectPrefix, customObjectProblem } from './custom-objects.js';

const DEVICES = {
  customObjects: [
    { name: 'Device__c', label: 'Device' },
    { name: 'Repair__c', label: 'Repair', labelPlural: 'Repairs Done' },
  ],
  customFields: [
    { sobject: 'Repair__c', name: 'Device__c', type: 'Lookup' as const, referenceTo: 'Device__c' },
    { sobject: 'Device__c', name: 'Serial__c', type: 'Text' as const, externalId: true, unique: true },
  ],
};

void test('key prefixes follow creation order and are refused names are explained', () => {
  assert.deepEqual([0, 1, 61, 62].map(customObjectPrefix), ['a00', 'a01', 'a0z', 'a10']);
  assert.match(customObjectProblem({ name: 'Device', label: 'x' }) ?? '', /ends with __c/);
  assert.match(customObjectProblem({ name: 'Two__Parts__c', label: 'x' }) ?? '', /single underscores/);
  assert.match(customObjectProblem({ name: 'Device__c', label: '' }) ?? '', /label/);
  assert.equal(customObjectProblem({ name: 'Device__c', label: 'Device' }), undefined);
});

void test('records get the object prefix, a Name defaulted to the 15-character Id, the caller as owner', () => {
  const t = testOrg(DEVICES);
  const id = t.org.insert('Device__c', { Serial__c: 'S1' }, t.ids.admin);
  const repair = t.org.insert('Repair__c', { Name: 'fix', Device__c: id }, t.ids.admin);
  assert.ok(id.startsWith('a00') && repair.startsWith('a01'));
  const row = t.org.peek(id)?.record ?? {};
  assert.deepEqual([row['Name'], row['OwnerId']], [id.slice(0, 15), t.ids.admin]);
  const [device] = t.org.query(
    t.admin,
    'SELECT Id, (SELECT Name FROM RepairsDone__r) FROM Device__c',
  ).records;
  assert.deepEqual(
    (device?.['RepairsDone__r'] as { records: { Name: string }[] }).records.map((r) => r.Name),
    ['fix'],
  );
  assert.equal(sfError(() => t.org.query(t.agent, 'SELECT Id FROM Device__c')).errorCode, 'INVALID_TYPE');
});

void test('View All Data shows as an ObjectPermissions row on each custom object; reset forgets an object made since', () => {
  const t = testOrg();
  const snapshot = t.org.snapshot();
  t.org.configure(DEVICES);
  const types = t.org
    .query(t.admin, 'SELECT SobjectType FROM ObjectPermissions WHERE PermissionsViewAllRecords = true')
    .records.map((r) => r['SobjectType']);
  assert.ok(types.includes('Device__c') && types.includes('Repair__c'), types.join(', '));
  t.org.restore(snapshot);
  assert.equal(sfError(() => t.org.describe(t.admin, 'Device__c')).errorCode, 'INVALID_TYPE');
});
