// The knowledge ports: where articles are kept (the store) and the index that searches them (the search adapter).
// The knowledge sync writes articles through KnowledgeArticleRepository; search reads them back after a restart and
// follows the change sequence, so every worker answers from the same articles.

import type {
  ArticleKey,
  ArticleSection,
  KnowledgeArticleRecord,
  StoredKnowledgeArticle,
} from './article.js';
import type { RankingParams } from './ranking.js';

/** A stored change: an article written or removed, in commit order. */
export type KnowledgeChange =
  | { kind: 'put'; changeSeq: number; article: StoredKnowledgeArticle }
  | { kind: 'remove'; changeSeq: number; key: ArticleKey };

export interface KnowledgeArticleRepository {
  /**
   * Inserts or replaces the article of this tenant, article id and language. A write that changes nothing (same
   * version, title, UrlName, body and date) is not a change: it returns the existing sequence and changed false.
   */
  put(article: KnowledgeArticleRecord): Promise<{ changeSeq: number; changed: boolean }>;
  /**
   * put() for a page of articles in one transaction (what a sync writes per page); returns how many changed.
   * Unchanged articles are skipped as in put().
   */
  putMany(articles: readonly KnowledgeArticleRecord[]): Promise<{ changed: number; latestSeq: number }>;
  /** Removes it (archived, deleted, unpublished); null when there was none. */
  remove(key: ArticleKey): Promise<{ changeSeq: number } | null>;
  get(key: ArticleKey): Promise<StoredKnowledgeArticle | null>;
  /**
   * A tenant's live articles in pages of `pageSize`, in key order (rebuilding an index). With `sectionsPrefix`, an
   * article whose `sectionsText` starts with it comes with an empty `bodyHtml`, and any other with no `sectionsText`.
   */
  listTenant(
    tenantId: string,
    pageSize?: number,
    sectionsPrefix?: string,
  ): AsyncIterable<StoredKnowledgeArticle[]>;
  /** Changes of every tenant after `afterSeq`, oldest first, at most `limit`. Sequence order is commit order. */
  changesSince(afterSeq: number, limit: number): Promise<KnowledgeChange[]>;
  /** The newest change sequence (0 before the first write). */
  latestSeq(): Promise<number>;
  /** Live article counts per language of a tenant. */
  countByLanguage(tenantId: string): Promise<Record<string, number>>;
}

/** What the index keeps of an article to show it in a result. */
export type IndexedArticle = Omit<StoredKnowledgeArticle, 'bodyHtml'>;

export interface IndexHit {
  article: IndexedArticle;
  score: number;
  section: { index: number; heading: string | null };
  snippet: { text: string; marks: [number, number][] };
}

export interface IndexSearch {
  hits: IndexHit[];
  words: { word: string; found: boolean; corrections: string[] }[];
  ignoredWords: number;
  /** counts for explaining an empty answer */
  analysis: { words: number; stopWords: number };
}

/** One tenant's index over all its languages. */
export interface TenantKnowledgeIndex {
  put(article: StoredKnowledgeArticle): void;
  remove(key: Pick<ArticleKey, 'articleId' | 'language'>): void;
  /** after a rebuild's many puts: gives back memory held for growth */
  settle(): void;
  /** before a rebuild's puts: how many articles per language it will put (so memory is sized once, not grown) */
  expect(counts: Record<string, number>): void;
  /** the languages with at least one article, and how many */
  languages(): Record<string, number>;
  search(
    language: string,
    query: string,
    options: { limit: number; params: RankingParams; exhaustive?: boolean },
  ): IndexSearch;
  /** the sections the index made of an article body (what the result's section names refer to) */
  sectionsOf(bodyHtml: string): ArticleSection[];
}

export interface KnowledgeIndexFactory {
  create(tenantId: string): TenantKnowledgeIndex;
  /** an article body's clean sections packed as `put` reads them from `sectionsText` (stored beside the HTML) */
  sectionsText(bodyHtml: string): string;
  /** how every `sectionsText` of the current parser starts (an older parser's text is parsed again from the HTML) */
  readonly sectionsPrefix: string;
}
