// A tenant's knowledge sync as a unit of work anyone can start: the recurring job, `casebridge knowledge sync`, or
// an on-demand job. It looks the tenant up, builds the sync against the tenant's org, runs it with a progress
// callback, and keeps the tenant's sync state (progress while running, counts and warnings after) in the store, so
// the status API of every worker shows the same run.

import type {
  ArticleObjectInfo,
  KnowledgeSource,
  KnowledgeSyncState,
  KnowledgeSyncStateRepository,
} from '../../domain/knowledge/sync-ports.js';
import { syncWarning } from '../../domain/knowledge/sync-plan.js';
import type { KnowledgeArticleRepository } from '../../domain/knowledge/ports.js';
import type { Clock, SyncCursorRepository, TenantRecord, TenantRepository } from '../../domain/ports.js';
import { appError, isAppError } from '../../errors/app-error.js';
import { KNOWLEDGE_SYNC_DISABLED } from '../../errors/codes/knowledge-sync.js';
import { TENANT_NOT_FOUND } from '../../errors/codes/tenant.js';
import type { Logger } from '../../logging/logger.js';
import {
  KnowledgeSync,
  type KnowledgeSyncReport,
  type KnowledgeWriter,
  type ProgressCallback,
} from './knowledge-sync.js';

/** the first warnings kept in the state row (a 100,000-article org with a broken field would give one each) */
const STORED_WARNINGS = 20;
/** progress is written to the store at most this often (the callback itself is told every page) */
const PROGRESS_WRITE_MS = 1000;
/**
 * How long what describe found (objects, fields, languages) is reused: describe calls count against the org's
 * daily API allocation like queries, and two of a run's four calls would be describes. A run that fails on a
 * reused discovery (a field or object gone) discovers afresh and runs again at once; `full` always discovers.
 */
export const DISCOVERY_TTL_MS = 6 * 3_600_000;

export interface KnowledgeSyncRunnerDeps {
  tenants: Pick<TenantRepository, 'get'>;
  /** the tenant's org (salesforce/ implements it); `signal` is the run's, for waits inside the source */
  sourceFor(tenant: TenantRecord, signal?: AbortSignal): KnowledgeSource;
  articles: Pick<KnowledgeArticleRepository, 'listTenant' | 'countByLanguage'>;
  /** the search service, so this process's index follows at once (others follow the change sequence) */
  writer: KnowledgeWriter;
  cursors: SyncCursorRepository;
  states: KnowledgeSyncStateRepository;
  clock: Clock;
  log: Logger;
  overlapMs?: number;
}

export interface KnowledgeSyncRunOptions {
  /** read every published version again and scan ids for removals */
  full?: boolean;
  signal?: AbortSignal;
}

export class KnowledgeSyncRunner {
  private readonly discovered = new Map<string, { at: number; found: ArticleObjectInfo[] }>();

  constructor(private readonly deps: KnowledgeSyncRunnerDeps) {}

  /**
   * Syncs one tenant now. `onProgress` hears `{ done, total, unit: 'articles', message }` after the counts and
   * after every page; the same progress is in the tenant's sync state.
   */
  async run(
    tenantId: string,
    onProgress: ProgressCallback = () => undefined,
    options: KnowledgeSyncRunOptions = {},
  ): Promise<KnowledgeSyncReport> {
    const tenant = await this.deps.tenants.get(tenantId);
    if (tenant === null) throw appError(TENANT_NOT_FOUND, { params: { tenant: tenantId } });
    const log = this.deps.log.child({ tenantId, job: 'knowledge-sync' });
    const startedAt = this.deps.clock.now().toISOString();
    const state: KnowledgeSyncState = {
      tenantId,
      state: 'running',
      full: options.full === true,
      startedAt,
      finishedAt: null,
      done: 0,
      total: 0,
      read: 0,
      written: 0,
      removed: 0,
      idScans: 0,
      warningCount: 0,
      warnings: [],
      error: null,
    };
    if (!tenant.settings.knowledge.enabled) {
      const warning = syncWarning(KNOWLEDGE_SYNC_DISABLED, { tenant: tenantId });
      await this.finish(state, { warningCount: 1, warnings: [warning] });
      return {
        tenantId,
        plan: { objects: [], languages: [], channels: [], warnings: [] },
        full: false,
        online: 0,
        read: 0,
        written: 0,
        removed: 0,
        idScans: 0,
        warnings: [warning],
      };
    }
    await this.deps.states.save(state);
    const source = this.deps.sourceFor(tenant, options.signal);
    const now = this.deps.clock.now().getTime();
    const cached = this.discovered.get(tenantId);
    let reused = options.full !== true && cached !== undefined && now - cached.at < DISCOVERY_TTL_MS;
    const syncWith = (fresh: boolean): KnowledgeSync =>
      new KnowledgeSync({
        source: {
          discover: async () => {
            if (!fresh && cached !== undefined) return cached.found;
            const found = await source.discover();
            this.discovered.set(tenantId, { at: this.deps.clock.now().getTime(), found });
            return found;
          },
          versionsAfter: (scope, fields, after, pageSize, expectedRows) =>
            source.versionsAfter(scope, fields, after, pageSize, expectedRows),
          count: (scope) => source.count(scope),
          articleIds: (scope) => source.articleIds(scope),
        },
        articles: this.deps.articles,
        writer: this.deps.writer,
        cursors: this.deps.cursors,
        clock: this.deps.clock,
        ...(this.deps.overlapMs === undefined ? {} : { overlapMs: this.deps.overlapMs }),
      });
    let lastWrite = 0;
    let writing: Promise<void> = Promise.resolve();
    try {
      const runOnce = (sync: KnowledgeSync) =>
        sync.run(tenant, {
          ...(options.full === true ? { full: true } : {}),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
          onProgress: (p) => {
            state.done = p.done;
            state.total = p.total;
            onProgress(p);
            const now = this.deps.clock.now().getTime();
            if (now - lastWrite < PROGRESS_WRITE_MS) return;
            lastWrite = now;
            const snapshot = { ...state };
            writing = writing
              .then(() => this.deps.states.save(snapshot))
              .catch((err: unknown) => {
                log.warn({ err }, 'knowledge sync progress could not be saved');
              });
          },
        });
      let report: KnowledgeSyncReport;
      try {
        report = await runOnce(syncWith(!reused));
      } catch (err) {
        if (!reused || options.signal?.aborted === true) throw err;
        // the org may have changed under the reused discovery (a field, an object, Knowledge itself)
        log.info({ err }, 'knowledge sync failed on a reused discovery; discovering again');
        reused = false;
        this.discovered.delete(tenantId);
        report = await runOnce(syncWith(true));
      }
      await writing;
      await this.finish(state, {
        full: report.full,
        done: report.online,
        total: report.online,
        read: report.read,
        written: report.written,
        removed: report.removed,
        idScans: report.idScans,
        warningCount: report.warnings.length,
        warnings: report.warnings.slice(0, STORED_WARNINGS),
      });
      log.info(
        {
          full: report.full,
          online: report.online,
          read: report.read,
          written: report.written,
          removed: report.removed,
          idScans: report.idScans,
          warnings: report.warnings.map((w) => w.code),
        },
        'knowledge sync finished',
      );
      return report;
    } catch (err) {
      await writing;
      this.discovered.delete(tenantId);
      const reason = isAppError(err)
        ? `${err.code}: ${err.message}`
        : err instanceof Error
          ? err.message
          : String(err);
      await this.finish(state, { state: 'failed', error: reason.slice(0, 2000) });
      throw err;
    }
  }

  /** The tenant's newest run, or null before the first. */
  status(tenantId: string): Promise<KnowledgeSyncState | null> {
    return this.deps.states.get(tenantId);
  }

  private async finish(state: KnowledgeSyncState, change: Partial<KnowledgeSyncState>): Promise<void> {
    Object.assign(state, { state: 'ok', ...change, finishedAt: this.deps.clock.now().toISOString() });
    await this.deps.states.save(state);
  }
}
