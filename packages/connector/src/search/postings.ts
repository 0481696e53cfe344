// One term's postings: ascending document slots and packed per-field frequencies, in growable typed arrays.
// Slots only ever grow (a replaced article gets a new slot), so appending keeps every list sorted.

/** title frequency in bits 0-7, headings in 8-15, body in 16-31 (each saturates at its maximum) */
export function packFrequencies(title: number, headings: number, body: number): number {
  return (Math.min(title, 255) | (Math.min(headings, 255) << 8) | (Math.min(body, 65_535) << 16)) >>> 0;
}

/** runs up to this long are copied by a loop rather than through subarray views */
const SMALL_RUN = 16;
/**
 * A list this long is sized for the documents a rebuild still expects: its share of the documents so far is a fair
 * estimate by then (a few per cent off), and growing by half again and again was most of a rebuild's copying
 */
const PROJECTED_FROM = 256;
/** room above the projection, so that a list a little over its estimate needs no copy */
const PROJECTION_MARGIN = 1.08;
/** the spare room settle() leaves in a list rather than copy it (a sized list ends with about this much) */
const KEPT_SPARE = 1 / 8;

export class Postings {
  docs: Int32Array;
  freqs: Uint32Array;
  length = 0;
  /** live documents holding the term (postings of removed documents stay until compaction) */
  df = 0;
  /** cached upper bound of one posting's score, valid while `boundVersion` equals the index's version */
  bound = 0;
  boundVersion = -1;
  boundParams = '';

  constructor(capacity = 4) {
    this.docs = new Int32Array(capacity);
    this.freqs = new Uint32Array(capacity);
  }

  push(doc: number, freq: number): void {
    // grown by half, not doubled: a rebuild's peak memory holds every list's spare room at once (a third of the
    // postings when doubling, a fifth this way); copying is sequential and cheap beside the pushes themselves
    if (this.length === this.docs.length) this.resize(this.length + Math.max(4, this.length >>> 1));
    this.docs[this.length] = doc;
    this.freqs[this.length] = freq;
    this.length++;
  }

  /**
   * appends the postings docs[from, to) and freqs[from, to) (slots above every slot already held); `scale` is how
   * many times the documents so far a rebuild expects in all (1: none expected), for the size a list grows to
   */
  append(docs: Int32Array, freqs: Uint32Array, from: number, to: number, scale = 1): void {
    const n = to - from;
    if (this.length + n > this.docs.length) {
      const needed = this.length + n;
      const grown = Math.max(needed, this.length + Math.max(4, this.length >>> 1));
      this.resize(
        scale > 1 && needed >= PROJECTED_FROM
          ? Math.max(grown, Math.ceil(needed * scale * PROJECTION_MARGIN))
          : grown,
      );
    }
    if (n <= SMALL_RUN) {
      // most runs of a flush are a rare word's one or two postings: two subarray views each cost more than the copy
      const at = this.length - from;
      for (let i = from; i < to; i++) {
        this.docs[at + i] = docs[i] ?? 0;
        this.freqs[at + i] = freqs[i] ?? 0;
      }
    } else {
      this.docs.set(docs.subarray(from, to), this.length);
      this.freqs.set(freqs.subarray(from, to), this.length);
    }
    this.length += n;
  }

  /**
   * drops the spare room (after a rebuild, when most lists will not grow again); a list sized by projection keeps
   * its small margin instead of a copy of itself (the copies of every list at once were a rebuild's peak)
   */
  trim(): void {
    if (this.docs.length - this.length > this.docs.length * KEPT_SPARE) this.resize(this.length);
  }

  private resize(capacity: number): void {
    const docs = new Int32Array(capacity);
    docs.set(this.docs.subarray(0, this.length));
    this.docs = docs;
    const freqs = new Uint32Array(capacity);
    freqs.set(this.freqs.subarray(0, this.length));
    this.freqs = freqs;
  }

  /** the first index at or after `from` whose slot is >= doc (galloping, then binary search) */
  seek(doc: number, from: number): number {
    const docs = this.docs;
    const end = this.length;
    if (from >= end || (docs[from] ?? 0) >= doc) return from;
    let step = 1;
    let lo = from;
    let hi = from + 1;
    while (hi < end && (docs[hi] ?? 0) < doc) {
      lo = hi;
      step *= 2;
      hi = Math.min(end, from + step);
    }
    if (hi >= end) hi = end;
    // invariant: docs[lo] < doc, and hi === end or docs[hi] >= doc
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if ((docs[mid] ?? 0) < doc) lo = mid;
      else hi = mid;
    }
    return hi;
  }

  /** keeps only the postings whose slot is still alive, renumbered through `remap` (compaction) */
  compact(remap: Int32Array): void {
    let out = 0;
    for (let i = 0; i < this.length; i++) {
      const to = remap[this.docs[i] ?? 0] ?? -1;
      if (to < 0) continue;
      this.docs[out] = to;
      this.freqs[out] = this.freqs[i] ?? 0;
      out++;
    }
    this.length = out;
    this.boundVersion = -1;
  }
}

/**
 * Postings of the documents added lately, in the order they were added, before they reach their terms' lists. An
 * article adds one posting to each of its few hundred distinct terms, each list somewhere else in memory: pushed
 * one by one, every posting of a rebuild was a cache miss or two (most of its CPU). Buffered here (sequential
 * writes) and then sorted by term (a counting sort, stable, so slots stay ascending), each list receives a whole
 * run at once, and a common word's list is touched once per flush rather than once per article.
 */
export class PostingBuffer {
  private terms: Int32Array;
  private docs: Int32Array;
  private freqs: Uint32Array;
  private sortedDocs: Int32Array;
  private sortedFreqs: Uint32Array;
  private counts = new Int32Array(1024);
  private touched = new Int32Array(1024);
  length = 0;

  constructor(readonly capacity = 1 << 16) {
    this.terms = new Int32Array(capacity);
    this.docs = new Int32Array(capacity);
    this.freqs = new Uint32Array(capacity);
    this.sortedDocs = new Int32Array(capacity);
    this.sortedFreqs = new Uint32Array(capacity);
  }

  get full(): boolean {
    return this.length === this.capacity;
  }

  add(term: number, doc: number, freq: number): void {
    const at = this.length++;
    this.terms[at] = term;
    this.docs[at] = doc;
    this.freqs[at] = freq;
  }

  /**
   * moves every buffered posting to its term's list (`lists[term]`), in slot order, counting it in the list's df;
   * `scale` as in Postings.append
   */
  flushInto(lists: readonly Postings[], scale = 1): void {
    const n = this.length;
    if (n === 0) return;
    if (this.counts.length < lists.length) {
      this.counts = new Int32Array(Math.max(lists.length, this.counts.length * 2));
      this.touched = new Int32Array(this.counts.length);
    }
    const counts = this.counts;
    const touched = this.touched;
    const terms = this.terms;
    let distinct = 0;
    for (let i = 0; i < n; i++) {
      const t = terms[i] ?? 0;
      if (counts[t] === 0) touched[distinct++] = t;
      counts[t] = (counts[t] ?? 0) + 1;
    }
    // counts become each term's end in the sorted arrays, then (filled backwards) its start
    let end = 0;
    for (let k = 0; k < distinct; k++) {
      const t = touched[k] ?? 0;
      end += counts[t] ?? 0;
      counts[t] = end;
    }
    const docs = this.docs;
    const freqs = this.freqs;
    const sortedDocs = this.sortedDocs;
    const sortedFreqs = this.sortedFreqs;
    for (let i = n - 1; i >= 0; i--) {
      const t = terms[i] ?? 0;
      const at = (counts[t] ?? 0) - 1;
      counts[t] = at;
      sortedDocs[at] = docs[i] ?? 0;
      sortedFreqs[at] = freqs[i] ?? 0;
    }
    let start = 0;
    for (let k = 0; k < distinct; k++) {
      const t = touched[k] ?? 0;
      const next = k + 1 < distinct ? (counts[touched[k + 1] ?? 0] ?? n) : n;
      const list = lists[t] as Postings;
      list.append(sortedDocs, sortedFreqs, start, next, scale);
      list.df += next - start;
      start = next;
    }
    for (let k = 0; k < distinct; k++) counts[touched[k] ?? 0] = 0;
    this.length = 0;
  }
}
