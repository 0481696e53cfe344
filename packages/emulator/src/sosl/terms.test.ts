// Tests for SOSL search-term parsing: nesting guard and the 4,000-character rule.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SalesforceError } from '../errors.js';
import { evaluate, parseTerms } from './terms.js';

void test('deeply nested parentheses are MALFORMED_SEARCH, not a stack overflow', () => {
  for (const depth of [101, 1_900]) {
    assert.throws(
      () => parseTerms(`${'('.repeat(depth)}ab${')'.repeat(depth)}`),
      (err: unknown) => err instanceof SalesforceError && err.errorCode === 'MALFORMED_SEARCH',
    );
  }
  const ok = parseTerms(`${'('.repeat(50)}ab${')'.repeat(50)}`);
  assert.equal(evaluate(ok, [['ab']]), true);
  // past 4,000 characters the parentheses go with the operators
  const long = parseTerms(`${'('.repeat(20_000)}ab${')'.repeat(20_000)}`);
  assert.equal(evaluate(long, [['ab']]), true);
});

void test('beyond 4,000 characters the operators are dropped: AND behaves as OR', () => {
  const short = parseTerms('alpha AND beta');
  assert.equal(evaluate(short, [['alpha']]), false);
  const long = parseTerms(`alpha AND beta ${'AND (gamma) '.repeat(400)}`);
  assert.equal(evaluate(long, [['alpha']]), true);
});

void test('wildcards in terms match within a word', () => {
  assert.equal(evaluate(parseTerms('pass*'), [['password']]), true);
  assert.equal(evaluate(parseTerms('pa?sword'), [['password']]), true);
  assert.equal(evaluate(parseTerms('pass?'), [['password']]), false);
  assert.equal(evaluate(parseTerms(`a${'*'.repeat(200)}z`), [['a'.repeat(3000)]]), false);
});
