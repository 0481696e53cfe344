// SuppliedName is never cut silently: a name past Salesforce's 80 characters is shortened at a character boundary,
// marked, and kept whole on a line of the description.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { suppliedNameOf } from './gateway-writes.js';

void test('a name that fits goes in as it is, with no line in the description', () => {
  assert.deepEqual(suppliedNameOf('Ada Lovelace'), { field: 'Ada Lovelace' });
  assert.deepEqual(suppliedNameOf('x'.repeat(80)), { field: 'x'.repeat(80) });
});

void test('a longer one is marked shortened, never split inside a character, and kept whole for the description', () => {
  const name = `${'a'.repeat(78)}👩‍💻 Smith`;
  const { field, fullNameLine } = suppliedNameOf(name);
  assert.equal(field, `${'a'.repeat(78)}…`, 'the emoji does not fit whole, so none of it is taken');
  assert.ok(field.length <= 80);
  assert.equal(fullNameLine, `Name (shortened in Web Name): ${name}`);
});
