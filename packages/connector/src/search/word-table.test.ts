import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WordTable } from './word-table.js';

test('words are found from inside any text, past many growths, and forgotten on clear', () => {
  const sut = new WordTable();
  const words = Array.from({ length: 100_000 }, (_, i) => `w${i.toString(36)}é`);
  const text = ` ${words.join(' ')} `;
  let at = 1;
  words.forEach((word, i) => {
    assert.equal(sut.get(text, at, at + word.length), undefined);
    sut.set(text, at, at + word.length, i);
    at += word.length + 1;
  });
  assert.equal(sut.size, words.length);
  words.forEach((word, i) => assert.equal(sut.get(`[${word}]`, 1, word.length + 1), i, word));
  // a prefix or a longer word is another word
  assert.equal(sut.get('w1', 0, 1), undefined);
  assert.equal(sut.get('w1éx', 0, 4), undefined);
  sut.clear();
  assert.equal(sut.size, 0);
  assert.equal(sut.get(text, 1, 1 + (words[0] ?? '').length), undefined);
});
