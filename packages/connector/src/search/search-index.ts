// One tenant's index for one language: articles as documents with three fields (title, headings, body), BM25F
// scores, MaxScore top-k, a proximity second stage, typo tolerance, and the best section with a marked snippet.
// Adding, replacing and removing a document are incremental: a replaced document gets a new slot and the old one is
// marked dead until a compaction renumbers the slots.

import type { ArticleSection } from '../domain/knowledge/article.js';
import type { RankingParams } from '../domain/knowledge/ranking.js';
import { MAX_QUERY_TERMS } from '../domain/knowledge/ranking.js';
import { nextWordStart, wordEnd, type Analyzer, type Token } from './analyzer.js';
import { Vocabulary } from './fuzzy.js';
import { HEADING_END, packSections, SECTION_END, SECTIONS_PREFIX } from './html-sections.js';
import { packFrequencies, PostingBuffer, Postings } from './postings.js';
import {
  findMatches,
  newMatches,
  passageScore,
  proximityScore,
  separatorOf,
  type TermSequence,
} from './proximity.js';
import { bestSection, snippetOf, type Snippet } from './snippet.js';
import { WordTable } from './word-table.js';
import type { Thesaurus } from './wordnet-thesaurus.js';
import { exhaustiveTopK, maxScoreTopK, ranksBefore, type Scored, type TermList } from './top-k.js';

export interface IndexedDocument<P> {
  key: string;
  title: string;
  /** the sections, or them packed by `packSections` (as the store keeps them: nothing to join or cut) */
  sections: readonly ArticleSection[] | string;
  payload: P;
}

interface DocData<P> {
  key: string;
  title: string;
  /**
   * every section's heading and text packed into one string (`packSections`): one string per article instead of an
   * array, an object and two strings per section (about 500 bytes an article of bookkeeping alone); `sectionAt`
   * cuts them out
   */
  text: string;
  payload: P;
  /**
   * One buffer: the term ids in reading order (title, then each section's heading and text), `separatorOf` between
   * title and sections; then where each section starts in them; then per section its heading's length + 1 (0: no
   * heading) and its text's length. 16 bits a value when every value fits (most articles: an index meets its common
   * words first), which halves what the largest per-article structure holds; one typed array an article, not three
   * views (each view is about 90 bytes of heap), cut with `seqOf`, `startsOf` and `shapeOf` when read.
   */
  terms: TermSequence;
  /** how many of `terms` are the term sequence */
  seqLength: number;
}

/** A query word as searched: its term, and the spellings searched instead when the index does not hold it. */
export interface QueryWord {
  word: string;
  term: string;
  found: boolean;
  corrections: string[];
  /** other words searched for it (synonyms of its common senses that the index holds) */
  synonyms: string[];
}

export interface EngineHit<P> {
  key: string;
  payload: P;
  score: number;
  section: { index: number; heading: string | null };
  snippet: Snippet;
}

export interface EngineResult<P> {
  hits: EngineHit<P>[];
  words: QueryWord[];
  /** distinct query words beyond MAX_QUERY_TERMS, not searched */
  ignoredWords: number;
}

export interface SearchOptions {
  limit: number;
  params: RankingParams;
  /** score every posting instead of MaxScore pruning (the baseline; same answers, slower) */
  exhaustive?: boolean;
  /** leave out the best-section and snippet work (ranking measurements) */
  skipSnippets?: boolean;
}

/** one query term as scored: its term id, idf times query weight, the query word it came from */
interface ScoredTerm {
  id: number;
  weight: number;
  idf: number;
  origin: number;
}

const FIELDS = 3;
/** the largest term id and sequence length a 16-bit sequence holds (0xffff is its separator) */
const MAX_U16 = 0xfffe;
/** a hyphen inside a word (Wi-Fi), not a list item's dash */
const HYPHENATED = /[\p{L}\p{N}]-[\p{L}\p{N}]/u;
/** spellings remembered by wordIds before it starts over (a bound on its memory; ids stay valid) */
const MAX_CACHED_WORDS = 500_000;

function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const grown = new Int32Array(array.length * 2);
  grown.set(array);
  return grown;
}

export class SearchIndex<P> {
  private readonly termIds = new Map<string, number>();
  private readonly termNames: string[] = [];
  private readonly postings: Postings[] = [];
  /** postings of the latest documents, not yet in their lists: flushed before anything reads the lists */
  private readonly pending = new PostingBuffer();
  private readonly vocabulary = new Vocabulary();
  private docs: (DocData<P> | undefined)[] = [];
  private alive = new Uint8Array(1024);
  /** field lengths per slot: [title, headings, body] */
  private lengths = new Int32Array(1024 * FIELDS);
  private readonly slotOf = new Map<string, number>();
  private nextSlot = 0;
  private live = 0;
  private readonly totals = [0, 0, 0];
  /** bumped on every change; cached norms and bounds compare against it */
  private version = 0;
  private norms = new Float32Array(0);
  private normsKey = '';
  private marker = new Int32Array(0);
  /** scratch per-field counts while a document is added, indexed by term id * FIELDS */
  private fieldCounts = new Int32Array(1024 * FIELDS);
  private distinctScratch: Int32Array<ArrayBuffer> = new Int32Array(1024);
  private seqScratch: Int32Array<ArrayBuffer> = new Int32Array(4096);
  private startsScratch = new Int32Array(64);
  /** per section of the document being added: heading start, heading end, text end (`sectionBounds`) */
  private boundsScratch: Int32Array<ArrayBuffer> = new Int32Array(192);
  /** words as written (any case) to their term id, -1 for a stop word: most words of an article were seen before */
  private readonly wordIds = new WordTable();
  private distinctCount = 0;
  /** documents a rebuild in progress expects (`expect`); 0 when none */
  private expected = 0;
  private seqLength = 0;
  private readonly fieldLength = new Int32Array(FIELDS);

  /** `thesaurus` gives a query word's synonyms in the analyzer's language (none: words are searched as written) */
  constructor(
    readonly analyzer: Analyzer,
    private readonly thesaurus?: Thesaurus,
  ) {}

  get size(): number {
    return this.live;
  }

  has(key: string): boolean {
    return this.slotOf.has(key);
  }

  get(key: string): P | undefined {
    const slot = this.slotOf.get(key);
    return slot === undefined ? undefined : this.docs[slot]?.payload;
  }

  /** Adds the document, or replaces the one with the same key. */
  upsert(doc: IndexedDocument<P>): void {
    this.remove(doc.key);
    const slot = this.nextSlot++;
    this.ensureCapacity(slot + 1);
    this.distinctCount = 0;
    this.seqLength = 0;
    this.fieldLength.fill(0);
    const text = typeof doc.sections === 'string' ? doc.sections : packSections(doc.sections);
    const sectionCount = this.sectionBounds(text);
    const bounds = this.boundsScratch;
    this.addText(doc.title, 0, 0, doc.title.length);
    this.pushSeq(-1);
    const sectionStarts =
      this.startsScratch.length >= sectionCount ? this.startsScratch : new Int32Array(sectionCount);
    this.startsScratch = sectionStarts;
    // per section: its heading's length + 1 (0: no heading), then its text's length
    const shape = new Int32Array(sectionCount * 2);
    for (let i = 0; i < sectionCount; i++) {
      const headingStart = bounds[3 * i] ?? 0;
      const headingEnd = bounds[3 * i + 1] ?? 0;
      const end = bounds[3 * i + 2] ?? 0;
      sectionStarts[i] = this.seqLength;
      if (headingEnd > headingStart) this.addText(text, 1, headingStart, headingEnd);
      this.addText(text, 2, headingEnd + 1, end);
      shape[2 * i] = headingEnd > headingStart ? headingEnd - headingStart + 1 : 0;
      shape[2 * i + 1] = end - headingEnd - 1;
    }
    const counts = this.fieldCounts;
    const pending = this.pending;
    if (pending.length + this.distinctCount > pending.capacity) this.flushPostings();
    // an article with more distinct terms than the buffer holds (a huge body) goes straight to the lists
    const direct = this.distinctCount > pending.capacity;
    for (let d = 0; d < this.distinctCount; d++) {
      const id = this.distinctScratch[d] ?? 0;
      const at = id * FIELDS;
      const freq = packFrequencies(counts[at] ?? 0, counts[at + 1] ?? 0, counts[at + 2] ?? 0);
      if (direct) {
        const postings = this.postings[id] as Postings;
        postings.push(slot, freq);
        postings.df++;
      } else pending.add(id, slot, freq);
      counts[at] = 0;
      counts[at + 1] = 0;
      counts[at + 2] = 0;
    }
    const fieldLength = this.fieldLength;
    const terms = this.packSequence(sectionStarts.subarray(0, sectionCount), shape);
    this.docs[slot] = {
      key: doc.key,
      title: doc.title,
      text,
      payload: doc.payload,
      terms,
      seqLength: this.seqLength,
    };
    for (let f = 0; f < FIELDS; f++) {
      this.lengths[slot * FIELDS + f] = fieldLength[f] ?? 0;
      this.totals[f] = (this.totals[f] ?? 0) + (fieldLength[f] ?? 0);
    }
    this.alive[slot] = 1;
    this.slotOf.set(doc.key, slot);
    this.live++;
    this.version++;
  }

  /** the sequence scratch, section starts and shape in one buffer, 16 bits each when every value fits */
  private packSequence(sectionStarts: Int32Array, shape: Int32Array): TermSequence {
    const length = this.seqLength;
    const scratch = this.seqScratch;
    let max = length;
    for (let i = 0; i < length; i++) if ((scratch[i] ?? 0) > max) max = scratch[i] ?? 0;
    for (const value of shape) if (value > max) max = value;
    const starts = length + sectionStarts.length;
    const buffer: TermSequence =
      max <= MAX_U16 ? new Uint16Array(starts + shape.length) : new Int32Array(starts + shape.length);
    // -1 becomes 0xffff in a Uint16Array (ToUint16), the separator of a 16-bit sequence
    buffer.set(scratch.subarray(0, length));
    buffer.set(sectionStarts, length);
    buffer.set(shape, starts);
    return buffer;
  }

  /** a document's term sequence */
  private seqOf(doc: DocData<P>): TermSequence {
    return doc.terms.subarray(0, doc.seqLength);
  }

  /** where each section of a document starts in its term sequence */
  private startsOf(doc: DocData<P>): TermSequence {
    const sections = (doc.terms.length - doc.seqLength) / 3;
    return doc.terms.subarray(doc.seqLength, doc.seqLength + sections);
  }

  /** per section of a document: its heading's length + 1 (0: no heading), then its text's length */
  private shapeOf(doc: DocData<P>): TermSequence {
    const sections = (doc.terms.length - doc.seqLength) / 3;
    return doc.terms.subarray(doc.seqLength + sections);
  }

  /**
   * The sections of a packed text as [heading start, heading end, text end] triples in `boundsScratch` (the text
   * starts after the heading's end mark); returns how many.
   */
  private sectionBounds(text: string): number {
    if (!text.startsWith(SECTIONS_PREFIX)) return 0;
    let count = 0;
    for (let at = SECTIONS_PREFIX.length; at < text.length; count++) {
      const headingEnd = text.indexOf(HEADING_END, at);
      const end = headingEnd < 0 ? -1 : text.indexOf(SECTION_END, headingEnd + 1);
      if (end < 0) break;
      if (3 * count + 3 > this.boundsScratch.length) this.boundsScratch = grow(this.boundsScratch);
      this.boundsScratch[3 * count] = at;
      this.boundsScratch[3 * count + 1] = headingEnd;
      this.boundsScratch[3 * count + 2] = end;
      at = end + 1;
    }
    return count;
  }

  /** section i of a document as it was given (heading and text cut from the packed text) */
  private sectionAt(doc: DocData<P>, i: number): ArticleSection | undefined {
    const shape = this.shapeOf(doc);
    if (i < 0 || 2 * i >= shape.length) return undefined;
    // each section is its heading, the heading's end mark, its text and the section's end mark
    let at = SECTIONS_PREFIX.length;
    for (let k = 0; k < i; k++) at += Math.max(0, (shape[2 * k] ?? 0) - 1) + (shape[2 * k + 1] ?? 0) + 2;
    const headingLength = Math.max(0, (shape[2 * i] ?? 0) - 1);
    const heading = headingLength === 0 ? null : doc.text.slice(at, at + headingLength);
    at += headingLength + 1;
    return { heading, text: doc.text.slice(at, at + (shape[2 * i + 1] ?? 0)) };
  }

  /**
   * counts the words of text[from, to), one field of the document being added (a plain loop: this runs for every
   * word indexed); `to` is the text's end or a separator of a packed text, where no word continues
   */
  private addText(text: string, field: number, from: number, to: number): void {
    const words = this.wordIds;
    for (let start = nextWordStart(text, from); start < to;) {
      const end = wordEnd(text, start);
      // one look-up per word as written, straight from the text: its term id, -1 for a stop word
      let id = words.get(text, start, end);
      if (id === undefined) {
        const term = this.analyzer.termOfWord(text.slice(start, end));
        id = term === null ? -1 : this.termId(term);
        if (words.size >= MAX_CACHED_WORDS) words.clear();
        words.set(text, start, end, id);
      }
      if (id >= 0) this.count(id, field);
      start = nextWordStart(text, end);
    }
    const dash = text.indexOf('-', from);
    if (dash >= 0 && dash < to) {
      const part = from === 0 && to === text.length ? text : text.slice(from, to);
      for (const term of this.analyzer.compoundTerms(part)) this.count(this.termId(term), field);
    }
  }

  private count(id: number, field: number): void {
    const at = id * FIELDS;
    const counts = this.fieldCounts;
    if (counts[at] === 0 && counts[at + 1] === 0 && counts[at + 2] === 0) {
      if (this.distinctCount === this.distinctScratch.length)
        this.distinctScratch = grow(this.distinctScratch);
      this.distinctScratch[this.distinctCount++] = id;
    }
    counts[at + field] = (counts[at + field] ?? 0) + 1;
    this.fieldLength[field] = (this.fieldLength[field] ?? 0) + 1;
    this.pushSeq(id);
  }

  private pushSeq(id: number): void {
    if (this.seqLength === this.seqScratch.length) this.seqScratch = grow(this.seqScratch);
    this.seqScratch[this.seqLength++] = id;
  }

  /** Gives back the postings' spare room after many documents were added at once (a rebuild). */
  settle(): void {
    this.flushPostings();
    this.expected = 0;
    for (const p of this.postings) p.trim();
  }

  /** moves the buffered postings to their lists (before a search, a compaction or a size reads them) */
  private flushPostings(): void {
    const scale = this.expected > this.live && this.live > 0 ? this.expected / this.live : 1;
    this.pending.flushInto(this.postings, scale);
  }

  /**
   * A rebuild is about to add this many documents: lists long enough to estimate are sized for all of them at once
   * (fewer growth copies; the estimate holds while the documents come in an order unrelated to their words, as
   * key order is)
   */
  expect(documents: number): void {
    this.expected = documents;
  }

  /** Removes the document with this key; false when there was none. */
  remove(key: string): boolean {
    const slot = this.slotOf.get(key);
    if (slot === undefined) return false;
    const doc = this.docs[slot];
    if (doc !== undefined) this.undoFrequencies(this.seqOf(doc));
    for (let f = 0; f < FIELDS; f++)
      this.totals[f] = (this.totals[f] ?? 0) - (this.lengths[slot * FIELDS + f] ?? 0);
    this.docs[slot] = undefined;
    this.alive[slot] = 0;
    this.slotOf.delete(key);
    this.live--;
    this.version++;
    if (this.nextSlot - this.live > Math.max(1024, this.live)) this.compact();
    return true;
  }

  /**
   * Takes one off the document frequency of each distinct term of a removed document. The distinct terms come from
   * its word sequence rather than a list of their own, which would cost 4 bytes per term of every live document.
   */
  private undoFrequencies(seq: TermSequence): void {
    // the per-field counting scratch is all zeros outside upsert(): borrowed as a seen-mark per term
    const seen = this.fieldCounts;
    const separator = separatorOf(seq);
    for (const id of seq) {
      if (id === separator || seen[id * FIELDS] !== 0) continue;
      seen[id * FIELDS] = 1;
      (this.postings[id] as Postings).df--;
    }
    for (const id of seq) if (id !== separator) seen[id * FIELDS] = 0;
  }

  /** The distinct terms of a text as this index analyses it (for tests and explanations). */
  termsOf(text: string): string[] {
    return [...new Set(this.analyzer.tokens(text).map((t) => t.term))];
  }

  /** Approximate bytes held by postings, sequences and field lengths (not the text kept for snippets). */
  approximateBytes(): number {
    this.flushPostings();
    let bytes = this.alive.byteLength + this.lengths.byteLength + this.norms.byteLength;
    for (const p of this.postings) bytes += p.docs.byteLength + p.freqs.byteLength + 48;
    for (const d of this.docs) {
      if (d !== undefined) bytes += d.terms.byteLength + 96;
    }
    for (const name of this.termNames) bytes += name.length + 40;
    return bytes;
  }

  search(query: string, options: SearchOptions): EngineResult<P> {
    this.flushPostings();
    const { params } = options;
    const { terms, words, ignoredWords } = this.queryTerms(query, params);
    if (terms.length === 0 || options.limit <= 0) return { hits: [], words, ignoredWords };
    const norms = this.currentNorms(params);
    const k1 = params.k1;
    const wT = params.title.weight;
    const wH = params.headings.weight;
    const wB = params.body.weight;
    const weights = terms.map((t) => t.weight * t.idf);
    const score = (term: number, freq: number, slot: number): number => {
      const base = slot * FIELDS;
      const c =
        wT * (freq & 255) * (norms[base] ?? 0) +
        wH * ((freq >>> 8) & 255) * (norms[base + 1] ?? 0) +
        wB * (freq >>> 16) * (norms[base + 2] ?? 0);
      return ((weights[term] ?? 0) * c * (k1 + 1)) / (c + k1);
    };
    const boundKey = paramsKey(params);
    const lists: TermList[] = terms.map((t, i) => {
      const postings = this.postings[t.id] as Postings;
      return { term: i, postings, bound: this.bound(postings, norms, params, boundKey) * (weights[i] ?? 0) };
    });
    const reranks = (params.proximity > 0 || params.passage > 0) && terms.length > 1;
    const depth = Math.max(options.limit, reranks ? params.rerankDepth : 0);
    const first = options.exhaustive
      ? exhaustiveTopK(lists, this.nextSlot, depth, this.alive, score)
      : maxScoreTopK(lists, terms.length, depth, this.alive, score);
    const ranked = reranks ? this.rerank(first, terms, params) : first;
    const hits = ranked.slice(0, options.limit).map((r) => this.hit(r, terms, options.skipSnippets === true));
    return { hits, words, ignoredWords };
  }

  private rerank(first: Scored[], terms: ScoredTerm[], params: RankingParams): Scored[] {
    const marker = this.markQuery(terms);
    try {
      const weights = terms.map((t) => t.idf * t.weight);
      const origins = terms.map((t) => t.origin);
      const matches = newMatches();
      const out = first.map((r) => {
        const doc = this.docs[r.slot] as DocData<P>;
        const m = findMatches(this.seqOf(doc), marker, matches);
        const bonus =
          (params.proximity > 0 ? params.proximity * proximityScore(m, weights, origins) : 0) +
          (params.passage > 0 ? params.passage * passageScore(m, weights, params.passageWidth) : 0);
        return { slot: r.slot, score: r.score + bonus };
      });
      return out.sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
    } finally {
      this.unmarkQuery(terms);
    }
  }

  /** marks the query's term ids in a reusable array (term id -> query index + 1) */
  private markQuery(terms: ScoredTerm[]): Int32Array {
    if (this.marker.length < this.termNames.length) {
      this.marker = new Int32Array(Math.max(1024, this.termNames.length * 2));
    }
    terms.forEach((t, i) => (this.marker[t.id] = i + 1));
    return this.marker;
  }

  private unmarkQuery(terms: ScoredTerm[]): void {
    for (const t of terms) this.marker[t.id] = 0;
  }

  private hit(r: Scored, terms: ScoredTerm[], skipSnippet: boolean): EngineHit<P> {
    const doc = this.docs[r.slot] as DocData<P>;
    const termIndex = new Map<number, number>();
    terms.forEach((t, i) => termIndex.set(t.id, i));
    const idfs = terms.map((t) => t.idf * t.weight);
    const sectionIndex = skipSnippet ? 0 : bestSection(this.seqOf(doc), this.startsOf(doc), termIndex, idfs);
    const section = this.sectionAt(doc, sectionIndex);
    const wanted = new Map<string, number>();
    terms.forEach((t, i) => wanted.set(this.termNames[t.id] ?? '', idfs[i] ?? 0));
    const snippet: Snippet = skipSnippet
      ? { text: '', marks: [] }
      : snippetOf(section?.text ?? '', this.wantedTokens(section?.text ?? '', wanted), wanted);
    return {
      key: doc.key,
      payload: doc.payload,
      score: r.score,
      section: { index: sectionIndex, heading: section?.heading ?? null },
      snippet,
    };
  }

  /**
   * The words of a text whose term is wanted, in order with their positions: the indexing scanner and word table
   * (no string cut per word), the analyzer only for words the table no longer holds. A text with hyphenated words
   * goes through the analyzer's tokens, which also give each compound ("wifi" for Wi-Fi) its place.
   */
  private wantedTokens(text: string, wanted: Map<string, number>): Token[] {
    if (HYPHENATED.test(text)) return this.analyzer.tokens(text).filter((t) => wanted.has(t.term));
    const out: Token[] = [];
    const words = this.wordIds;
    let position = 0;
    for (let start = nextWordStart(text, 0); start < text.length;) {
      const end = wordEnd(text, start);
      const id = words.get(text, start, end);
      const term =
        id === undefined
          ? this.analyzer.termOfWord(text.slice(start, end))
          : id < 0
            ? null
            : this.termNames[id];
      if (term !== null && term !== undefined && wanted.has(term)) out.push({ term, position, start, end });
      position++;
      start = nextWordStart(text, end);
    }
    return out;
  }

  private queryTerms(
    query: string,
    params: RankingParams,
  ): { terms: ScoredTerm[]; words: QueryWord[]; ignoredWords: number } {
    const seen = new Map<string, number>();
    const words: QueryWord[] = [];
    const counts: number[] = [];
    let ignoredWords = 0;
    for (const token of this.analyzer.tokens(query)) {
      const at = seen.get(token.term);
      if (at !== undefined) {
        counts[at] = (counts[at] ?? 0) + 1;
        continue;
      }
      if (words.length >= MAX_QUERY_TERMS) {
        ignoredWords++;
        continue;
      }
      seen.set(token.term, words.length);
      counts.push(1);
      words.push({
        word: query.slice(token.start, token.end),
        term: token.term,
        found: false,
        corrections: [],
        synonyms: [],
      });
    }
    const byId = new Map<number, ScoredTerm>();
    const add = (term: string, weight: number, origin: number): void => {
      const id = this.termIds.get(term);
      if (id === undefined) return;
      const df = (this.postings[id] as Postings).df;
      if (df <= 0) return;
      const existing = byId.get(id);
      if (existing !== undefined) {
        if (weight > existing.weight) existing.weight = weight;
        return;
      }
      byId.set(id, {
        id,
        weight,
        idf: Math.log(1 + (this.live - df + 0.5) / (df + 0.5)) ** params.idfPower,
        origin,
      });
    };
    words.forEach((w, i) => {
      const weight = counts[i] ?? 1;
      const id = this.termIds.get(w.term);
      if (id !== undefined && (this.postings[id] as Postings).df > 0) {
        w.found = true;
        add(w.term, weight, i);
      }
    });
    if (params.fuzzy > 0) {
      words.forEach((w, i) => {
        if (w.found) return;
        const near = this.vocabulary.near(w.term, 2, (term) => {
          const id = this.termIds.get(term);
          return id !== undefined && (this.postings[id] as Postings).df > 0;
        });
        for (const candidate of near) {
          w.corrections.push(candidate.term);
          add(candidate.term, (counts[i] ?? 1) * params.fuzzy, i);
        }
      });
    }
    if (this.thesaurus !== undefined && params.synonyms > 0) this.addSynonyms(words, counts, params, add);
    return { terms: [...byId.values()], words, ignoredWords };
  }

  /**
   * Searches each query word also as the other words of its most common senses, at a fraction of its weight: a
   * paraphrase ("hue", "yearly") still meets the article's word ("shade", "annual") without outranking it.
   */
  private addSynonyms(
    words: QueryWord[],
    counts: number[],
    params: RankingParams,
    add: (term: string, weight: number, origin: number) => void,
  ): void {
    const thesaurus = this.thesaurus as Thesaurus;
    words.forEach((w, i) => {
      for (const synonym of thesaurus.synonyms(w.word.toLowerCase())) {
        if (synonym.sense >= params.synonymSenses) continue;
        const term = this.analyzer.termOfWord(synonym.word);
        if (term === null || term === w.term) continue;
        const id = this.termIds.get(term);
        if (id === undefined || (this.postings[id] as Postings).df <= 0) continue;
        if (!w.synonyms.includes(term)) w.synonyms.push(term);
        add(term, (counts[i] ?? 1) * params.synonyms, i);
      }
    });
  }

  /** per-slot 1 / (1 - b + b * length / average) for each field, recomputed after changes */
  private currentNorms(params: RankingParams): Float32Array {
    const key = `${this.version}:${params.title.b}:${params.headings.b}:${params.body.b}`;
    if (key === this.normsKey && this.norms.length >= this.nextSlot * FIELDS) return this.norms;
    const bs = [params.title.b, params.headings.b, params.body.b];
    const avgs = this.totals.map((t) => (this.live > 0 ? Math.max(t / this.live, 1e-9) : 1));
    const norms = new Float32Array(this.nextSlot * FIELDS);
    for (let slot = 0; slot < this.nextSlot; slot++) {
      if (this.alive[slot] !== 1) continue;
      for (let f = 0; f < FIELDS; f++) {
        const b = bs[f] ?? 0;
        norms[slot * FIELDS + f] =
          1 / (1 - b + (b * (this.lengths[slot * FIELDS + f] ?? 0)) / (avgs[f] ?? 1));
      }
    }
    this.norms = norms;
    this.normsKey = key;
    return norms;
  }

  /** the largest BM25F term factor any live posting of the list reaches (before idf and query weight) */
  private bound(postings: Postings, norms: Float32Array, params: RankingParams, key: string): number {
    if (postings.boundVersion === this.version && postings.boundParams === key) return postings.bound;
    const wT = params.title.weight;
    const wH = params.headings.weight;
    const wB = params.body.weight;
    let max = 0;
    for (let p = 0; p < postings.length; p++) {
      const slot = postings.docs[p] ?? 0;
      if (this.alive[slot] !== 1) continue;
      const freq = postings.freqs[p] ?? 0;
      const base = slot * FIELDS;
      const c =
        wT * (freq & 255) * (norms[base] ?? 0) +
        wH * ((freq >>> 8) & 255) * (norms[base + 1] ?? 0) +
        wB * (freq >>> 16) * (norms[base + 2] ?? 0);
      if (c > max) max = c;
    }
    // monotone in c, so the bound of the factor is the factor of the bound; a hair up covers float rounding
    const bound = ((max * (params.k1 + 1)) / (max + params.k1)) * (1 + 1e-12);
    postings.bound = bound;
    postings.boundVersion = this.version;
    postings.boundParams = key;
    return bound;
  }

  private termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termNames.length;
      this.termIds.set(term, id);
      this.termNames.push(term);
      this.postings.push(new Postings());
      this.vocabulary.add(term);
      if ((id + 1) * FIELDS > this.fieldCounts.length) {
        const grown = new Int32Array(this.fieldCounts.length * 2);
        grown.set(this.fieldCounts);
        this.fieldCounts = grown;
      }
    }
    return id;
  }

  private ensureCapacity(slots: number): void {
    if (slots <= this.alive.length) return;
    let size = this.alive.length;
    while (size < slots) size *= 2;
    const alive = new Uint8Array(size);
    alive.set(this.alive);
    this.alive = alive;
    const lengths = new Int32Array(size * FIELDS);
    lengths.set(this.lengths);
    this.lengths = lengths;
  }

  /** renumbers live documents 0..live-1 and drops the postings of removed ones */
  private compact(): void {
    this.flushPostings();
    const remap = new Int32Array(this.nextSlot).fill(-1);
    const docs: (DocData<P> | undefined)[] = [];
    const alive = new Uint8Array(Math.max(1024, this.alive.length));
    const lengths = new Int32Array(alive.length * FIELDS);
    let next = 0;
    for (let slot = 0; slot < this.nextSlot; slot++) {
      const doc = this.docs[slot];
      if (doc === undefined || this.alive[slot] !== 1) continue;
      remap[slot] = next;
      docs[next] = doc;
      alive[next] = 1;
      for (let f = 0; f < FIELDS; f++) lengths[next * FIELDS + f] = this.lengths[slot * FIELDS + f] ?? 0;
      this.slotOf.set(doc.key, next);
      next++;
    }
    for (const p of this.postings) p.compact(remap);
    this.docs = docs;
    this.alive = alive;
    this.lengths = lengths;
    this.nextSlot = next;
    this.version++;
  }
}

function paramsKey(params: RankingParams): string {
  return `${params.k1}:${params.title.weight}:${params.headings.weight}:${params.body.weight}:${params.title.b}:${params.headings.b}:${params.body.b}`;
}
