// Knowledge sync for one tenant: discover the article objects, then per object and language read the published
// versions after the saved cursor (the whole set on the first run, the overlap window after), write them page by
// page keyed on article id and language, save the cursor after each page (a crash resumes from the last page
// written), and find removed articles by one COUNT() a run and an id-only scan when the counts disagree (and daily).
// Problems of a tenant or an article are coded warnings; the rest goes on and nothing indexed is dropped for them.

import type { ArticleKey, KnowledgeArticleRecord } from '../../domain/knowledge/article.js';
import type { KnowledgeArticleRepository } from '../../domain/knowledge/ports.js';
import type { ArticleScope, KnowledgeSource } from '../../domain/knowledge/sync-ports.js';
import {
  articleRecord,
  chooseBodyFields,
  chooseLanguages,
  DEFAULT_CHANNELS,
  knowledgeScanStream,
  knowledgeStream,
  MAX_BODY_CHARS,
  needsIdScan,
  pageSizeFor,
  type KnowledgeChannel,
} from '../../domain/knowledge/sync-rules.js';
import type { Clock, SyncCursorRepository } from '../../domain/ports.js';
import { laterCursor, readStart } from '../../domain/sync-cursor.js';
import type { Tenant } from '../../domain/tenant.js';
import type { ErrorDefinition } from '../../errors/define-error.js';
import {
  KNOWLEDGE_SYNC_BODY_FIELD_MISSING,
  KNOWLEDGE_SYNC_BODY_TRUNCATED,
  KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN,
  KNOWLEDGE_SYNC_NO_BODY_FIELD,
  KNOWLEDGE_SYNC_NOT_ENABLED,
  KNOWLEDGE_SYNC_ROW_SET_ASIDE,
} from '../../errors/codes/knowledge-sync.js';

/** A coded warning of a sync: the tenant's, or one article's. */
export interface KnowledgeSyncWarning {
  code: string;
  message: string;
  fix: string;
}

/** What a sync will load, as doctor shows it. */
export interface KnowledgePlan {
  objects: { name: string; bodyFields: string[]; pageSize: number }[];
  languages: string[];
  channels: KnowledgeChannel[];
  warnings: KnowledgeSyncWarning[];
}

export interface KnowledgeSyncProgress {
  object: string;
  language: string;
  /** published versions in scope (from COUNT()), null before it is known */
  total: number | null;
  /** versions read so far in this scope */
  read: number;
}

export interface KnowledgeSyncReport {
  tenantId: string;
  plan: KnowledgePlan;
  read: number;
  written: number;
  removed: number;
  idScans: number;
  warnings: KnowledgeSyncWarning[];
}

/** Where written articles go: the store, or the search service that writes the store and its own index. */
export type KnowledgeWriter = Pick<KnowledgeArticleRepository, 'putMany' | 'remove'>;

export interface KnowledgeSyncDeps {
  source: KnowledgeSource;
  articles: Pick<KnowledgeArticleRepository, 'listTenant'>;
  writer: KnowledgeWriter;
  cursors: SyncCursorRepository;
  clock: Clock;
  /** how much each incremental read re-reads before its cursor (a version committed late is still seen) */
  overlapMs?: number;
}

const DEFAULT_OVERLAP_MS = 5 * 60 * 1000;

function warning(def: ErrorDefinition, params: Record<string, string | number>): KnowledgeSyncWarning {
  const fill = (text: string): string =>
    text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole));
  return { code: def.code, message: fill(def.message), fix: fill(def.fix) };
}

export class KnowledgeSync {
  constructor(private readonly deps: KnowledgeSyncDeps) {}

  /** Which objects, body fields, languages and channels a sync of the tenant loads (describe calls only). */
  async plan(tenant: Tenant): Promise<KnowledgePlan> {
    const settings = tenant.settings.knowledge;
    const channels = [...(settings.channels ?? DEFAULT_CHANNELS)];
    const warnings: KnowledgeSyncWarning[] = [];
    const found = await this.deps.source.discover();
    const objects =
      settings.objects === undefined ? found : found.filter((o) => settings.objects?.includes(o.name));
    if (objects.length === 0) {
      warnings.push(warning(KNOWLEDGE_SYNC_NOT_ENABLED, { tenant: tenant.id }));
      return { objects: [], languages: [], channels, warnings };
    }
    const wanted = settings.languages ?? [settings.language];
    const orgLanguages = [...new Set(objects.flatMap((o) => o.languages))];
    const { languages, unknown } = chooseLanguages(wanted, orgLanguages);
    for (const language of unknown) {
      warnings.push(
        warning(KNOWLEDGE_SYNC_LANGUAGE_UNKNOWN, {
          tenant: tenant.id,
          language,
          languages: orgLanguages.join(', ') || 'none',
        }),
      );
    }
    const planned = objects.map((o) => {
      const choice = chooseBodyFields(settings.bodyFields, o.fields);
      for (const field of choice.missing)
        warnings.push(
          warning(KNOWLEDGE_SYNC_BODY_FIELD_MISSING, { tenant: tenant.id, field, object: o.name }),
        );
      if (choice.fields.length === 0)
        warnings.push(warning(KNOWLEDGE_SYNC_NO_BODY_FIELD, { tenant: tenant.id, object: o.name }));
      const long = new Set(o.fields.filter((f) => f.longText).map((f) => f.name));
      return {
        name: o.name,
        bodyFields: choice.fields,
        pageSize: pageSizeFor(choice.fields.filter((f) => long.has(f)).length),
      };
    });
    return { objects: planned, languages, channels, warnings };
  }

  /** One run: every object and language of the plan, then the removal check. */
  async run(
    tenant: Tenant,
    onProgress: (p: KnowledgeSyncProgress) => void = () => undefined,
  ): Promise<KnowledgeSyncReport> {
    const plan = await this.plan(tenant);
    const report: KnowledgeSyncReport = {
      tenantId: tenant.id,
      plan,
      read: 0,
      written: 0,
      removed: 0,
      idScans: 0,
      warnings: [...plan.warnings],
    };
    // nothing to compare with: keep what is indexed rather than remove it for a setting or permission problem
    if (plan.objects.length === 0 || plan.languages.length === 0) return report;
    for (const language of plan.languages) {
      let remote = 0;
      const scopes: ArticleScope[] = [];
      for (const object of plan.objects) {
        const scope: ArticleScope = { object: object.name, language, channels: plan.channels };
        scopes.push(scope);
        const total = await this.deps.source.count(scope);
        remote += total;
        await this.readScope(tenant, scope, object.bodyFields, object.pageSize, total, report, onProgress);
      }
      await this.removeGone(tenant, language, scopes, remote, report);
    }
    return report;
  }

  private async readScope(
    tenant: Tenant,
    scope: ArticleScope,
    bodyFields: readonly string[],
    pageSize: number,
    total: number,
    report: KnowledgeSyncReport,
    onProgress: (p: KnowledgeSyncProgress) => void,
  ): Promise<void> {
    const stream = knowledgeStream(scope.object, scope.language);
    // a full load in progress keeps its exact position apart: after a crash it resumes right after the last page
    // written, where an incremental read would re-read its whole overlap window (all of a load stamped at once)
    const loadingStream = `${stream}:loading`;
    const saved = await this.deps.cursors.get(tenant.id, stream);
    const loading = saved === null ? await this.deps.cursors.get(tenant.id, loadingStream) : null;
    const start =
      saved !== null
        ? readStart(saved, this.deps.clock.now(), {
            lookBackMs: 0,
            overlapMs: this.deps.overlapMs ?? DEFAULT_OVERLAP_MS,
          })
        : (loading ?? { modstamp: new Date(0).toISOString(), id: '' });
    let last = saved ?? loading;
    let read = 0;
    onProgress({ object: scope.object, language: scope.language, total, read });
    for await (const page of this.deps.source.versionsAfter(scope, bodyFields, start, pageSize)) {
      const records: KnowledgeArticleRecord[] = [];
      for (const version of page.versions) {
        const { record, truncated } = articleRecord(tenant.id, version);
        if (truncated) {
          const chars = version.bodies.reduce((n, b) => n + (b?.length ?? 0), 0);
          report.warnings.push(
            warning(KNOWLEDGE_SYNC_BODY_TRUNCATED, {
              tenant: tenant.id,
              articleNumber: version.articleNumber,
              language: version.language,
              chars,
              max: MAX_BODY_CHARS,
            }),
          );
        }
        records.push(record);
      }
      for (const row of page.setAside)
        report.warnings.push(warning(KNOWLEDGE_SYNC_ROW_SET_ASIDE, { tenant: tenant.id, ...row }));
      const { changed } = await this.deps.writer.putMany(records);
      // after the page is written: a crash before this line re-reads the page, which writes nothing new
      last = laterCursor(last, page.cursor);
      await this.deps.cursors.save(tenant.id, saved === null ? loadingStream : stream, last);
      read += page.versions.length + page.setAside.length;
      report.read += page.versions.length;
      report.written += changed;
      onProgress({ object: scope.object, language: scope.language, total, read });
    }
    if (saved === null) await this.deps.cursors.save(tenant.id, stream, last ?? start);
  }

  private async removeGone(
    tenant: Tenant,
    language: string,
    scopes: readonly ArticleScope[],
    remote: number,
    report: KnowledgeSyncReport,
  ): Promise<void> {
    const local = new Set<string>();
    for await (const page of this.deps.articles.listTenant(tenant.id))
      for (const a of page) if (a.language === language) local.add(a.articleId);
    const scanStream = knowledgeScanStream(scopes.map((s) => s.object).join('+'), language);
    const lastScan = await this.deps.cursors.get(tenant.id, scanStream);
    const now = this.deps.clock.now();
    if (
      !needsIdScan({
        remoteCount: remote,
        localCount: local.size,
        lastScanAt: lastScan?.modstamp ?? null,
        now,
      })
    )
      return;
    const online = new Set<string>();
    for (const scope of scopes)
      for await (const ids of this.deps.source.articleIds(scope)) for (const id of ids) online.add(id);
    report.idScans += 1;
    for (const articleId of local) {
      if (online.has(articleId)) continue;
      const key: ArticleKey = { tenantId: tenant.id, articleId, language };
      if ((await this.deps.writer.remove(key)) !== null) report.removed += 1;
    }
    await this.deps.cursors.save(tenant.id, scanStream, { modstamp: now.toISOString(), id: '' });
  }
}
