// One term's postings: ascending document slots and packed per-field frequencies, in growable typed arrays.
// Slots only ever grow (a replaced article gets a new slot), so appending keeps every list sorted.

/** title frequency in bits 0-7, headings in 8-15, body in 16-31 (each saturates at its maximum) */
export function packFrequencies(title: number, headings: number, body: number): number {
  return (Math.min(title, 255) | (Math.min(headings, 255) << 8) | (Math.min(body, 65_535) << 16)) >>> 0;
}

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

  /** drops the spare room (after a rebuild, when most lists will not grow again) */
  trim(): void {
    if (this.length < this.docs.length) this.resize(this.length);
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
