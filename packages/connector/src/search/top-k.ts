// Top-k retrieval over postings: MaxScore (Turtle & Flood 1995) with exact scores, and the exhaustive loop it must
// equal. Both add a document's term scores in query-term order, so the same document gets the same float in both.

import type { Postings } from './postings.js';

/** Scores one posting: query term `term`, packed frequencies `freq`, document slot `slot`. */
export type PostingScorer = (term: number, freq: number, slot: number) => number;

export interface TermList {
  /** index of the term in the query (the order scores are added in) */
  term: number;
  postings: Postings;
  /** no posting of this list scores more */
  bound: number;
}

export interface Scored {
  slot: number;
  score: number;
}

/** a before b: higher score first, then the older (lower) slot */
export function ranksBefore(a: Scored, b: Scored): boolean {
  return a.score > b.score || (a.score === b.score && a.slot < b.slot);
}

/** The k best so far: a binary min-heap whose root is the one that would drop out next. */
class TopK {
  readonly items: Scored[] = [];
  constructor(readonly k: number) {}

  get full(): boolean {
    return this.items.length >= this.k;
  }
  get threshold(): number {
    return this.full ? (this.items[0]?.score ?? 0) : -Infinity;
  }

  /** whether a document with this score would enter (checked before a candidate object is made for it) */
  admits(score: number, slot: number): boolean {
    if (!this.full) return true;
    const root = this.items[0] as Scored;
    return score > root.score || (score === root.score && slot < root.slot);
  }

  offer(candidate: Scored): void {
    const items = this.items;
    if (!this.full) {
      items.push(candidate);
      let i = items.length - 1;
      while (i > 0) {
        const parent = (i - 1) >> 1;
        const p = items[parent] as Scored;
        if (!ranksBefore(p, candidate)) break;
        items[i] = p;
        i = parent;
      }
      items[i] = candidate;
      return;
    }
    const root = items[0] as Scored;
    if (!ranksBefore(candidate, root)) return;
    let i = 0;
    const n = items.length;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let worst = left;
      if (right < n && ranksBefore(items[left] as Scored, items[right] as Scored)) worst = right;
      const w = items[worst] as Scored;
      if (!ranksBefore(candidate, w)) break;
      items[i] = w;
      i = worst;
    }
    items[i] = candidate;
  }

  sorted(): Scored[] {
    return [...this.items].sort((a, b) => (ranksBefore(a, b) ? -1 : 1));
  }
}

/** float sums of the same terms in another order may differ in the last bits: prune only with a margin */
const MARGIN = 1e-9;

/**
 * The k best live documents by the sum of their term scores, reading only what can still reach the top k:
 * lists sorted by bound; a prefix whose bounds together cannot beat the k-th score is "non-essential" and is only
 * probed for documents found in the other lists, and a probe stops once the remaining bounds cannot lift the
 * document over the k-th score.
 */
export function maxScoreTopK(
  lists: TermList[],
  termCount: number,
  k: number,
  alive: Uint8Array,
  score: PostingScorer,
): Scored[] {
  const top = new TopK(k);
  const order = [...lists].filter((l) => l.postings.length > 0).sort((a, b) => a.bound - b.bound);
  const n = order.length;
  if (n === 0 || k <= 0) return [];
  const cum = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += (order[i] as TermList).bound;
    cum[i] = sum;
  }
  const pos = new Int32Array(n);
  // each list's score for the current document by query term (0 where it has none): summed in query-term order
  // as the exhaustive loop adds them, and adding 0 leaves a float as it is, so both get the same sum
  const contrib = new Float64Array(termCount);
  let firstEssential = 0;

  for (;;) {
    let doc = 0x7fffffff;
    for (let i = firstEssential; i < n; i++) {
      const l = order[i] as TermList;
      const p = pos[i] ?? 0;
      if (p < l.postings.length) {
        const d = l.postings.docs[p] ?? 0x7fffffff;
        if (d < doc) doc = d;
      }
    }
    if (doc === 0x7fffffff) break;
    const isAlive = alive[doc] === 1;
    let partial = 0;
    for (let i = firstEssential; i < n; i++) {
      const l = order[i] as TermList;
      const p = pos[i] ?? 0;
      if (p < l.postings.length && l.postings.docs[p] === doc) {
        if (isAlive) {
          const c = score(l.term, l.postings.freqs[p] ?? 0, doc);
          contrib[l.term] = c;
          partial += c;
        }
        pos[i] = p + 1;
      }
    }
    if (!isAlive) continue;
    const threshold = top.threshold;
    let pruned = false;
    for (let i = firstEssential - 1; i >= 0; i--) {
      if (partial + (cum[i] ?? 0) < threshold * (1 - MARGIN)) {
        pruned = true;
        break;
      }
      const l = order[i] as TermList;
      const p = l.postings.seek(doc, pos[i] ?? 0);
      pos[i] = p;
      if (p < l.postings.length && l.postings.docs[p] === doc) {
        const c = score(l.term, l.postings.freqs[p] ?? 0, doc);
        contrib[l.term] = c;
        partial += c;
      }
    }
    let total = 0;
    for (let t = 0; t < termCount; t++) {
      total += contrib[t] ?? 0;
      contrib[t] = 0;
    }
    if (!pruned && top.admits(total, doc)) {
      top.offer({ slot: doc, score: total });
      const t = top.threshold;
      while (firstEssential < n && (cum[firstEssential] ?? 0) < t * (1 - MARGIN)) firstEssential++;
    }
  }
  return top.sorted();
}

/** exhaustiveTopK's per-slot score and seen mark, all zero between calls (the scoring runs synchronously) */
let exhaustiveScratch = { acc: new Float64Array(0), seen: new Uint8Array(0) };

/** The same answer by scoring every posting of every list: the baseline MaxScore is checked and measured against. */
export function exhaustiveTopK(
  lists: TermList[],
  slots: number,
  k: number,
  alive: Uint8Array,
  score: PostingScorer,
): Scored[] {
  // one pair of slot-sized arrays for every call, zeroed again where touched: a new pair per query (about 1 MB at
  // 100,000 articles) waited for the garbage collector in tens, which raised the serving process's peak
  if (exhaustiveScratch.acc.length < slots)
    exhaustiveScratch = { acc: new Float64Array(slots), seen: new Uint8Array(slots) };
  const { acc, seen } = exhaustiveScratch;
  const docs: number[] = [];
  for (const l of [...lists].sort((a, b) => a.term - b.term)) {
    const { postings } = l;
    for (let p = 0; p < postings.length; p++) {
      const doc = postings.docs[p] ?? 0;
      if (alive[doc] !== 1) continue;
      acc[doc] = (acc[doc] ?? 0) + score(l.term, postings.freqs[p] ?? 0, doc);
      if (seen[doc] === 0) {
        seen[doc] = 1;
        docs.push(doc);
      }
    }
  }
  const top = new TopK(k);
  for (const doc of docs) {
    top.offer({ slot: doc, score: acc[doc] ?? 0 });
    acc[doc] = 0;
    seen[doc] = 0;
  }
  return top.sorted();
}
