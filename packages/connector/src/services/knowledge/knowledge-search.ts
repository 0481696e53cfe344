// Knowledge search for every tenant: indexes built from the store on first use (no Salesforce call), kept current
// by following the store's change sequence (so every worker answers from the same articles within a poll), and
// queries checked before they reach the index (too long, bad limit, a language the tenant lacks).

import type { ArticleKey, KnowledgeArticleRecord } from '../../domain/knowledge/article.js';
import { linkWithFallback } from '../../domain/knowledge/link-template.js';
import type {
  KnowledgeArticleRepository,
  KnowledgeChange,
  KnowledgeIndexFactory,
  TenantKnowledgeIndex,
} from '../../domain/knowledge/ports.js';
import { DEFAULT_RANKING, MAX_QUERY_CHARS, type RankingParams } from '../../domain/knowledge/ranking.js';
import type { EmptyReason, KnowledgeSearchResult } from '../../domain/knowledge/search-result.js';
import type { TenantRecord, TenantRepository } from '../../domain/ports.js';
import { appError } from '../../errors/app-error.js';
import { KNOWLEDGE_LIMIT_INVALID, KNOWLEDGE_QUERY_TOO_LONG } from '../../errors/codes/knowledge.js';
import { TENANT_NOT_FOUND } from '../../errors/codes/tenant.js';
import type { Logger } from '../../logging/logger.js';

export const MAX_RESULTS = 50;
const CHANGE_PAGE = 1000;
/**
 * Rows per page of a rebuild: the store's memory grows with the page (PGlite holds the whole result), and 500 rows
 * of about 2 KB cost no more round trips worth counting than 2,000.
 */
const REBUILD_PAGE = 500;
/** the longest a rebuild runs on the event loop before it lets searches and other requests in */
const REBUILD_SLICE_MS = 8;
/** how long a search waits for its tenant's index before it answers that the index is warming */
const DEFAULT_WARM_WAIT_MS = 2000;
/**
 * How long a tenant read for search is reused. Reading it costs about a millisecond of CPU per search on PGlite (a
 * round trip on PostgreSQL), as much as a cached answer; a settings change still shows within a second, as an
 * article change does.
 */
const TENANT_REUSE_MS = 1000;

export interface KnowledgeSearchDeps {
  articles: KnowledgeArticleRepository;
  indexes: KnowledgeIndexFactory;
  tenants: Pick<TenantRepository, 'get'>;
  log: Logger;
  /** a monotonic millisecond clock, for the time a search took */
  timer: { now(): number };
  ranking?: RankingParams;
  /** how often a follower reads the change sequence (default 250 ms: well inside the one-second promise) */
  pollMs?: number;
  /**
   * How long a search waits for an index still being built before it answers with no hits and the reason
   * `index-warming` (default 2000 ms: a small tenant's index is ready long before; 100,000 articles take tens of
   * seconds, during which searches are answered at once instead of queueing).
   */
  warmWaitMs?: number;
}

export interface SearchRequest {
  /** the tenant's Knowledge language when absent */
  language?: string;
  /** 1..MAX_RESULTS, default 5 */
  limit?: number;
  /** score every match instead of pruning (diagnostics and benchmarks; same answers) */
  exhaustive?: boolean;
}

export class KnowledgeSearchService {
  private readonly loaded = new Map<string, TenantKnowledgeIndex>();
  private readonly loading = new Map<string, Promise<TenantKnowledgeIndex>>();
  /** articles indexed so far by each build in progress (for the warming answer) */
  private readonly progress = new Map<string, number>();
  /** the newest change applied to every loaded index */
  private cursor: number | null = null;
  /** refreshes and the end of each tenant load run one at a time, so no change falls between them */
  private serial: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly ranking: RankingParams;
  private readonly tenants = new Map<string, { tenant: TenantRecord; readAt: number }>();

  constructor(private readonly deps: KnowledgeSearchDeps) {
    this.ranking = deps.ranking ?? DEFAULT_RANKING;
  }

  /** Writes an article to the store and, in this process, to the index at once (other workers follow). */
  async put(record: KnowledgeArticleRecord): Promise<{ changeSeq: number; changed: boolean }> {
    const article = this.withSections(record);
    const result = await this.deps.articles.put(article);
    const index = this.loaded.get(article.tenantId);
    if (index !== undefined && result.changed) index.put({ ...article, changeSeq: result.changeSeq });
    return result;
  }

  /** put() for a page of articles, in one transaction. */
  async putMany(records: readonly KnowledgeArticleRecord[]): Promise<{ changed: number }> {
    const articles = records.map((r) => this.withSections(r));
    const result = await this.deps.articles.putMany(articles);
    // the loaded indexes catch up from the change sequence, which now holds exactly what changed
    if (result.changed > 0 && articles.some((a) => this.loaded.has(a.tenantId))) await this.refresh();
    return { changed: result.changed };
  }

  /**
   * The article with its clean sections as the index packs them, stored beside the HTML: every worker's rebuild
   * then reads them instead of parsing the HTML again (the sync parses each article once, when it changes).
   */
  private withSections(article: KnowledgeArticleRecord): KnowledgeArticleRecord {
    const { indexes } = this.deps;
    if (article.sectionsText?.startsWith(indexes.sectionsPrefix) === true) return article;
    return { ...article, sectionsText: indexes.sectionsText(article.bodyHtml) };
  }

  /** Removes an article from the store and this process's index; null when there was none (the repository's answer). */
  async remove(key: ArticleKey): Promise<{ changeSeq: number } | null> {
    const result = await this.deps.articles.remove(key);
    if (result !== null) this.loaded.get(key.tenantId)?.remove(key);
    return result;
  }

  /** Builds a tenant's index from the store now (at start-up), instead of on its first search. */
  async load(tenantId: string): Promise<{ articles: number }> {
    const index = await this.indexOf(tenantId);
    return { articles: Object.values(index.languages()).reduce((a, b) => a + b, 0) };
  }

  async search(tenantId: string, query: string, request: SearchRequest = {}): Promise<KnowledgeSearchResult> {
    const started = this.deps.timer.now();
    if (query.length > MAX_QUERY_CHARS) {
      throw appError(KNOWLEDGE_QUERY_TOO_LONG, { params: { length: query.length, max: MAX_QUERY_CHARS } });
    }
    const limit = request.limit ?? 5;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_RESULTS) {
      throw appError(KNOWLEDGE_LIMIT_INVALID, { params: { limit: String(limit), max: MAX_RESULTS } });
    }
    const tenant = await this.tenantOf(tenantId);
    if (tenant === null) throw appError(TENANT_NOT_FOUND, { params: { tenant: tenantId } });
    const language = request.language ?? tenant.settings.knowledge.language;
    const index = await this.readyIndex(tenantId);
    const took = (): number => Math.round((this.deps.timer.now() - started) * 100) / 100;
    if (index === null) {
      const indexed = this.progress.get(tenantId) ?? 0;
      const reason: EmptyReason = {
        code: 'index-warming',
        message: `The knowledge index of tenant "${tenantId}" is being built from the store (${indexed} articles so far); ask again in a few seconds.`,
        indexed,
      };
      return {
        tenantId,
        language,
        query,
        articles: 0,
        hits: [],
        reason,
        words: [],
        ignoredWords: 0,
        tookMs: took(),
      };
    }
    const languages = index.languages();
    const articles = languages[language] ?? 0;
    const base = { tenantId, language, query, articles };
    if (articles === 0) {
      const known = Object.keys(languages).sort();
      const reason: EmptyReason =
        known.length === 0
          ? { code: 'no-articles', message: `Tenant "${tenantId}" has no knowledge articles yet.` }
          : {
              code: 'language-not-indexed',
              message: `Tenant "${tenantId}" has no articles in ${language}; it has ${known.join(', ')}.`,
              languages: known,
            };
      return { ...base, hits: [], reason, words: [], ignoredWords: 0, tookMs: took() };
    }
    const found = index.search(language, query, {
      limit,
      params: this.ranking,
      ...(request.exhaustive === true ? { exhaustive: true } : {}),
    });
    const link = linkWithFallback(tenant.settings.knowledge.linkTemplate);
    const hits = found.hits.map((h) => ({
      articleId: h.article.articleId,
      language: h.article.language,
      articleNumber: h.article.articleNumber,
      versionNumber: h.article.versionNumber,
      title: h.article.title,
      urlName: h.article.urlName,
      section: h.section.heading,
      snippet: h.snippet,
      score: Math.round(h.score * 1000) / 1000,
      link: link({
        urlName: h.article.urlName,
        articleNumber: h.article.articleNumber,
        articleId: h.article.articleId,
        language: h.article.language,
        id: h.article.versionId,
        instanceUrl: tenant.instanceUrl,
      }),
      lastPublishedAt: h.article.lastPublishedAt,
    }));
    return {
      ...base,
      hits,
      reason: hits.length > 0 ? null : emptyReason(found.analysis),
      words: found.words,
      ignoredWords: found.ignoredWords,
      tookMs: took(),
    };
  }

  /** Applies every change stored since the last refresh to the loaded indexes; returns how many. */
  refresh(): Promise<number> {
    return this.inSerial(async () => {
      this.cursor ??= await this.deps.articles.latestSeq();
      let applied = 0;
      for (;;) {
        const changes = await this.deps.articles.changesSince(this.cursor, CHANGE_PAGE);
        for (const change of changes) {
          this.apply(change, this.loaded.get(tenantOf(change)));
          this.cursor = change.changeSeq;
        }
        applied += changes.length;
        if (changes.length < CHANGE_PAGE) return applied;
      }
    });
  }

  /** Follows the change sequence until stop(): every worker that serves search calls this. */
  follow(): void {
    if (this.timer !== null) return;
    const tick = (): void => {
      this.refresh()
        .catch((err: unknown) => this.deps.log.warn({ err }, 'knowledge changes could not be read'))
        .finally(() => {
          if (this.timer !== null) this.timer = setTimeout(tick, this.deps.pollMs ?? 250).unref();
        });
    };
    this.timer = setTimeout(tick, 0).unref();
  }

  stop(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Drops a tenant's index (its tenant was removed); the next search rebuilds it from the store. */
  forget(tenantId: string): void {
    this.loaded.delete(tenantId);
    this.tenants.delete(tenantId);
  }

  private async tenantOf(tenantId: string): Promise<TenantRecord | null> {
    const now = this.deps.timer.now();
    const known = this.tenants.get(tenantId);
    if (known !== undefined && now - known.readAt < TENANT_REUSE_MS) return known.tenant;
    const tenant = await this.deps.tenants.get(tenantId);
    if (tenant === null) this.tenants.delete(tenantId);
    else this.tenants.set(tenantId, { tenant, readAt: now });
    return tenant;
  }

  /**
   * The tenant's index, waiting for a build in progress at most `warmWaitMs`; null when it is still building, so a
   * search during a rebuild is answered at once (the build yields to the event loop between short slices).
   */
  private async readyIndex(tenantId: string): Promise<TenantKnowledgeIndex | null> {
    const ready = this.loaded.get(tenantId);
    if (ready !== undefined) return ready;
    const pending = this.indexOf(tenantId);
    const waitMs = this.deps.warmWaitMs ?? DEFAULT_WARM_WAIT_MS;
    let timer: NodeJS.Timeout | undefined;
    const warming = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), waitMs);
    });
    try {
      return await Promise.race([pending, warming]);
    } finally {
      clearTimeout(timer);
    }
  }

  private indexOf(tenantId: string): Promise<TenantKnowledgeIndex> {
    const ready = this.loaded.get(tenantId);
    if (ready !== undefined) return Promise.resolve(ready);
    let pending = this.loading.get(tenantId);
    if (pending === undefined) {
      pending = this.build(tenantId).finally(() => this.loading.delete(tenantId));
      this.loading.set(tenantId, pending);
    }
    return pending;
  }

  private async build(tenantId: string): Promise<TenantKnowledgeIndex> {
    const from = await this.deps.articles.latestSeq();
    const index = this.deps.indexes.create(tenantId);
    // one count first, so the index sizes its lists for every article instead of growing them page by page
    index.expect(await this.deps.articles.countByLanguage(tenantId));
    let count = 0;
    this.progress.set(tenantId, 0);
    try {
      let sliceStart = this.deps.timer.now();
      for await (const page of this.deps.articles.listTenant(
        tenantId,
        REBUILD_PAGE,
        this.deps.indexes.sectionsPrefix,
      )) {
        for (const article of page) {
          index.put(article);
          count++;
          // parsing and indexing an article takes about half a millisecond: searches get in between slices
          if (this.deps.timer.now() - sliceStart >= REBUILD_SLICE_MS) {
            this.progress.set(tenantId, count);
            await yieldToEventLoop();
            sliceStart = this.deps.timer.now();
          }
        }
        this.progress.set(tenantId, count);
      }
      index.settle();
    } finally {
      this.progress.delete(tenantId);
    }
    // what was written while the pages were read, then live: no refresh runs in between
    await this.inSerial(async () => {
      let after = from;
      for (;;) {
        const changes = await this.deps.articles.changesSince(after, CHANGE_PAGE);
        for (const change of changes) {
          if (tenantOf(change) === tenantId) this.apply(change, index);
          after = change.changeSeq;
        }
        if (changes.length < CHANGE_PAGE) break;
      }
      this.cursor = this.cursor === null ? after : Math.max(this.cursor, after);
      this.loaded.set(tenantId, index);
    });
    this.deps.log.info({ tenantId, articles: count }, 'knowledge index built from the store');
    return index;
  }

  private apply(change: KnowledgeChange, index: TenantKnowledgeIndex | undefined): void {
    if (index === undefined) return;
    if (change.kind === 'put') index.put(change.article);
    else index.remove(change.key);
  }

  private inSerial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.serial.then(fn, fn);
    this.serial = run.catch(() => undefined);
    return run;
  }
}

/** lets timers, I/O and other requests run (setImmediate: after pending I/O callbacks, unlike a microtask) */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function tenantOf(change: KnowledgeChange): string {
  return change.kind === 'put' ? change.article.tenantId : change.key.tenantId;
}

function emptyReason(analysis: { words: number; stopWords: number }): EmptyReason {
  if (analysis.words === 0) {
    return { code: 'no-words', message: 'The query has no words to search (only punctuation or symbols).' };
  }
  if (analysis.words === analysis.stopWords) {
    return {
      code: 'only-stop-words',
      message:
        'The query has only words too common to search by (such as "the", "how", "is"); add what it is about.',
    };
  }
  return { code: 'no-match', message: 'No article holds the words of the query.' };
}
