// Ranking quality of one query: reciprocal rank and nDCG at 10 (binary relevance), and whether the first is right.

export interface QueryQuality {
  rr: number;
  ndcg: number;
  top1: number;
  top10: number;
}

export function judge(ranked: readonly string[], relevant: readonly string[], k = 10): QueryQuality {
  const wanted = new Set(relevant);
  const top = ranked.slice(0, k);
  const first = top.findIndex((id) => wanted.has(id));
  let dcg = 0;
  top.forEach((id, i) => {
    if (wanted.has(id)) dcg += 1 / Math.log2(i + 2);
  });
  let ideal = 0;
  for (let i = 0; i < Math.min(k, wanted.size); i++) ideal += 1 / Math.log2(i + 2);
  return {
    rr: first < 0 ? 0 : 1 / (first + 1),
    ndcg: ideal === 0 ? 0 : dcg / ideal,
    top1: first === 0 ? 1 : 0,
    top10: first >= 0 ? 1 : 0,
  };
}

export function mean(values: readonly QueryQuality[]): QueryQuality {
  const n = Math.max(values.length, 1);
  const sum = (f: (q: QueryQuality) => number): number => values.reduce((s, q) => s + f(q), 0) / n;
  return {
    rr: sum((q) => q.rr),
    ndcg: sum((q) => q.ndcg),
    top1: sum((q) => q.top1),
    top10: sum((q) => q.top10),
  };
}
