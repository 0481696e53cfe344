// The speed benchmark's corpus: a deterministic generator of knowledge articles (about 2 KB of HTML with headings,
// paragraphs and lists, words drawn from a seeded Zipf vocabulary whose most common words are English stop words)
// and of short queries (one to three words, common words included).

import type { KnowledgeArticleRecord } from '../../packages/connector/src/domain/knowledge/article.js';

/** mulberry32: a small seeded generator, the same sequence on every machine */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SYLLABLES = [
  'ka',
  'lo',
  'mi',
  'ter',
  'san',
  'vo',
  'ri',
  'pel',
  'dun',
  'ax',
  'bre',
  'cor',
  'fi',
  'gan',
  'hul',
  'jes',
  'mor',
  'nix',
  'ost',
  'plu',
  'quin',
  'sel',
  'tav',
  'ur',
  'wem',
  'yor',
  'zed',
  'ble',
  'cra',
  'dro',
];
/** the most frequent English words, most frequent first: the head of every generated text, as in real text */
const COMMON_ENGLISH = [
  'the',
  'of',
  'and',
  'to',
  'a',
  'in',
  'is',
  'it',
  'you',
  'that',
  'he',
  'was',
  'for',
  'on',
  'are',
  'with',
  'as',
  'i',
  'his',
  'they',
  'be',
  'at',
  'one',
  'have',
  'this',
  'from',
  'or',
  'had',
  'by',
  'not',
  'but',
  'what',
  'some',
  'we',
  'can',
  'out',
  'other',
  'were',
  'all',
  'there',
];
const STOP_RANKS = COMMON_ENGLISH.length;

/** the word of each rank: the first ranks are English stop words, the rest made of syllables, all distinct */
export function vocabulary(size: number): string[] {
  const words = [...COMMON_ENGLISH];
  for (let i = 0; words.length < size; i++) {
    let n = i;
    let word = '';
    do {
      word += SYLLABLES[n % SYLLABLES.length] ?? '';
      n = Math.floor(n / SYLLABLES.length);
    } while (n > 0);
    words.push(word.length < 4 ? `${word}ne` : word);
  }
  return words;
}

/** draws ranks with probability proportional to 1 / rank^s */
export function zipf(size: number, s: number, random: () => number): () => number {
  const cdf = new Float64Array(size);
  let sum = 0;
  for (let r = 0; r < size; r++) {
    sum += 1 / (r + 1) ** s;
    cdf[r] = sum;
  }
  return () => {
    const x = random() * sum;
    let lo = 0;
    let hi = size - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((cdf[mid] ?? 0) < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export interface GeneratedArticle {
  id: string;
  number: string;
  title: string;
  html: string;
}

export const VOCABULARY_SIZE = 60_000;

/** a generated article as the knowledge store and the index hold it: one published English version */
export function articleRecord(
  a: GeneratedArticle,
  tenantId: string,
  publishedAt: string,
): KnowledgeArticleRecord {
  return {
    tenantId,
    articleId: a.id,
    language: 'en_US',
    versionId: null,
    articleNumber: a.number,
    versionNumber: 1,
    title: a.title,
    urlName: a.id.toLowerCase(),
    bodyHtml: a.html,
    lastPublishedAt: publishedAt,
  };
}

export function* generateArticles(count: number, seed = 20_261_201): Generator<GeneratedArticle> {
  const random = seeded(seed);
  const words = vocabulary(VOCABULARY_SIZE);
  const rank = zipf(words.length, 1.05, random);
  const word = (): string => words[rank()] ?? 'the';
  const phrase = (min: number, max: number): string =>
    Array.from({ length: min + Math.floor(random() * (max - min + 1)) }, word).join(' ');
  const sentence = (): string => {
    const s = phrase(9, 17);
    return `${s.charAt(0).toUpperCase()}${s.slice(1)}.`;
  };
  const paragraph = (): string =>
    `<p>${Array.from({ length: 2 + Math.floor(random() * 2) }, sentence).join(' ')}</p>`;
  for (let i = 0; i < count; i++) {
    const parts = [paragraph()];
    const sections = 4 + Math.floor(random() * 2);
    for (let s = 0; s < sections; s++) {
      parts.push(`<h2>${phrase(2, 4)}</h2>`, paragraph());
      if (random() < 0.4)
        parts.push(`<ul>${Array.from({ length: 3 }, () => `<li>${phrase(3, 7)}</li>`).join('')}</ul>`);
      else parts.push(paragraph());
    }
    yield {
      id: `kA${String(i).padStart(7, '0')}`,
      number: String(100_000_000 + i),
      title: phrase(3, 7),
      html: parts.join(''),
    };
  }
}

/** 200 queries (by default) of one to three words: a third start with a common word, some hold a stop word */
export function generateQueries(count = 200, seed = 7): string[] {
  const random = seeded(seed);
  const words = vocabulary(VOCABULARY_SIZE);
  const rank = zipf(words.length, 1.05, random);
  const content = (): string => {
    for (;;) {
      const r = rank();
      if (r >= STOP_RANKS) return words[r] ?? 'kalo';
    }
  };
  const common = (): string => words[STOP_RANKS + Math.floor(random() * 200)] ?? 'kalo';
  return Array.from({ length: count }, (_, i) => {
    const length = 1 + (i % 3);
    const terms = Array.from({ length }, (_, j) => (j === 0 && random() < 0.35 ? common() : content()));
    if (random() < 0.15) terms.splice(1, 0, words[Math.floor(random() * STOP_RANKS)] ?? 'the');
    return terms.join(' ');
  });
}
