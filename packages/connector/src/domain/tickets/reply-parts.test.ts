// A reply of any length and script reaches the case as comments that each fit Salesforce's 4,000 bytes, header
// included, split only where a reader would not notice, and that join back to exactly what the employee wrote.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  MAX_COMMENT_BYTES,
  segmentsOf,
  parseReplyHeader,
  replyHeader,
  splitReply,
  utf8Bytes,
  type ReplyPart,
} from './reply-parts.js';

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const wordSegmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/**
 * Whether `offset` is a boundary of `segmenter` in `text`, judged on 300 code units either side: UAX #29 rules
 * look only a few characters around a boundary, and segmenting the whole text would be slow (see reply-parts.ts).
 */
function isBoundary(segmenter: Intl.Segmenter, text: string, offset: number): boolean {
  const from = Math.max(0, offset - 300);
  const local = text.slice(from, offset + 300);
  return [...segmenter.segment(local)].some(({ index }) => index === offset - from);
}

function assertSound(parts: ReplyPart[], original: string, maxBytes = MAX_COMMENT_BYTES): void {
  assert.equal(parts.map((part) => part.text).join(''), original, 'parts join back to the original');
  parts.forEach((part, offset) => {
    assert.equal(part.index, offset + 1);
    assert.equal(part.count, parts.length);
    assert.equal(part.body, `${part.header}\n${part.text}`);
    assert.equal(Buffer.byteLength(part.body, 'utf8'), part.bytes);
    assert.ok(part.bytes <= maxBytes, `part ${part.index} is ${part.bytes} bytes`);
    assert.ok(
      !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(part.text),
      'no lone surrogate',
    );
  });
  // every boundary between parts is a grapheme boundary of the original
  let offset = 0;
  for (const part of parts.slice(0, -1)) {
    offset += part.text.length;
    assert.ok(isBoundary(graphemes, original, offset), `boundary at ${offset} splits a grapheme`);
  }
}

/** Offsets where a part ends, checked to fall on a word boundary of the original. */
function assertWordBoundaries(parts: ReplyPart[], original: string): void {
  let offset = 0;
  for (const part of parts.slice(0, -1)) {
    offset += part.text.length;
    assert.ok(
      isBoundary(wordSegmenter, original, offset),
      `boundary at ${offset} is inside a word: …${original.slice(offset - 5, offset + 5)}…`,
    );
  }
}

test('a short reply is one comment with a plain reference', () => {
  const parts = splitReply({
    text: 'Thanks, that fixed it!',
    authorName: 'Ada Lovelace',
    reference: '7KQ2XW',
  });
  assert.deepEqual(
    parts.map((part) => part.body),
    ['Reply from Ada Lovelace via casebridge [cb:7KQ2XW]\nThanks, that fixed it!'],
  );
});

test('a reply exactly at the limit stays whole; one byte more splits it', () => {
  const header = replyHeader('Ada', 'ABCDEF');
  const fits = 'a'.repeat(MAX_COMMENT_BYTES - utf8Bytes(header) - 1);
  assert.equal(splitReply({ text: fits, authorName: 'Ada', reference: 'ABCDEF' }).length, 1);
  const over = splitReply({
    text: `${fits.slice(0, -10)} ${'b'.repeat(10)}`,
    authorName: 'Ada',
    reference: 'ABCDEF',
  });
  assert.equal(over.length, 2);
  assert.equal(over[0]?.header, 'Reply from Ada via casebridge [cb:ABCDEF 1/2]');
});

test('a 10,000-byte emoji reply (ZWJ families, skin tones, flags) splits between graphemes and joins back', () => {
  const emoji = ['👩‍👩‍👧‍👦', '👍🏽', '🧑🏿‍💻', '🇩🇪', '❤️', '👨‍❤️‍💋‍👨', '🏳️‍🌈'];
  let text = '';
  for (let i = 0; utf8Bytes(text) < 10_000; i++) text += emoji[i % emoji.length] + (i % 9 === 8 ? ' ' : '');
  const parts = splitReply({ text, authorName: 'Émile Zoë', reference: 'EMOJI1' });
  assert.ok(parts.length >= 3);
  assertSound(parts, text);
  for (const part of parts)
    for (const { segment } of graphemes.segment(part.text))
      assert.ok(segment === ' ' || emoji.includes(segment), segment);
});

test('CJK text without spaces splits between words, not inside them', () => {
  const sentence = '東京都の会社員は毎朝電車で通勤しています。パスワードをリセットする方法を教えてください。';
  const text = sentence.repeat(60);
  const parts = splitReply({ text, authorName: '山田 太郎', reference: 'CJK001' });
  assert.ok(parts.length >= 2);
  assertSound(parts, text);
  assertWordBoundaries(parts, text);
});

test('ordinary prose splits between words and keeps URLs whole', () => {
  const url = 'https://intranet.example.com/it/help?topic=vpn&lang=en#step-3';
  const words = [
    'connection',
    'dropped',
    'again',
    'after',
    'the',
    'update,',
    'see',
    url,
    'for',
    'the',
    'log.',
  ];
  const text = Array.from({ length: 1200 }, (_, i) => words[i % words.length]).join(' ');
  const parts = splitReply({ text, authorName: 'Grace Hopper', reference: 'PROSE1' });
  assert.ok(parts.length >= 3);
  assertSound(parts, text);
  assertWordBoundaries(parts, text);
  for (const part of parts) {
    const occurrences = part.text.split(url).length - 1;
    const fragments = part.text.match(/https:\/\/\S*/g) ?? [];
    assert.equal(fragments.length, occurrences, 'no cut URL');
  }
});

test('a single 5,000-byte URL cannot fit one comment: it is split between characters, nothing is lost', () => {
  const url = `https://example.com/${'a1b2c3'.repeat(830)}`;
  const text = `Here is the link: ${url} thanks`;
  const parts = splitReply({ text, authorName: 'Ada', reference: 'LONG01' });
  assert.equal(parts.length, 3);
  assertSound(parts, text);
  // the URL starts a part of its own, so only the part holding its end is shared with other text
  assert.equal(parts[0]?.text, 'Here is the link: ');
  assert.ok(parts[1]?.text.startsWith('https://example.com/'));
});

test('a single 5,000-byte word of multi-byte letters splits between graphemes', () => {
  // decomposed é (e + combining acute): splitting between code points would strip accents off letters
  const word = 'x' + 'e\u0301'.repeat(1500) + '日本'.repeat(300);
  const parts = splitReply({ text: word, authorName: 'Ada', reference: 'LONG02' });
  assert.ok(utf8Bytes(word) > 4000);
  assertSound(parts, word);
});

test('a grapheme larger than a part (pathological combining marks) is split between code points', () => {
  const zalgo = `a${'\u0301'.repeat(3000)}`;
  const parts = splitReply({ text: zalgo, authorName: 'Ada', reference: 'ZALGO1' });
  assert.equal(parts.map((part) => part.text).join(''), zalgo);
  for (const part of parts) assert.ok(part.bytes <= MAX_COMMENT_BYTES);
});

test('part numbers with more digits are accounted for in the budget', () => {
  const text = 'word '.repeat(500);
  const parts = splitReply({ text, authorName: 'Ada', reference: 'MANY01', maxBytes: 70 });
  assert.ok(parts.length >= 100);
  assertSound(parts, text, 70);
  assert.equal(
    parts.at(-1)?.header,
    `Reply from Ada via casebridge [cb:MANY01 ${parts.length}/${parts.length}]`,
  );
});

test('the header is one line whatever the name holds, and its reference reads back', () => {
  const header = replyHeader('Mallory\nInjected [cb:FAKE99]\u0000', 'REAL01', { index: 2, count: 3 });
  assert.equal(header, 'Reply from Mallory Injected [cb:FAKE99] via casebridge [cb:REAL01 2/3]');
  assert.deepEqual(parseReplyHeader(`${header}\nbody`), { reference: 'REAL01', index: 2, count: 3 });
  assert.deepEqual(parseReplyHeader('Reply from Ada via casebridge [cb:7KQ2XW]\nhi'), {
    reference: '7KQ2XW',
    index: 1,
    count: 1,
  });
  assert.equal(parseReplyHeader('Just a comment [cb:7KQ2XW]'), null);
  assert.equal(replyHeader('   ', 'REAL01'), 'Reply from the employee via casebridge [cb:REAL01]');
  assert.throws(() => replyHeader('Ada', 'bad ref'), TypeError);
  assert.ok(utf8Bytes(replyHeader('x'.repeat(5000), 'REAL01')) < 260);
});

test('an empty reply is one part with an empty piece', () => {
  const parts = splitReply({ text: '', authorName: 'Ada', reference: 'EMPTY1' });
  assert.equal(parts.length, 1);
  assert.equal(parts[0]?.text, '');
});

test('byte counting matches UTF-8, lone surrogates included', () => {
  for (const text of ['abc', 'é', '日本', '👩‍💻', '\ud800', 'a\udc00b'])
    assert.equal(utf8Bytes(text), Buffer.byteLength(text, 'utf8'), JSON.stringify(text));
});

test('long mixed text (segmented window by window) still splits only between words and graphemes', () => {
  const mixed = [
    'The VPN drops every few minutes; see https://intranet.example.com/vpn?x=1&y=2 for the log.',
    '東京都の会社員は毎朝電車で通勤しています。',
    'Family 👩‍👩‍👧‍👦 thumbs 👍🏽 coder 🧑🏿‍💻 flag 🇩🇪🇫🇷 done.',
    'naïve café re\u0301sume\u0301 — «quoted» text, 3.14159 and 1,000,000 items.\n',
  ];
  let text = '';
  for (let i = 0; text.length < 40_000; i++) text += mixed[i % mixed.length];
  const parts = splitReply({ text, authorName: 'Ada', reference: 'MIXED1' });
  assert.ok(parts.length >= 10);
  assertSound(parts, text);
  assertWordBoundaries(parts, text);
});

test('segmenting window by window finds exactly the segments of segmenting at once', () => {
  const samples = [
    'word, words. 3.14 e-mail: a.b@c.de '.repeat(300),
    '東京都の会社員は毎朝電車で通勤しています。'.repeat(400),
    '👩‍👩‍👧‍👦👍🏽🧑🏿‍💻🇩🇪🇫🇷e\u0301'.repeat(400),
    'x'.repeat(9000),
    // a window ends right after "3.": only the digits after the dot show that 3.14 is one word
    `${'x '.repeat(1023)}3.14 and a.b@c.de ${'y '.repeat(1200)}`,
  ];
  for (const text of samples)
    for (const segmenter of [wordSegmenter, graphemes]) {
      const atOnce = [...segmenter.segment(text)].map(({ segment }) => segment);
      assert.deepEqual([...segmentsOf(segmenter, text)], atOnce);
    }
});
