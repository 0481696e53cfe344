// The proximity bonus: for each pair of query words, how close the article brings them (a phrase is distance 1).
// One pass over the article's term sequence; a pair counts min(idf) / distance², so rare words side by side weigh most.

const FAR = 1 << 30;

/**
 * `index` maps a term id to its query term, `weights` holds each query term's idf times weight, `origins` the query
 * word each came from (a word and its own typo corrections never pair). -1 in `seq` separates title from body.
 */
export function proximityScore(
  seq: Int32Array,
  index: Map<number, number>,
  weights: readonly number[],
  origins: readonly number[],
): number {
  const n = weights.length;
  const last = new Array<number>(n).fill(-FAR);
  const best = new Float64Array(n * n).fill(FAR);
  for (let i = 0; i < seq.length; i++) {
    const id = seq[i] ?? -1;
    if (id < 0) {
      last.fill(-FAR);
      continue;
    }
    const q = index.get(id);
    if (q === undefined) continue;
    last[q] = i;
    for (let other = 0; other < n; other++) {
      if (other === q || origins[other] === origins[q]) continue;
      const at = last[other] ?? -FAR;
      if (at === -FAR) continue;
      const distance = i - at;
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
 * The best passage: the most query weight (distinct query words, by idf) inside any window of `width` consecutive
 * words. An answer usually sits in one sentence or paragraph, so an article that holds the query's words together
 * beats one that scatters them.
 */
export function passageScore(
  seq: Int32Array,
  index: Map<number, number>,
  weights: readonly number[],
  width: number,
): number {
  const n = weights.length;
  const inWindow = new Int32Array(n);
  const hits: { at: number; q: number }[] = [];
  for (let i = 0; i < seq.length; i++) {
    const q = index.get(seq[i] ?? -1);
    if (q !== undefined) hits.push({ at: i, q });
  }
  let best = 0;
  let current = 0;
  let left = 0;
  for (let right = 0; right < hits.length; right++) {
    const h = hits[right] as { at: number; q: number };
    if ((inWindow[h.q] ?? 0) === 0) current += weights[h.q] ?? 0;
    inWindow[h.q] = (inWindow[h.q] ?? 0) + 1;
    while (h.at - (hits[left] as { at: number }).at >= width) {
      const l = hits[left] as { at: number; q: number };
      inWindow[l.q] = (inWindow[l.q] ?? 0) - 1;
      if (inWindow[l.q] === 0) current -= weights[l.q] ?? 0;
      left++;
    }
    if (current > best) best = current;
  }
  return best;
}
