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
import { htmlToSections } from './html-sections.js';
import { SearchIndex } from './search-index.js';

export class InMemoryTenantIndex implements TenantKnowledgeIndex {
  private readonly byLanguage = new Map<string, SearchIndex<IndexedArticle>>();

  put(article: IndexedArticle & { bodyHtml: string }): void {
    let index = this.byLanguage.get(article.language);
    if (index === undefined) {
      index = new SearchIndex<IndexedArticle>(analyzerFor(article.language));
      this.byLanguage.set(article.language, index);
    }
    const { bodyHtml, ...shown } = article;
    index.upsert({
      key: articleKeyString(article),
      title: article.title,
      sections: htmlToSections(bodyHtml),
      payload: shown,
    });
  }

  remove(key: { articleId: string; language: string }): void {
    const index = this.byLanguage.get(key.language);
    if (index === undefined) return;
    index.remove(articleKeyString(key));
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

export const inMemoryIndexes: KnowledgeIndexFactory = { create: () => new InMemoryTenantIndex() };
