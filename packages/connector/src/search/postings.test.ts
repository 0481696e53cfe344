import assert from 'node:assert/strict';
import { test } from 'node:test';

import { PostingBuffer, Postings } from './postings.js';

test('buffered postings reach their lists in slot order, across flushes of a full buffer', () => {
  const lists = [new Postings(), new Postings(), new Postings()];
  const buffer = new PostingBuffer(4);
  const expected: [number, number][][] = [[], [], []];
  let doc = 0;
  for (const terms of [[0, 2], [1], [0, 1, 2], [2], [0], [1, 2]]) {
    if (buffer.length + terms.length > buffer.capacity) buffer.flushInto(lists);
    for (const t of terms) {
      buffer.add(t, doc, 100 + doc);
      expected[t]?.push([doc, 100 + doc]);
    }
    doc++;
  }
  buffer.flushInto(lists);
  lists.forEach((list, t) => {
    const got = Array.from({ length: list.length }, (_, i) => [list.docs[i], list.freqs[i]]);
    assert.deepEqual(got, expected[t]);
    assert.equal(list.df, expected[t]?.length);
  });
  assert.equal(buffer.length, 0);
});
