// KnowledgeSource on the REST API. Article objects are found by describe: every `__kav` object with a
// KnowledgeArticleId field (one per article type in Classic Knowledge, `Knowledge__kav` or a renamed one in
// Lightning Knowledge). Queries name one PublishStatus and one Language as top-level AND terms, as Knowledge requires:
// https://developer.salesforce.com/docs/atlas.en-us.knowledge_dev.meta/knowledge_dev/knowledge_development_soql_sosl_intro.htm
// Reads are keysets on (SystemModstamp, Id) with LIMIT = the page size, so no server-side cursor is held.

import { z } from 'zod';

import type {
  ArticleObjectInfo,
  ArticleScope,
  ArticleVersionPage,
  KnowledgeSource,
} from '../../domain/knowledge/sync-ports.js';
import type { ArticleVersionInput } from '../../domain/knowledge/sync-rules.js';
import { positionOf, type SyncCursor } from '../../domain/sync-cursor.js';
import { isoFromSalesforce } from '../mappers.js';
import { queryAll } from '../query-pages.js';
import type { ClientTenant, SalesforceClient } from '../salesforce-client.js';
import { exactInstant, fieldList, ident, soql, type Soql } from '../soql.js';
import { parseWire } from '../wire/parse-wire.js';

const GlobalDescribe = z.object({
  sobjects: z.array(z.looseObject({ name: z.string(), queryable: z.boolean() })),
});

const ObjectDescribe = z.object({
  name: z.string(),
  fields: z.array(
    z.looseObject({
      name: z.string(),
      type: z.string(),
      length: z.number().optional(),
      extraTypeInfo: z.string().nullable().optional(),
      picklistValues: z.array(z.object({ value: z.string(), active: z.boolean().optional() })).optional(),
    }),
  ),
});

/** A textarea longer than 255 characters is a long text area (and rich text always is): they cap pages at 200. */
const LONG_TEXT_THRESHOLD = 255;

const VersionRow = z.looseObject({
  Id: z.string(),
  KnowledgeArticleId: z.string(),
  ArticleNumber: z.string(),
  Title: z.string(),
  UrlName: z.string(),
  Language: z.string(),
  VersionNumber: z.number(),
  LastPublishedDate: z.string().nullable(),
  SystemModstamp: z.string(),
});
const VERSION_FIELDS = Object.keys(VersionRow.shape);
export const RowPosition = z.looseObject({ Id: z.string(), SystemModstamp: z.string() });
const IdRow = z.looseObject({ Id: z.string(), KnowledgeArticleId: z.string() });
const CountPage = z.looseObject({ totalSize: z.number() });

const CHANNEL_FIELD = {
  App: 'IsVisibleInApp',
  Pkb: 'IsVisibleInPkb',
  Csp: 'IsVisibleInCsp',
  Prm: 'IsVisibleInPrm',
};
const ID_PAGE = 2000;

export class SalesforceKnowledgeSource implements KnowledgeSource {
  constructor(
    private readonly client: SalesforceClient,
    private readonly tenant: ClientTenant,
    private readonly purpose = 'knowledge-sync',
  ) {}

  async discover(): Promise<ArticleObjectInfo[]> {
    const global = parseWire(
      GlobalDescribe,
      await this.get('/sobjects', 'global'),
      this.ctx('global describe'),
    );
    const candidates = global.sobjects.filter((o) => o.queryable && o.name.endsWith('__kav'));
    const found: ArticleObjectInfo[] = [];
    for (const candidate of candidates) {
      const d = parseWire(
        ObjectDescribe,
        await this.get(`/sobjects/${ident(candidate.name).name}/describe`, candidate.name),
        this.ctx(`${candidate.name} describe`),
      );
      if (!d.fields.some((f) => f.name === 'KnowledgeArticleId')) continue;
      const language = d.fields.find((f) => f.name === 'Language');
      found.push({
        name: d.name,
        fields: d.fields
          .filter((f) => f.type === 'textarea')
          .map((f) => ({
            name: f.name,
            longText: f.extraTypeInfo === 'richtextarea' || (f.length ?? 0) > LONG_TEXT_THRESHOLD,
          })),
        languages: (language?.picklistValues ?? []).filter((p) => p.active !== false).map((p) => p.value),
      });
    }
    return found;
  }

  async *versionsAfter(
    scope: ArticleScope,
    bodyFields: readonly string[],
    after: SyncCursor,
    pageSize: number,
  ): AsyncGenerator<ArticleVersionPage> {
    let position = after;
    for (;;) {
      const q = soql`${this.versionQuery(scope, bodyFields, position)} LIMIT ${pageSize}`;
      const rows = await queryAll(this.client, this.tenant, q, RowPosition, {
        shape: scope.object,
        batchSize: pageSize,
        purpose: this.purpose,
      });
      const page = this.pageOf(scope, bodyFields, rows);
      if (page === null) return;
      position = page.cursor;
      yield page;
      if (rows.length < pageSize) return;
    }
  }

  /**
   * The published versions of a scope after `after`, in (SystemModstamp, Id) order, without a LIMIT: the REST read
   * adds its page size, a Bulk API 2.0 query job (bulk-knowledge-source.ts) runs it as it is.
   */
  versionQuery(scope: ArticleScope, bodyFields: readonly string[], after: SyncCursor): Soql {
    const select = fieldList([...new Set([...VERSION_FIELDS, ...bodyFields])]);
    const where = soql`${this.filters(scope)} AND ${keysetAfter(after)}`;
    return soql`SELECT ${select} FROM ${ident(scope.object)} WHERE ${where} ORDER BY SystemModstamp ASC, Id ASC`;
  }

  /** Rows of a version query as a page (null for none); rows of the wrong shape are set aside with the reason. */
  pageOf(
    scope: ArticleScope,
    bodyFields: readonly string[],
    rows: readonly z.infer<typeof RowPosition>[],
  ): ArticleVersionPage | null {
    const last = rows[rows.length - 1];
    if (last === undefined) return null;
    const versions: ArticleVersionInput[] = [];
    const setAside: { id: string; reason: string }[] = [];
    rows.forEach((raw, i) => {
      try {
        const r = parseWire(VersionRow, raw, this.ctx(`${scope.object} record ${i}`));
        const extra = raw as Record<string, unknown>;
        versions.push({
          versionId: r.Id,
          articleId: r.KnowledgeArticleId,
          language: r.Language,
          articleNumber: r.ArticleNumber,
          versionNumber: r.VersionNumber,
          title: r.Title,
          urlName: r.UrlName,
          lastPublishedAt: r.LastPublishedDate === null ? null : isoFromSalesforce(r.LastPublishedDate),
          bodies: bodyFields.map((f) => (typeof extra[f] === 'string' ? extra[f] : null)),
        });
      } catch (err) {
        setAside.push({ id: raw.Id, reason: err instanceof Error ? err.message : String(err) });
      }
    });
    return {
      versions,
      cursor: positionOf({ id: last.Id, modstamp: isoFromSalesforce(last.SystemModstamp) }),
      setAside,
    };
  }

  async count(scope: ArticleScope): Promise<number> {
    const q = soql`SELECT COUNT() FROM ${ident(scope.object)} WHERE ${this.filters(scope)}`;
    const raw = await this.get(`/query?q=${encodeURIComponent(q.text)}`, scope.object);
    return parseWire(CountPage, raw, this.ctx(`${scope.object} count`)).totalSize;
  }

  async *articleIds(scope: ArticleScope): AsyncGenerator<string[]> {
    let afterId = '';
    for (;;) {
      // an empty string is not a valid Id literal: the first page has no lower bound
      const where = afterId === '' ? this.filters(scope) : soql`${this.filters(scope)} AND Id > ${afterId}`;
      const q = soql`SELECT Id, KnowledgeArticleId FROM ${ident(scope.object)} WHERE ${where} ORDER BY Id ASC LIMIT ${ID_PAGE}`;
      const rows = await queryAll(this.client, this.tenant, q, IdRow, {
        shape: scope.object,
        batchSize: ID_PAGE,
        purpose: this.purpose,
      });
      const last = rows[rows.length - 1];
      if (last === undefined) return;
      yield rows.map((r) => r.KnowledgeArticleId);
      if (rows.length < ID_PAGE) return;
      afterId = last.Id;
    }
  }

  private filters(scope: ArticleScope): Soql {
    const channels = scope.channels
      .map((c) => soql`${ident(CHANNEL_FIELD[c])} = ${true}`)
      .reduce((all, term) => soql`${all} OR ${term}`);
    return soql`PublishStatus = ${'Online'} AND Language = ${scope.language} AND (${channels})`;
  }

  private get(url: string, sobject: string): Promise<unknown> {
    return this.client.request<unknown>(this.tenant, { method: 'GET', url, sobject, purpose: this.purpose });
  }

  private ctx(shape: string) {
    return { tenantId: this.tenant.id, shape };
  }
}

/** Rows strictly after `after` in (SystemModstamp, Id) order; `id` '' means the whole instant and later. */
function keysetAfter(after: SyncCursor): Soql {
  const at = exactInstant(new Date(after.modstamp));
  if (after.id === '') return soql`SystemModstamp >= ${at}`;
  return soql`(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${after.id}))`;
}
