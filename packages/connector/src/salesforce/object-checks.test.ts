// doctor's field lines for the tenant's External ID field (filing.externalIdField): a field that is there and
// settable but not an External ID fails with a fix naming the flag; one that is passes with the other fields.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { FieldDescription, SalesforceGateway } from '../domain/ports.js';
import { objectChecks } from './object-checks.js';

const field = (name: string, externalId: boolean): FieldDescription => ({
  name,
  type: 'string',
  createable: true,
  updateable: true,
  nillable: true,
  filterable: true,
  externalId,
  picklistValues: [],
});
const gatewayWith = (fields: FieldDescription[]) =>
  ({
    describe: () =>
      Promise.resolve({ name: 'Case', queryable: true, createable: true, updateable: true, fields }),
  }) as unknown as SalesforceGateway;
const need = {
  sobject: 'Case',
  read: ['Subject'],
  create: ['Subject', 'Key__c'],
  update: [],
  externalId: 'Key__c',
};

void test('an External ID field that is not one fails its own line, with the fix naming the flag', async () => {
  const { findings } = await objectChecks(
    gatewayWith([field('Subject', false), field('Key__c', false)]),
    need,
  );
  const line = findings.find((f) => f.id === 'field.Case.Key__c');
  assert.equal(line?.status, 'fail');
  assert.match(line.fix ?? '', /Mark Case\.Key__c as External ID/);
  const passing = await objectChecks(gatewayWith([field('Subject', false), field('Key__c', true)]), need);
  assert.deepEqual(
    passing.findings.map((f) => [f.id, f.status]),
    [
      ['object.Case', 'pass'],
      ['fields.Case', 'pass'],
    ],
  );
});

void test('a missing External ID field says to add it or name another', async () => {
  const { findings } = await objectChecks(gatewayWith([field('Subject', false)]), need);
  const line = findings.find((f) => f.id === 'field.Case.Key__c');
  assert.equal(line?.status, 'fail');
  assert.match(line.fix ?? '', /Add Key__c to Case as an External ID text field/);
});
