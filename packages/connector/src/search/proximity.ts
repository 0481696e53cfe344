// Second-stage signals from an article's term sequence: how close the query's words come to each other (a phrase
// is distance 1) and the best passage (the most query words within a window). Both read only the positions where
// query words occur, found once per article.

const FAR = 1 << 30;

/** An article's term ids in reading order: 16 bits each when they fit, else 32. */
export type TermSequence = Int32Array | Uint16Array;

/** what separates the title from the sections in a sequence: -1, or 0xffff in a 16-bit one */
export function separatorOf(seq: TermSequence): number {
  return seq.BYTES_PER_ELEMENT === 2 ? 0xffff : -1;
}

/** Where query words occur in a sequence: positions and the query term at each, in order. */
export interface Matches {
  count: number;
  at: Int32Array;
  term: Int32Array;
  /** segment number of each match (title, then sections are one segment): proximity does not cross segments */
  segment: Int32Array;
}

/**
 * `marker[termId]` holds the query term index + 1 (0: not a query term). `separatorOf(seq)` separates title from body.
 * `scratch` is reused between calls to avoid allocation; it grows as needed.
 */
export function findMatches(seq: TermSequence, marker: Int32Array, scratch: Matches): Matches {
  let count = 0;
  let segment = 0;
  const separator = separatorOf(seq);
  for (let i = 0; i < seq.length; i++) {
    const id = seq[i] ?? -1;
    if (id === separator) {
      segment++;
      continue;
    }
    const q = marker[id] ?? 0;
    if (q === 0) continue;
    if (count === scratch.at.length) {
      const grow = (a: Int32Array): Int32Array => {
        const b = new Int32Array(a.length * 2);
        b.set(a);
        return b;
      };
      scratch.at = grow(scratch.at);
      scratch.term = grow(scratch.term);
      scratch.segment = grow(scratch.segment);
    }
    scratch.at[count] = i;
    scratch.term[count] = q - 1;
    scratch.segment[count] = segment;
    count++;
  }
  scratch.count = count;
  return scratch;
}

export function newMatches(): Matches {
  return { count: 0, at: new Int32Array(256), term: new Int32Array(256), segment: new Int32Array(256) };
}

/**
 * For each pair of query words from different query positions (a word and its own typo corrections never pair),
 * min(weight) / distance², at their closest within one segment: rare words side by side weigh most.
 */
export function proximityScore(m: Matches, weights: readonly number[], origins: readonly number[]): number {
  const n = weights.length;
  if (n < 2 || m.count < 2) return 0;
  const last = new Int32Array(n).fill(-FAR);
  const lastSegment = new Int32Array(n).fill(-1);
  const best = new Int32Array(n * n).fill(FAR);
  for (let h = 0; h < m.count; h++) {
    const q = m.term[h] ?? 0;
    const at = m.at[h] ?? 0;
    const segment = m.segment[h] ?? 0;
    last[q] = at;
    lastSegment[q] = segment;
    for (let other = 0; other < n; other++) {
      if (other === q || lastSegment[other] !== segment || origins[other] === origins[q]) continue;
      const distance = at - (last[other] ?? -FAR);
      const cell = q < other ? q * n + other : other * n + q;
      if (distance < (best[cell] ?? FAR)) best[cell] = distance;
    }
  }
  let score = 0;
  for (let a = 0; a < n; a++) {
    for (let b = a + 1; b < n; b++) {
      const distance = best[a * n + b] ?? FAR;
      if (distance >= FAR) continue;
      score += Math.min(weights[a] ?? 0, weights[b] ?? 0) / (distance * distance);
    }
  }
  return score;
}

/**
 * The best passage: the most query weight (distinct query words) inside any window of `width` consecutive words.
 * An answer usually sits in one sentence or paragraph, so an article that holds the query's words together beats
 * one that scatters them.
 */
export function passageScore(m: Matches, weights: readonly number[], width: number): number {
  const inWindow = new Int32Array(weights.length);
  let best = 0;
  let current = 0;
  let left = 0;
  for (let right = 0; right < m.count; right++) {
    const q = m.term[right] ?? 0;
    if (inWindow[q] === 0) current += weights[q] ?? 0;
    inWindow[q] = (inWindow[q] ?? 0) + 1;
    while ((m.at[right] ?? 0) - (m.at[left] ?? 0) >= width) {
      const l = m.term[left] ?? 0;
      inWindow[l] = (inWindow[l] ?? 0) - 1;
      if (inWindow[l] === 0) current -= weights[l] ?? 0;
      left++;
    }
    if (current > best) best = current;
  }
  return best;
}
