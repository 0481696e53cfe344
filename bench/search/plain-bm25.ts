// The quality baseline: plain BM25 over title and body as one field (k1 0.9, b 0.4), lower-cased words with
// English stop words dropped, no stemming, every document scored. Written out here so the baseline cannot drift
// with the engine. (Dropping stop words reproduces the reference MRR@10 of 0.800 on the workarena set; keeping
// them gives 0.780.)

import { stopwords } from '@orama/stopwords/english';

const WORD = /[\p{L}\p{N}]+/gu;
const STOP = new Set(stopwords);

function words(text: string): string[] {
  return [...text.toLowerCase().matchAll(WORD)].map((m) => m[0]).filter((w) => !STOP.has(w));
}

export class PlainBm25 {
  private readonly postings = new Map<string, { doc: number; tf: number }[]>();
  private readonly lengths: number[] = [];
  private average = 0;

  constructor(
    private readonly ids: string[],
    texts: string[],
    private readonly k1 = 0.9,
    private readonly b = 0.4,
  ) {
    texts.forEach((text, doc) => {
      const counts = new Map<string, number>();
      const ws = words(text);
      for (const w of ws) counts.set(w, (counts.get(w) ?? 0) + 1);
      for (const [w, tf] of counts) {
        let list = this.postings.get(w);
        if (list === undefined) this.postings.set(w, (list = []));
        list.push({ doc, tf });
      }
      this.lengths.push(ws.length);
    });
    this.average = this.lengths.reduce((a, b) => a + b, 0) / Math.max(1, this.lengths.length);
  }

  search(query: string, k = 10): string[] {
    const n = this.lengths.length;
    const scores = new Map<number, number>();
    for (const w of new Set(words(query))) {
      const list = this.postings.get(w);
      if (list === undefined) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const norm = 1 - this.b + (this.b * (this.lengths[doc] ?? 0)) / this.average;
        scores.set(doc, (scores.get(doc) ?? 0) + (idf * tf * (this.k1 + 1)) / (tf + this.k1 * norm));
      }
    }
    return [...scores]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .slice(0, k)
      .map(([doc]) => this.ids[doc] ?? '');
  }
}
