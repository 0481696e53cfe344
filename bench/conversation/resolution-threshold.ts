// resolution-threshold: the autonomous-resolution offer threshold (domain/conversation/resolution-rules.ts) on
// held-out folds of the knowledge-base sets (default ../shared/data/kb/*, or --kb DIR). Each question stands for a
// ticket. For each fold of articles, the threshold is the one the other four folds give: the lowest confidence at
// which at most 9% of their questions get an offer with their right article removed from the index (a margin under the
// 10% required, checked on the held-out fold). On the fold
// itself it reports the offer rate with the right article removed, and with it present the offer rate and the
// right-article rate (offers whose first article is a right one, of all questions).

import { resolve } from 'node:path';

import {
  confidenceOf,
  OFFER_MIN_RATIO,
  shouldOffer,
} from '../../packages/connector/src/domain/conversation/resolution-rules.js';
import { DEFAULT_RANKING } from '../../packages/connector/src/domain/knowledge/ranking.js';
import { analyzerFor } from '../../packages/connector/src/search/analyzer.js';
import { htmlToSections } from '../../packages/connector/src/search/html-sections.js';
import { SearchIndex } from '../../packages/connector/src/search/search-index.js';
import { thesaurusFor } from '../../packages/connector/src/search/thesaurus.js';
import type { BenchmarkModule, BenchOptions, BenchReport } from '../lib/harness.js';
import { loadKbSet, type KbArticle, type KbSet } from '../search/kb-set.js';
import { FOLDS, foldsOf, kbSetsIn } from '../search/quality.js';

/** the requirement: at most 10% of tickets without their right article get an offer */
const MAX_OFFER_RATE_WITHOUT = 0.1;
/** chosen on the training folds with a margin, so the held-out fold stays within the requirement */
const TRAINING_RATE = 0.09;

interface Judged {
  fold: number;
  /** with the right article present: confidence and whether the first hit is a right one */
  present: { confidence: number; right: boolean };
  /** with every right article removed */
  removed: number;
}

function judgeSet(set: KbSet): Judged[] {
  const analyzer = analyzerFor('en_US');
  const index = new SearchIndex<string>(analyzer, thesaurusFor(analyzer.family));
  const put = (a: KbArticle): void =>
    index.upsert({ key: a.id, title: a.title, sections: htmlToSections(a.html), payload: a.id });
  for (const a of set.articles) put(a);
  const search = (q: string): { scores: number[]; first: string | undefined } => {
    const hits = index.search(q, { limit: 2, params: DEFAULT_RANKING, skipSnippets: true }).hits;
    return { scores: hits.map((h) => h.score), first: hits[0]?.payload };
  };
  const fold = foldsOf(set);
  const byId = new Map(set.articles.map((a) => [a.id, a]));
  const judged: Judged[] = [];
  for (const q of set.queries) {
    const present = search(q.query);
    const removed = q.relevant.flatMap((id) => (index.remove(id) ? [id] : []));
    const without = search(q.query);
    for (const id of removed) {
      const article = byId.get(id);
      if (article !== undefined) put(article);
    }
    judged.push({
      fold: fold.get(q.relevant[0] ?? '') ?? 0,
      present: {
        confidence: confidenceOf(present.scores),
        right: present.first !== undefined && q.relevant.includes(present.first),
      },
      removed: confidenceOf(without.scores),
    });
  }
  return judged;
}

/** The lowest threshold at which at most 10% of these get an offer without their right article. */
function thresholdOf(removed: readonly number[]): number {
  const sorted = [...removed].sort((a, b) => b - a);
  const allowed = Math.floor(sorted.length * TRAINING_RATE);
  // offering at confidence >= t: t must be just above the (allowed+1)-th highest value
  return (sorted[allowed] ?? 0) + 1e-9;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

export const resolutionThreshold: BenchmarkModule = {
  name: 'resolution-threshold',
  description: 'autonomous-resolution offer threshold on held-out folds: offer and right-article rates',
  run(options: BenchOptions): Promise<BenchReport> {
    const dir = options.kbDir ?? resolve(import.meta.dirname, '../../../shared/data/kb');
    const rows: string[][] = [];
    const notes: string[] = [];
    for (const path of kbSetsIn(dir)) {
      const set = loadKbSet(path);
      const judged = judgeSet(set);
      const perFold: { t: number; offeredWithout: number; offered: number; right: number }[] = [];
      for (let k = 0; k < FOLDS; k++) {
        const train = judged.filter((j) => j.fold !== k);
        const test = judged.filter((j) => j.fold === k);
        const t = thresholdOf(train.map((j) => j.removed));
        const offeredWithout = test.filter((j) => shouldOffer(j.removed, t)).length / test.length;
        const offered = test.filter((j) => shouldOffer(j.present.confidence, t));
        perFold.push({
          t,
          offeredWithout,
          offered: offered.length / test.length,
          right: offered.filter((j) => j.present.right).length / test.length,
        });
      }
      const mean = (f: (p: (typeof perFold)[number]) => number): number =>
        perFold.reduce((s, p) => s + f(p), 0) / perFold.length;
      const shipped = {
        without: judged.filter((j) => shouldOffer(j.removed, OFFER_MIN_RATIO)).length / judged.length,
        offered:
          judged.filter((j) => shouldOffer(j.present.confidence, OFFER_MIN_RATIO)).length / judged.length,
        right:
          judged.filter((j) => shouldOffer(j.present.confidence, OFFER_MIN_RATIO) && j.present.right).length /
          judged.length,
      };
      rows.push([
        set.name,
        String(set.queries.length),
        perFold.map((p) => p.t.toFixed(2)).join(' '),
        pct(mean((p) => p.offeredWithout)),
        pct(mean((p) => p.offered)),
        pct(mean((p) => p.right)),
        `${OFFER_MIN_RATIO}: ${pct(shipped.without)} / ${pct(shipped.offered)} / ${pct(shipped.right)}`,
      ]);
      const worst = Math.max(...perFold.map((p) => p.offeredWithout));
      notes.push(
        `${set.name}: the threshold over all folds would be ${thresholdOf(judged.map((j) => j.removed)).toFixed(3)}; ` +
          `the pooled held-out rate without the right article is ${pct(mean((p) => p.offeredWithout))} ` +
          `(${mean((p) => p.offeredWithout) <= MAX_OFFER_RATE_WITHOUT ? 'within' : 'OVER'} the 10% required; the worst single fold ${pct(worst)})`,
      );
    }
    return Promise.resolve({
      title: 'Autonomous resolution: offer threshold on held-out folds',
      rows: [],
      tables: [
        {
          columns: [
            'set',
            'tickets',
            'threshold per fold',
            'offers, right article removed',
            'offers',
            'right article first',
            'shipped threshold: removed / offers / right',
          ],
          rows,
        },
      ],
      notes,
    });
  },
};
