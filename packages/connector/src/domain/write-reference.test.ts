// References: stable per key, different for different keys, found in a comment's header line only.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  carriesReference,
  referenceInHeader,
  tagFirstLine,
  tagLastLine,
  writeReference,
} from './write-reference.js';

void test('the same key always gives the same reference; another key another one', () => {
  const ref = writeReference('reply:conv-42:turn-7');
  assert.match(ref, /^\[cb:[0-9A-HJKMNP-TV-Z]{6}\]$/);
  assert.equal(writeReference('reply:conv-42:turn-7'), ref);
  assert.notEqual(writeReference('reply:conv-42:turn-8'), ref);
  const many = new Set(Array.from({ length: 2000 }, (_, i) => writeReference(`k${i}`)));
  assert.equal(many.size, 2000, 'no collision among 2,000 keys');
  assert.throws(() => writeReference(''));
});

void test('a comment carries its reference at the end of its header line', () => {
  const ref = writeReference('k');
  const tagged = tagFirstLine('Reply from the assistant\nYour badge is ready.', ref);
  assert.equal(tagged, `Reply from the assistant ${ref}\nYour badge is ready.`);
  assert.equal(referenceInHeader(tagged), ref);
  assert.equal(tagFirstLine('One line', ref), `One line ${ref}`);
  assert.equal(
    referenceInHeader(`Someone quoting\n${ref}`),
    null,
    'a reference below the header is not ours',
  );
  assert.equal(referenceInHeader(null), null);
});

void test('a case description carries it on a last line of its own', () => {
  const ref = writeReference('case:1');
  const tagged = tagLastLine('Lost my badge', ref);
  assert.equal(tagged, `Lost my badge\n\n${ref}`);
  assert.ok(carriesReference(tagged, ref));
  assert.ok(!carriesReference('Lost my badge', ref));
  assert.ok(!carriesReference(null, ref));
});
