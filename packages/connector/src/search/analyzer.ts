// Text analysis per language: words split on Unicode letters and digits, lower-cased, stop words dropped, stemmed
// with the Snowball stemmers of @orama/stemmers. The same analyzer reads articles and queries, so both meet as stems.

import { stemmer as danish } from '@orama/stemmers/danish';
import { stemmer as dutch } from '@orama/stemmers/dutch';
import { stemmer as english } from '@orama/stemmers/english';
import { stemmer as finnish } from '@orama/stemmers/finnish';
import { stemmer as french } from '@orama/stemmers/french';
import { stemmer as german } from '@orama/stemmers/german';
import { stemmer as italian } from '@orama/stemmers/italian';
import { stemmer as norwegian } from '@orama/stemmers/norwegian';
import { stemmer as portuguese } from '@orama/stemmers/portuguese';
import { stemmer as russian } from '@orama/stemmers/russian';
import { stemmer as spanish } from '@orama/stemmers/spanish';
import { stemmer as swedish } from '@orama/stemmers/swedish';
import { stopwords as danishStop } from '@orama/stopwords/danish';
import { stopwords as dutchStop } from '@orama/stopwords/dutch';
import { stopwords as englishStop } from '@orama/stopwords/english';
import { stopwords as finnishStop } from '@orama/stopwords/finnish';
import { stopwords as frenchStop } from '@orama/stopwords/french';
import { stopwords as germanStop } from '@orama/stopwords/german';
import { stopwords as italianStop } from '@orama/stopwords/italian';
import { stopwords as norwegianStop } from '@orama/stopwords/norwegian';
import { stopwords as portugueseStop } from '@orama/stopwords/portuguese';
import { stopwords as russianStop } from '@orama/stopwords/russian';
import { stopwords as spanishStop } from '@orama/stopwords/spanish';
import { stopwords as swedishStop } from '@orama/stopwords/swedish';

/** One word of a text: its index term, its position among the text's words and where it sits in the text. */
export interface Token {
  term: string;
  /** position among all words of the text, stop words included, so distances stay true */
  position: number;
  start: number;
  end: number;
}

export interface Analyzer {
  /** the language family this analyzer serves ('english', 'german', ... or 'none') */
  readonly family: string;
  /** the index terms of a text; stop words are skipped but still counted in positions */
  tokens(text: string): Token[];
  /** the index terms of a text, in order, without positions (indexing: no object per word) */
  terms(text: string): string[];
  /** the index term of one word as written (cached), null for a stop word */
  termOfWord(raw: string): string | null;
  /** the joined terms of the hyphenated words of a text (Wi-Fi also as "wifi") */
  compoundTerms(text: string): string[];
  /** counts of what a query held, to explain an empty answer */
  inspect(text: string): { words: number; stopWords: number };
}

interface Family {
  stem: (word: string) => string;
  stop: readonly string[];
}

const FAMILIES: Record<string, Family> = {
  english: { stem: english, stop: englishStop },
  german: { stem: german, stop: germanStop },
  french: { stem: french, stop: frenchStop },
  spanish: { stem: spanish, stop: spanishStop },
  italian: { stem: italian, stop: italianStop },
  portuguese: { stem: portuguese, stop: portugueseStop },
  dutch: { stem: dutch, stop: dutchStop },
  swedish: { stem: swedish, stop: swedishStop },
  danish: { stem: danish, stop: danishStop },
  norwegian: { stem: norwegian, stop: norwegianStop },
  finnish: { stem: finnish, stop: finnishStop },
  russian: { stem: russian, stop: russianStop },
};

/** ISO 639-1 prefixes of Salesforce locale codes (en_US, de, pt_BR, nl_NL, no...) to the stemmer family. */
const BY_PREFIX: Record<string, string> = {
  en: 'english',
  de: 'german',
  fr: 'french',
  es: 'spanish',
  it: 'italian',
  pt: 'portuguese',
  nl: 'dutch',
  sv: 'swedish',
  da: 'danish',
  no: 'norwegian',
  nb: 'norwegian',
  fi: 'finnish',
  ru: 'russian',
};

/** letters, digits, or neither, for the code units of the Basic Multilingual Plane (filled as first seen) */
const LETTER = 1;
const DIGIT = 2;
const OTHER = 3;
const kinds = new Uint8Array(65_536);
const IS_LETTER = /^\p{L}$/u;
const IS_DIGIT = /^\p{N}$/u;

function kindOfCodePoint(code: number): number {
  const char = String.fromCodePoint(code);
  return IS_LETTER.test(char) ? LETTER : IS_DIGIT.test(char) ? DIGIT : OTHER;
}

function kindAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 128) {
    // ASCII first: almost every character of an article
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90)) return LETTER;
    return code >= 48 && code <= 57 ? DIGIT : OTHER;
  }
  if (code >= 0xd800 && code <= 0xdbff) return kindOfCodePoint(text.codePointAt(i) ?? code);
  let kind = kinds[code] ?? 0;
  if (kind === 0) {
    kind = code >= 0xdc00 && code <= 0xdfff ? OTHER : kindOfCodePoint(code);
    kinds[code] = kind;
  }
  return kind;
}

/** what a word is, as a regular expression (the scanner below finds exactly its matches; a test holds them equal) */
export const WORD_PATTERN = /[\p{L}\p{N}]+(?:['\u2019]\p{L}+)*/gu;

/** code units the character at i takes (2 for a surrogate pair) */
function widthAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  if (code < 0xd800 || code > 0xdbff) return 1;
  const next = text.charCodeAt(i + 1);
  return next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
}

const isApostrophe = (code: number): boolean => code === 39 || code === 0x2019;

/**
 * Calls `visit(start, end)` for every word of the text: letters and digits, with an inner apostrophe followed by
 * letters kept (don't, l'été) so stop-word lists that hold them match: the matches of WORD_PATTERN, scanned by
 * hand because indexing reads every word of every article and the regular expression's iterator cost most of a
 * rebuild.
 */
export function forEachWord(text: string, visit: (start: number, end: number) => void): void {
  for (let i = nextWordStart(text, 0); i < text.length;) {
    const end = wordEnd(text, i);
    visit(i, end);
    i = nextWordStart(text, end);
  }
}

/** where the next word starts at or after `from` (text.length when none does) */
export function nextWordStart(text: string, from: number): number {
  let i = from;
  while (i < text.length && kindAt(text, i) === OTHER) i += widthAt(text, i);
  return i;
}

/** where the word that starts at `start` ends */
export function wordEnd(text: string, start: number): number {
  const length = text.length;
  let i = start + widthAt(text, start);
  while (i < length && kindAt(text, i) !== OTHER) i += widthAt(text, i);
  // an apostrophe continues the word only when letters follow it
  while (i + 1 < length && isApostrophe(text.charCodeAt(i)) && kindAt(text, i + 1) === LETTER) {
    i += 1 + widthAt(text, i + 1);
    while (i < length && kindAt(text, i) === LETTER) i += widthAt(text, i);
  }
  return i;
}

/** words joined by hyphens (Wi-Fi, e-mail, A-561): also indexed as one word, so "wifi" and "email" meet them */
const COMPOUND = /[\p{L}\p{N}]+(?:-[\p{L}\p{N}]+)+/gu;
/** longer words are not language (hashes, base64): indexed as they are, never stemmed */
const MAX_STEMMED_LENGTH = 40;
const MAX_TERM_LENGTH = 64;

function normalise(word: string): string {
  const lower = word.toLowerCase();
  return lower.includes('\u2019') ? lower.replace(/\u2019/g, "'") : lower;
}

class SnowballAnalyzer implements Analyzer {
  private readonly stop: Set<string>;
  private readonly cache = new Map<string, string>();
  private readonly rawCache = new Map<string, string | null>();

  constructor(
    readonly family: string,
    private readonly stem: ((word: string) => string) | null,
    stopWords: readonly string[],
  ) {
    this.stop = new Set(stopWords.map(normalise));
  }

  private termOf(word: string): string {
    const cached = this.cache.get(word);
    if (cached !== undefined) return cached;
    // an elided article or possessive ("l'été", "company's") is indexed as its main word
    const apostrophe = word.indexOf("'");
    let base = word;
    if (apostrophe > 0) {
      const head = word.slice(0, apostrophe);
      const tail = word.slice(apostrophe + 1);
      base = tail.length <= 2 ? head : head.length <= 2 ? tail : word;
    }
    let term = base.length > MAX_STEMMED_LENGTH || this.stem === null ? base : this.stem(base);
    if (term.length > MAX_TERM_LENGTH) term = term.slice(0, MAX_TERM_LENGTH);
    if (this.cache.size > 200_000) this.cache.clear();
    this.cache.set(word, term);
    return term;
  }

  tokens(text: string): Token[] {
    const out: Token[] = [];
    let position = 0;
    forEachWord(text, (start, end) => {
      const at = position++;
      const term = this.termOfWord(text.slice(start, end));
      if (term !== null) out.push({ term, position: at, start, end });
    });
    if (text.includes('-')) {
      for (const match of text.matchAll(COMPOUND)) {
        const term = this.compoundTerm(match[0]);
        if (term === null) continue;
        const first = out.findIndex((t) => t.start >= match.index);
        const at = first >= 0 ? (out[first]?.position ?? 0) : position;
        out.push({ term, position: at, start: match.index, end: match.index + match[0].length });
      }
      out.sort((a, b) => a.start - b.start || b.end - a.end);
    }
    return out;
  }

  /** the joined form of a hyphenated word, stemmed; null when it is too long to be a word */
  private compoundTerm(compound: string): string | null {
    const joined = normalise(compound).replace(/-/g, '');
    if (joined.length > MAX_STEMMED_LENGTH || this.stop.has(joined)) return null;
    return this.termOf(joined);
  }

  termOfWord(raw: string): string | null {
    let term = this.rawCache.get(raw);
    if (term === undefined) {
      const word = normalise(raw);
      const t = this.stop.has(word) ? '' : this.termOf(word);
      term = t === '' || this.stop.has(t) ? null : t;
      if (this.rawCache.size > 200_000) this.rawCache.clear();
      this.rawCache.set(raw, term);
    }
    return term;
  }

  compoundTerms(text: string): string[] {
    const out: string[] = [];
    if (!text.includes('-')) return out;
    for (const match of text.matchAll(COMPOUND)) {
      const term = this.compoundTerm(match[0]);
      if (term !== null) out.push(term);
    }
    return out;
  }

  terms(text: string): string[] {
    const out: string[] = [];
    forEachWord(text, (start, end) => {
      const term = this.termOfWord(text.slice(start, end));
      if (term !== null) out.push(term);
    });
    out.push(...this.compoundTerms(text));
    return out;
  }

  inspect(text: string): { words: number; stopWords: number } {
    let words = 0;
    let stopWords = 0;
    forEachWord(text, (start, end) => {
      words++;
      if (this.stop.has(normalise(text.slice(start, end)))) stopWords++;
    });
    return { words, stopWords };
  }
}

const analyzers = new Map<string, Analyzer>();

/** The analyzer for a Salesforce language code; languages without a stemmer get words as they are, no stop words. */
export function analyzerFor(language: string): Analyzer {
  const prefix = language.toLowerCase().split(/[_-]/)[0] ?? '';
  const familyName = BY_PREFIX[prefix] ?? 'none';
  let analyzer = analyzers.get(familyName);
  if (analyzer === undefined) {
    const family = FAMILIES[familyName];
    analyzer = new SnowballAnalyzer(familyName, family?.stem ?? null, family?.stop ?? []);
    analyzers.set(familyName, analyzer);
  }
  return analyzer;
}
