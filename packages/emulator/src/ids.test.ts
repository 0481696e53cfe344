// Tests for Salesforce ID handling: the documented checksum vectors, 15/18 normalisation, generation.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { IdGenerator, normalizeId, to18 } from './ids.js';

void test('to18 matches the IDs printed in Salesforce docs', () => {
  assert.equal(to18('001D000000IqhSL'), '001D000000IqhSLIAZ');
  assert.equal(to18('00Dxx0000001gPL'), '00Dxx0000001gPLEAY');
  assert.equal(to18('005x00000012Q9P'), '005x00000012Q9PAAU');
  assert.equal(to18('00Dx0000000BV7z'), '00Dx0000000BV7zEAG');
});

void test('normalizeId accepts 15 and 18 chars, any suffix case, and refuses garbage or a bad checksum', () => {
  assert.equal(normalizeId('001D000000IqhSL'), '001D000000IqhSLIAZ');
  assert.equal(normalizeId('001D000000IqhSLiaz'), '001D000000IqhSLIAZ');
  assert.equal(normalizeId('001D000000IqhSLAAA'), undefined);
  assert.equal(normalizeId('not-an-id'), undefined);
  assert.equal(normalizeId('001D000000IqhS'), undefined);
});

void test('generated IDs carry the key prefix and a valid checksum, and increase', () => {
  const gen = new IdGenerator('5g');
  const a = gen.next('500');
  const b = gen.next('500');
  assert.equal(a.length, 18);
  assert.ok(a.startsWith('5005g'));
  assert.equal(to18(a.slice(0, 15)), a);
  assert.ok(b > a);
});
