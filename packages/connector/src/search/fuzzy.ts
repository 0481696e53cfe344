// Typo tolerance: the words of the index within a small edit distance of a word the index does not hold.
// Optimal string alignment distance (a swap of neighbours counts once), bounded so most candidates stop early;
// fastest-levenshtein has neither the bound nor transpositions.

/** The distance between a and b when it is at most max, else max + 1. */
export function boundedEditDistance(a: string, b: string, max: number): number {
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > max) return max + 1;
  let prevPrev = new Int32Array(lb + 1);
  let prev = new Int32Array(lb + 1);
  let row = new Int32Array(lb + 1);
  for (let j = 0; j <= lb; j++) prev[j] = j;
  for (let i = 1; i <= la; i++) {
    row[0] = i;
    let best = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= lb; j++) {
      const cb = b.charCodeAt(j - 1);
      let value = Math.min(
        (prev[j] ?? 0) + 1,
        (row[j - 1] ?? 0) + 1,
        (prev[j - 1] ?? 0) + (ca === cb ? 0 : 1),
      );
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        value = Math.min(value, (prevPrev[j - 2] ?? 0) + 1);
      }
      row[j] = value;
      if (value < best) best = value;
    }
    if (best > max) return max + 1;
    [prevPrev, prev, row] = [prev, row, prevPrev];
  }
  const result = prev[lb] ?? max + 1;
  return result > max ? max + 1 : result;
}

/** How many edits a word of this length may carry: none under 4 letters, one up to 7, two from 8. */
export function allowedEdits(length: number): number {
  if (length < 4) return 0;
  return length < 8 ? 1 : 2;
}

/** The terms of the vocabulary, bucketed by length, so a look-up reads only words of a possible length. */
export class Vocabulary {
  private readonly byLength: string[][] = [];

  add(term: string): void {
    const bucket = (this.byLength[term.length] ??= []);
    bucket.push(term);
  }

  /**
   * The closest terms to `word` (distance 1..allowedEdits), nearest first, that `accept` keeps (e.g. still in a
   * live document). A word must share its first or second letter with a candidate: a typo rarely changes both,
   * and the check keeps a look-up to a few thousand comparisons.
   */
  near(word: string, limit: number, accept: (term: string) => boolean): { term: string; distance: number }[] {
    const max = allowedEdits(word.length);
    if (max === 0) return [];
    const found: { term: string; distance: number }[] = [];
    const c0 = word.charCodeAt(0);
    const c1 = word.charCodeAt(1);
    for (let len = word.length - max; len <= word.length + max; len++) {
      for (const term of this.byLength[len] ?? []) {
        if (term.charCodeAt(0) !== c0 && term.charCodeAt(1) !== c1) continue;
        const distance = boundedEditDistance(word, term, max);
        if (distance > 0 && distance <= max && accept(term)) found.push({ term, distance });
      }
    }
    found.sort((a, b) => a.distance - b.distance || (a.term < b.term ? -1 : 1));
    return found.slice(0, limit);
  }
}
