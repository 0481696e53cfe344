// Tests for the wildcard matcher behind SOQL LIKE and SOSL terms: semantics, and no catastrophic backtracking.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { likeRegex } from '../soql/literals.js';
import { wildcardMatcher, type WildToken } from './wildcard.js';

void test('LIKE: % any run, _ one character, escapes, case-insensitive, whole value', () => {
  assert.equal(likeRegex('%@demo.example.com').test('Uma.Brown@DEMO.example.com'), true);
  assert.equal(likeRegex('a_c').test('abc'), true);
  assert.equal(likeRegex('a_c').test('ac'), false);
  assert.equal(likeRegex('a%').test('a'), true);
  assert.equal(likeRegex('%b%').test('abc'), true);
  assert.equal(likeRegex('b').test('abc'), false);
  assert.equal(likeRegex('100\\%').test('100%'), true);
  assert.equal(likeRegex('100\\%').test('1000'), false);
  assert.equal(likeRegex('a\\_b').test('a_b'), true);
  assert.equal(likeRegex('a\\_b').test('axb'), false);
  assert.equal(likeRegex('x\\\\y').test('x\\y'), true);
  assert.equal(likeRegex('_').test('😀'), true, 'one character, not one UTF-16 unit');
  assert.equal(likeRegex('é%').test('École'), true);
  assert.equal(likeRegex('a.c').test('abc'), false, 'regex metacharacters are literal');
});

void test('adversarial patterns finish at once (a RegExp took minutes on these)', () => {
  const started = performance.now();
  const text = 'someone.with.a.rather.long.address@demo.example.com'.repeat(4);
  assert.equal(likeRegex(`${'%_'.repeat(200)}%@@`).test(text), false);
  assert.equal(likeRegex(`${'%a'.repeat(3000)}b`).test('a'.repeat(5000)), false);
  const stars: WildToken[] = [
    ...Array.from({ length: 50 }, (): WildToken[] => [{ kind: 'any' }, { kind: 'one' }]).flat(),
    { kind: 'char', ch: '!' },
  ];
  assert.equal(wildcardMatcher(stars).test('x'.repeat(2000)), false);
  assert.ok(performance.now() - started < 2000, `took ${String(performance.now() - started)} ms`);
});
