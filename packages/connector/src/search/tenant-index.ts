// The search adapter behind TenantKnowledgeIndex: one SearchIndex per language of a tenant, fed with clean sections
// parsed from each article's HTML.

import { articleKeyString, type ArticleSection } from '../domain/knowledge/article.js';
import type {
  IndexedArticle,
  IndexSearch,
  KnowledgeIndexFactory,
  TenantKnowledgeIndex,
} from '../domain/knowledge/ports.js';
import { analyzerFor } from './analyzer.js';
import { htmlToSections, packSections, SECTIONS_PREFIX } from './html-sections.js';
import { ResultCache } from './result-cache.js';
import { SearchIndex } from './search-index.js';
import { thesaurusFor } from './thesaurus.js';

/** answers kept per tenant (each a page of hits with snippets: a few KB) */
const DEFAULT_CACHED_ANSWERS = 256;

export class InMemoryTenantIndex implements TenantKnowledgeIndex {
  private readonly byLanguage = new Map<string, SearchIndex<IndexedArticle>>();
  /** answers by language, query, limit and ranking; emptied on every put and remove */
  readonly answers: ResultCache<IndexSearch>;
  private readonly paramsIds = new WeakMap<object, number>();
  private nextParamsId = 0;
  /** the tenant id and language codes, one string each (a handful: bounded by the languages an org has) */
  private readonly strings = new Map<string, string>();
  /** articles per language the rebuild in progress will put */
  private expected: Record<string, number> = {};

  constructor(options: { cachedAnswers?: number } = {}) {
    this.answers = new ResultCache(options.cachedAnswers ?? DEFAULT_CACHED_ANSWERS);
  }

  put(article: IndexedArticle & { bodyHtml: string }): void {
    let index = this.byLanguage.get(article.language);
    if (index === undefined) {
      const analyzer = analyzerFor(article.language);
      index = new SearchIndex<IndexedArticle>(analyzer, thesaurusFor(analyzer.family));
      index.expect(this.expected[article.language] ?? 0);
      this.byLanguage.set(article.language, index);
    }
    this.answers.clear();
    const { bodyHtml, sectionsText, ...row } = article;
    // every row read from the store brings its own copy of the tenant and language strings: keep one of each
    const shown = { ...row, tenantId: this.shared(row.tenantId), language: this.shared(row.language) };
    index.upsert({
      key: articleKeyString(article),
      title: article.title,
      // the text the search service stored beside the HTML, when this parser made it: a rebuild parses no HTML
      sections: sectionsText?.startsWith(SECTIONS_PREFIX) === true ? sectionsText : htmlToSections(bodyHtml),
      payload: shown,
    });
  }

  private shared(value: string): string {
    const known = this.strings.get(value);
    if (known !== undefined) return known;
    this.strings.set(value, value);
    return value;
  }

  expect(counts: Record<string, number>): void {
    this.expected = counts;
    for (const [language, index] of this.byLanguage) index.expect(counts[language] ?? 0);
  }

  settle(): void {
    this.expected = {};
    for (const index of this.byLanguage.values()) index.settle();
  }

  remove(key: { articleId: string; language: string }): void {
    const index = this.byLanguage.get(key.language);
    if (index === undefined) return;
    if (index.remove(articleKeyString(key))) this.answers.clear();
    if (index.size === 0) this.byLanguage.delete(key.language);
  }

  languages(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [language, index] of this.byLanguage) out[language] = index.size;
    return out;
  }

  search(
    language: string,
    query: string,
    options: Parameters<TenantKnowledgeIndex['search']>[2],
  ): IndexSearch {
    const key = `${language}\u0000${options.limit}\u0000${options.exhaustive === true}\u0000${this.paramsId(options.params)}\u0000${query}`;
    const cached = this.answers.get(key);
    if (cached !== undefined) return cached;
    const answer = this.searchIndex(language, query, options);
    this.answers.set(key, answer);
    return answer;
  }

  /** ranking parameters are compared by identity (the service holds one object), not by value on every search */
  private paramsId(params: object): number {
    let id = this.paramsIds.get(params);
    if (id === undefined) {
      id = this.nextParamsId++;
      this.paramsIds.set(params, id);
    }
    return id;
  }

  private searchIndex(
    language: string,
    query: string,
    options: Parameters<TenantKnowledgeIndex['search']>[2],
  ): IndexSearch {
    const index = this.byLanguage.get(language);
    const analyzer = index?.analyzer ?? analyzerFor(language);
    const analysis = analyzer.inspect(query);
    if (index === undefined) return { hits: [], words: [], ignoredWords: 0, analysis };
    const result = index.search(query, {
      limit: options.limit,
      params: options.params,
      ...(options.exhaustive === true ? { exhaustive: true } : {}),
    });
    return {
      hits: result.hits.map((h) => ({
        article: h.payload,
        score: h.score,
        section: h.section,
        snippet: h.snippet,
      })),
      words: result.words.map((w) => ({ word: w.word, found: w.found, corrections: w.corrections })),
      ignoredWords: result.ignoredWords,
      analysis,
    };
  }

  sectionsOf(bodyHtml: string): ArticleSection[] {
    return htmlToSections(bodyHtml);
  }

  /** approximate bytes of postings and term sequences over all languages (benchmarks) */
  approximateBytes(): number {
    let bytes = 0;
    for (const index of this.byLanguage.values()) bytes += index.approximateBytes();
    return bytes;
  }
}

/** what the search service stores beside an article's HTML (`sectionsText`), so a rebuild parses no HTML */
export function sectionsTextOf(bodyHtml: string): string {
  return packSections(htmlToSections(bodyHtml));
}

export const inMemoryIndexes: KnowledgeIndexFactory = {
  create: () => new InMemoryTenantIndex(),
  sectionsText: sectionsTextOf,
  sectionsPrefix: SECTIONS_PREFIX,
};
