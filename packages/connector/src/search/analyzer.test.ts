import assert from 'node:assert/strict';
import { test } from 'node:test';

import { analyzerFor, forEachWord, WORD_PATTERN } from './analyzer.js';

function scanned(text: string): string[] {
  const out: string[] = [];
  forEachWord(text, (start, end) => out.push(text.slice(start, end)));
  return out;
}

test('the word scanner finds exactly the words the word pattern matches, in every script', () => {
  const texts = [
    "Don't reset the VPN token; l'été est là, it's the company's policy.",
    'Größe: 12,5 cm — Straße №7, ½ price, ² squared',
    'Пароль сброшен 3 раза. 密码重置 ٣٤ مرات',
    "trailing apostrophe' and 'leading, o''double, rock'n'roll, A’s curly’",
    'emoji 😀 between words, 𝐛𝐨𝐥𝐝 math letters, lone \ud800 surrogate \udc00 here',
    'e-mail Wi-Fi A-561 x86_64 foo.bar@example.com',
    '',
    "'",
    "abc'",
    "abc'1",
    "12'ab",
  ];
  for (const text of texts) {
    assert.deepEqual(
      scanned(text),
      [...text.matchAll(WORD_PATTERN)].map((m) => m[0]),
      text,
    );
  }
});

test('indexing terms and query tokens agree: stop words dropped, stems shared, compounds joined', () => {
  const english = analyzerFor('en_US');
  assert.deepEqual(english.terms('The printers are printing on Wi-Fi'), [
    'printer',
    'print',
    'wi',
    'fi',
    'wifi',
  ]);
  assert.deepEqual(
    english.tokens('The printers are printing').map((t) => [t.term, t.position]),
    [
      ['printer', 1],
      ['print', 3],
    ],
  );
  assert.deepEqual(english.inspect('how is the printer'), { words: 4, stopWords: 3 });
});
