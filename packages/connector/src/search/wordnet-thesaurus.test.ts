import assert from 'node:assert/strict';
import { test } from 'node:test';

import { WordNetThesaurus } from './wordnet-thesaurus.js';

const wordnet = WordNetThesaurus.fromPackage(3);
const words = (word: string, senses = 3): string[] =>
  wordnet
    .synonyms(word)
    .filter((s) => s.sense < senses)
    .map((s) => s.word);

test('a word gives the other words of its most common sense first', () => {
  assert.equal(wordnet.synonyms('yearly')[0]?.word, 'annual');
  assert.ok(words('workforce').includes('manpower'));
});

test('an inflected word is looked up by its base form (WordNet morphy rules)', () => {
  assert.ok(words('founded', 1).includes('establish'));
  assert.ok(words('colors', 1).includes('colour'));
});

test('unknown words, stop words and symbols have no synonyms; collocations are left out', () => {
  assert.deepEqual(wordnet.synonyms('zzqx'), []);
  assert.deepEqual(wordnet.synonyms('#456'), []);
  assert.ok(wordnet.synonyms('workforce').every((s) => !s.word.includes('_')));
});
