// Knowledge sync for one tenant: discover the article objects, count the published versions of every object and
// language (one COUNT() each: the progress total and the removal check), then per scope read the versions after the
// saved cursor (the whole set on the first run or with `full`, the overlap window after), write them page by page
// keyed on article id and language, save the cursor after each page (a crash resumes from the last page written),
// and find removed articles: a read from the beginning saw the whole Online set and compares with it; otherwise the
// counts are compared, with an id-only scan when they disagree (and daily).
// Problems of a tenant or an article are coded warnings; the rest goes on and nothing indexed is dropped for them.

import type { ArticleKey, KnowledgeArticleRecord } from '../../domain/knowledge/article.js';
import type { KnowledgeArticleRepository } from '../../domain/knowledge/ports.js';
import {
  planKnowledge,
  syncWarning,
  type KnowledgePlan,
  type KnowledgeSyncWarning,
} from '../../domain/knowledge/sync-plan.js';
import type { ArticleScope, KnowledgeSource } from '../../domain/knowledge/sync-ports.js';
import {
  articleRecord,
  knowledgeScanStream,
  knowledgeStream,
  MAX_BODY_CHARS,
  needsIdScan,
} from '../../domain/knowledge/sync-rules.js';
import type { Clock, SyncCursorRepository } from '../../domain/ports.js';
import { laterCursor, readStart, type SyncCursor } from '../../domain/sync-cursor.js';
import type { Tenant } from '../../domain/tenant.js';
import {
  KNOWLEDGE_SYNC_BODY_TRUNCATED,
  KNOWLEDGE_SYNC_ROW_SET_ASIDE,
} from '../../errors/codes/knowledge-sync.js';

export type { KnowledgePlan, KnowledgeSyncWarning } from '../../domain/knowledge/sync-plan.js';

/**
 * Progress of a run, in the shape every long operation reports: `done` of `total` `unit`s. For a sync, the
 * published articles in scope (the sum of the COUNT()s) and how many of them are loaded: a scope read
 * incrementally counts as loaded when its read starts, a full load one page at a time.
 */
export interface SyncProgress {
  done: number;
  total: number;
  unit: string;
  message?: string;
}
export type ProgressCallback = (p: SyncProgress) => void;

export interface KnowledgeSyncReport {
  tenantId: string;
  plan: KnowledgePlan;
  /** whether any scope was loaded in full (first run, an unfinished load, or `full`) */
  full: boolean;
  /** published versions in scope, by COUNT() */
  online: number;
  read: number;
  written: number;
  removed: number;
  idScans: number;
  warnings: KnowledgeSyncWarning[];
}

export interface RunOptions {
  /** read every published version again (from the beginning) and scan ids for removals */
  full?: boolean;
  /** checked between pages: an aborted run stops there, its cursor at the last page written */
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** Where written articles go: the store, or the search service that writes the store and its own index. */
export interface KnowledgeWriter {
  /** writes a page in one transaction; how many articles changed */
  putMany(articles: readonly KnowledgeArticleRecord[]): Promise<{ changed: number }>;
  /** null when there was no such article */
  remove(key: ArticleKey): Promise<{ changeSeq: number } | null>;
}

export interface KnowledgeSyncDeps {
  source: KnowledgeSource;
  articles: Pick<KnowledgeArticleRepository, 'listTenant'> &
    Partial<Pick<KnowledgeArticleRepository, 'countByLanguage'>>;
  writer: KnowledgeWriter;
  cursors: SyncCursorRepository;
  clock: Clock;
  /** how much each incremental read re-reads before its cursor (a version committed late is still seen) */
  overlapMs?: number;
}

const DEFAULT_OVERLAP_MS = 5 * 60 * 1000;
const EPOCH: SyncCursor = { modstamp: new Date(0).toISOString(), id: '' };

type SyncTenant = Pick<Tenant, 'id' | 'settings'>;

interface ScopeRun {
  scope: ArticleScope;
  bodyFields: string[];
  pageSize: number;
  total: number;
  /**
   * every article id a read from the beginning saw: the whole Online set (a version republished during the read
   * moves ahead of the keyset and is read again), so removals follow without an id scan. Null for other reads.
   */
  seen: Set<string> | null;
}

export class KnowledgeSync {
  constructor(private readonly deps: KnowledgeSyncDeps) {}

  /** Which objects, body fields, languages and channels a sync of the tenant loads (describe calls only). */
  async plan(tenant: SyncTenant): Promise<KnowledgePlan> {
    return planKnowledge(tenant.id, tenant.settings.knowledge, await this.deps.source.discover());
  }

  /** One run: every object and language of the plan, then the removal check per language. */
  async run(tenant: SyncTenant, options: RunOptions = {}): Promise<KnowledgeSyncReport> {
    const plan = await this.plan(tenant);
    const report: KnowledgeSyncReport = {
      tenantId: tenant.id,
      plan,
      full: false,
      online: 0,
      read: 0,
      written: 0,
      removed: 0,
      idScans: 0,
      warnings: [...plan.warnings],
    };
    // nothing to compare with: keep what is indexed rather than remove it for a setting or permission problem
    if (plan.objects.length === 0 || plan.languages.length === 0) return report;
    const byLanguage = new Map<string, ScopeRun[]>();
    for (const language of plan.languages) {
      const runs: ScopeRun[] = [];
      for (const object of plan.objects) {
        const scope: ArticleScope = { object: object.name, language, channels: plan.channels };
        const total = await this.deps.source.count(scope);
        report.online += total;
        runs.push({ scope, bodyFields: object.bodyFields, pageSize: object.pageSize, total, seen: null });
      }
      byLanguage.set(language, runs);
    }
    let done = 0;
    const progress = (extra: number, message: string): void =>
      options.onProgress?.({ done: done + extra, total: report.online, unit: 'articles', message });
    progress(0, 'counted');
    for (const [language, runs] of byLanguage) {
      for (const run of runs) {
        await this.readScope(tenant, run, report, options, (read) =>
          progress(Math.min(read, run.total), `${run.scope.object} ${language}`),
        );
        done += run.total;
        progress(0, `${run.scope.object} ${language}`);
      }
      await this.removeGone(tenant, language, runs, report, options.full === true);
    }
    return report;
  }

  private async readScope(
    tenant: SyncTenant,
    run: ScopeRun,
    report: KnowledgeSyncReport,
    options: RunOptions,
    onRead: (read: number) => void,
  ): Promise<void> {
    const { scope } = run;
    const stream = knowledgeStream(scope.object, scope.language);
    // a full load in progress keeps its exact position apart: after a crash it resumes right after the last page
    // written, where an incremental read would re-read its whole overlap window (all of a load stamped at once)
    const loadingStream = `${stream}:loading`;
    const saved = await this.deps.cursors.get(tenant.id, stream);
    const loading = saved === null ? await this.deps.cursors.get(tenant.id, loadingStream) : null;
    const forced = options.full === true;
    let start: SyncCursor;
    if (forced) start = EPOCH;
    else if (saved !== null)
      start = readStart(saved, this.deps.clock.now(), {
        lookBackMs: 0,
        overlapMs: this.deps.overlapMs ?? DEFAULT_OVERLAP_MS,
      });
    else start = loading ?? EPOCH;
    const fullLoad = forced || saved === null;
    if (fullLoad) report.full = true;
    // a resumed load did not see what it read before the crash
    const seen = start === EPOCH ? new Set<string>() : null;
    let last = saved ?? loading;
    // an incremental read re-reads changes only: its scope counts as loaded from the start (a resumed load counts
    // from 0 and is complete when it ends: what the crashed run wrote is not counted again)
    let read = fullLoad ? 0 : run.total;
    onRead(read);
    // a full load says how many rows it expects: a large one may be read by a Bulk API query job
    const expected = fullLoad ? run.total : undefined;
    for await (const page of this.deps.source.versionsAfter(
      scope,
      run.bodyFields,
      start,
      run.pageSize,
      expected,
    )) {
      options.signal?.throwIfAborted();
      const records: KnowledgeArticleRecord[] = [];
      for (const version of page.versions) {
        const { record, truncated } = articleRecord(tenant.id, version);
        if (truncated) {
          const chars = version.bodies.reduce((n, b) => n + (b?.length ?? 0), 0);
          report.warnings.push(
            syncWarning(KNOWLEDGE_SYNC_BODY_TRUNCATED, {
              tenant: tenant.id,
              articleNumber: version.articleNumber,
              language: version.language,
              chars,
              max: MAX_BODY_CHARS,
            }),
          );
        }
        records.push(record);
        seen?.add(version.articleId);
      }
      for (const row of page.setAside)
        report.warnings.push(syncWarning(KNOWLEDGE_SYNC_ROW_SET_ASIDE, { tenant: tenant.id, ...row }));
      const { changed } = await this.deps.writer.putMany(records);
      // after the page is written: a crash before this line re-reads the page, which writes nothing new
      last = laterCursor(last, page.cursor);
      await this.deps.cursors.save(tenant.id, saved === null ? loadingStream : stream, last);
      if (fullLoad) read += page.versions.length + page.setAside.length;
      report.read += page.versions.length;
      report.written += changed;
      onRead(read);
    }
    if (saved === null) await this.deps.cursors.save(tenant.id, stream, last ?? start);
    run.seen = seen;
  }

  private async removeGone(
    tenant: SyncTenant,
    language: string,
    runs: readonly ScopeRun[],
    report: KnowledgeSyncReport,
    force: boolean,
  ): Promise<void> {
    const remote = runs.reduce((n, r) => n + r.total, 0);
    const readAll = runs.every((r) => r.seen !== null);
    const scanStream = knowledgeScanStream(runs.map((r) => r.scope.object).join('+'), language);
    const lastScan = await this.deps.cursors.get(tenant.id, scanStream);
    const now = this.deps.clock.now();
    const localCount =
      this.deps.articles.countByLanguage === undefined
        ? (await this.localIds(tenant.id, language)).size
        : ((await this.deps.articles.countByLanguage(tenant.id))[language] ?? 0);
    if (
      !force &&
      !readAll &&
      !needsIdScan({ remoteCount: remote, localCount, lastScanAt: lastScan?.modstamp ?? null, now })
    )
      return;
    const online = new Set<string>();
    if (readAll) for (const run of runs) for (const id of run.seen ?? []) online.add(id);
    else {
      for (const run of runs)
        for await (const ids of this.deps.source.articleIds(run.scope)) for (const id of ids) online.add(id);
      report.idScans += 1;
    }
    for (const articleId of await this.localIds(tenant.id, language)) {
      if (online.has(articleId)) continue;
      const key: ArticleKey = { tenantId: tenant.id, articleId, language };
      if ((await this.deps.writer.remove(key)) !== null) report.removed += 1;
    }
    await this.deps.cursors.save(tenant.id, scanStream, { modstamp: now.toISOString(), id: '' });
  }

  private async localIds(tenantId: string, language: string): Promise<Set<string>> {
    const local = new Set<string>();
    for await (const page of this.deps.articles.listTenant(tenantId))
      for (const a of page) if (a.language === language) local.add(a.articleId);
    return local;
  }
}
