// An employee's reply becomes one or more public case comments. Each comment is a header line (who wrote it, and
// the idempotency reference that lets a retried post be recognised) and a piece of the reply; each comment,
// header included, fits the limit in UTF-8 bytes. Pieces join back to the reply exactly.
//
// Where a reply may be split, best first: between words, URLs and spaces, as Intl.Segmenter's word boundaries
// (Unicode UAX #29, dictionary-based for CJK text written without spaces) and a URL pattern define them. A single
// word or URL longer than a whole comment cannot be kept whole; it is split between grapheme clusters (so an emoji
// with skin tone or a ZWJ family stays whole), and a grapheme longer than a comment (only pathological combining
// sequences are) between code points. Nothing is ever dropped or cut inside a character.

/**
 * CaseComment.CommentBody holds 4,000 bytes; longer is STRING_TOO_LONG (shared/reference/salesforce.md §3.2). We
 * count UTF-8 bytes, never characters, so text in any script fits.
 */
export const MAX_COMMENT_BYTES = 4000;

/** `[cb:7KQ2XW]`, or `[cb:7KQ2XW 2/3]` for the second of three parts; always the end of the header line. */
const REFERENCE_PATTERN = /^[0-9A-Z]{4,24}$/;
const HEADER_TAG = /\[cb:([0-9A-Z]{4,24})(?: ([1-9]\d*)\/([1-9]\d*))?\]$/;
/** The name in the header is capped so a huge display name cannot crowd out the reply. */
const MAX_NAME_BYTES = 200;

export interface ReplyPart {
  /** 1-based */
  readonly index: number;
  readonly count: number;
  readonly header: string;
  /** this part's piece of the reply: the pieces, in order, are the reply */
  readonly text: string;
  /** what is posted: the header line, a newline, the piece */
  readonly body: string;
  readonly bytes: number;
}

export interface ReplyInput {
  readonly text: string;
  /** the employee's name as the agent should read it */
  readonly authorName: string;
  /** the idempotency reference of this reply, e.g. 7KQ2XW (upper-case letters and digits) */
  readonly reference: string;
  readonly maxBytes?: number;
}

/** UTF-8 length without encoding: 1-4 bytes per code point; a lone surrogate is encoded as U+FFFD (3 bytes). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const words = new Intl.Segmenter(undefined, { granularity: 'word' });

// V8's Intl.Segmenter (Node 20) takes time quadratic in the length of the string it segments: 100 KB of text took
// seconds. So text is segmented in windows of about a thousand code units, each cut where a boundary is certain
// (bench/reply-split.ts measures it).
const WINDOW = 1024;
/** Code units a boundary must be from a window's end to be trusted (UAX #29 rules look at most two ahead). */
const LOOKAHEAD = 8;

/**
 * The segments of `text`, found window by window. A window's last segments may be cut short by the window's end,
 * so they are segmented again as the start of the next window; a window holding a single segment grows instead.
 */
export function* segmentsOf(segmenter: Intl.Segmenter, text: string): Generator<string> {
  let start = 0;
  let size = WINDOW;
  while (start < text.length) {
    const end = Math.min(text.length, start + size);
    const found = [...segmenter.segment(text.slice(start, end))];
    if (end === text.length) {
      for (const { segment } of found) yield segment;
      return;
    }
    let keep = found.length - 1;
    while (keep > 0 && end - (start + (found[keep]?.index ?? 0)) < LOOKAHEAD) keep--;
    if (keep === 0) {
      size *= 2;
      continue;
    }
    for (const { segment } of found.slice(0, keep)) yield segment;
    start += found[keep]?.index ?? 0;
    size = WINDOW;
  }
}

/** The longest run of whole graphemes (then code points) of `text` within `budget` bytes. */
function takeGraphemes(text: string, budget: number): string {
  let taken = '';
  let used = 0;
  // only the first `budget` bytes matter, and each code unit is at least one byte
  const head = text.length > budget + WINDOW ? text.slice(0, budget + WINDOW) : text;
  for (const segment of segmentsOf(graphemes, head)) {
    const size = utf8Bytes(segment);
    if (used + size > budget || (head !== text && taken.length + segment.length === head.length)) {
      if (taken !== '') return taken;
      // one grapheme larger than a whole part: split it between code points, the last resort
      for (const char of text) {
        const charSize = utf8Bytes(char);
        if (used + charSize > budget) return taken;
        taken += char;
        used += charSize;
      }
      return taken;
    }
    taken += segment;
    used += size;
  }
  return taken;
}

// Scheme URLs and www. hosts, up to the next whitespace: UAX #29 would split a URL at every '/', '.' and '?'.
const URL_PATTERN = /\b(?:[a-z][a-z0-9+.-]*:\/\/|www\.|mailto:)\S+/giu;

/** The reply as units that may not be split (words, URLs, runs of spaces, punctuation), in order. */
function units(text: string): string[] {
  const out: string[] = [];
  const pushWords = (piece: string): void => {
    for (const segment of segmentsOf(words, piece)) out.push(segment);
  };
  let last = 0;
  for (const match of text.matchAll(URL_PATTERN)) {
    const start = match.index;
    // a URL match may begin inside a word (xhttps://...): the word segmenter decides, so take the URL from its start
    pushWords(text.slice(last, start));
    out.push(match[0]);
    last = start + match[0].length;
  }
  pushWords(text.slice(last));
  return out;
}

/** Fills pieces of at most `budget` bytes from whole units, splitting only units that alone exceed it. */
function pieces(unitsOfText: readonly string[], budget: number): string[] {
  const out: string[] = [];
  let current = '';
  let used = 0;
  for (const unit of unitsOfText) {
    let rest = unit;
    let size = utf8Bytes(rest);
    if (used + size <= budget) {
      current += rest;
      used += size;
      continue;
    }
    if (current !== '') {
      out.push(current);
      current = '';
      used = 0;
    }
    while (size > budget) {
      const head = takeGraphemes(rest, budget);
      out.push(head);
      rest = rest.slice(head.length);
      size = utf8Bytes(rest);
    }
    current = rest;
    used = size;
  }
  if (current !== '' || out.length === 0) out.push(current);
  return out;
}

/** A name fit for one header line: whitespace (newlines included) collapsed, control characters dropped, capped. */
function headerName(name: string): string {
  const clean = name
    .replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  const capped = takeGraphemes(clean, MAX_NAME_BYTES);
  return capped === '' ? 'the employee' : capped === clean ? capped : `${capped}…`;
}

/** The header line of one part. */
export function replyHeader(
  authorName: string,
  reference: string,
  part?: { index: number; count: number },
): string {
  if (!REFERENCE_PATTERN.test(reference)) throw new TypeError(`bad reply reference ${reference}`);
  const tag =
    part === undefined || part.count === 1
      ? `[cb:${reference}]`
      : `[cb:${reference} ${part.index}/${part.count}]`;
  return `Reply from ${headerName(authorName)} via casebridge ${tag}`;
}

/** Reads the reference (and part) back from a comment's first line; null when the comment is not a reply part. */
export function parseReplyHeader(body: string): { reference: string; index: number; count: number } | null {
  const firstLine = body.split('\n', 1)[0] ?? '';
  const match = HEADER_TAG.exec(firstLine);
  if (match === null || !firstLine.startsWith('Reply from ')) return null;
  const [, reference = '', index = '1', count = '1'] = match;
  return { reference, index: Number(index), count: Number(count) };
}

/**
 * Splits a reply into the comments to post, in order. The header of a split reply carries "i/n", and n's digits
 * change the header's length, so the split is redone with a longer header until the part count is stable.
 */
export function splitReply(input: ReplyInput): ReplyPart[] {
  const maxBytes = input.maxBytes ?? MAX_COMMENT_BYTES;
  const build = (texts: string[]): ReplyPart[] =>
    texts.map((text, offset) => {
      const header = replyHeader(input.authorName, input.reference, {
        index: offset + 1,
        count: texts.length,
      });
      const body = `${header}\n${text}`;
      return { index: offset + 1, count: texts.length, header, text, body, bytes: utf8Bytes(body) };
    });
  const single = replyHeader(input.authorName, input.reference);
  if (utf8Bytes(single) + 1 + utf8Bytes(input.text) <= maxBytes) return build([input.text]);
  const unitsOfText = units(input.text);
  // the widest header for a count of `digits` digits: every part's "i/n" is at most that wide
  for (let digits = 1; ; digits++) {
    const widest = '9'.repeat(digits);
    const header = replyHeader(input.authorName, input.reference, {
      index: Number(widest),
      count: Number(widest),
    });
    const budget = maxBytes - utf8Bytes(header) - 1;
    if (budget < 4)
      throw new RangeError(`a part of ${maxBytes} bytes leaves no room for text after its header`);
    const texts = pieces(unitsOfText, budget);
    if (String(texts.length).length <= digits) return build(texts);
  }
}
