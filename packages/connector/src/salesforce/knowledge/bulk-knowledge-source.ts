// KnowledgeSource that reads a large full load by one Bulk API 2.0 query job instead of REST pages of 200 rows.
//
// Does Salesforce run query jobs on article version objects? The Bulk API 2.0 guide names no object it refuses;
// it restricts the SOQL only (GROUP BY, OFFSET, TYPEOF, aggregates, compound fields, parent-to-child subqueries):
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm
// Clients that met refusals report `INVALIDENTITY` "Entity 'X' is not supported by the Bulk API." for the generic
// cross-type views KnowledgeArticle and KnowledgeArticleVersion (airbytehq/airbyte#15901 and #16119, their
// UNSUPPORTED_BULK_API_SALESFORCE_OBJECTS list), never for an article type's own `__kav` object, which is what this
// connector queries (one object per article type, found by describe). So a full load of a `__kav` object goes by
// Bulk when it is large enough to pay (domain/knowledge/sync-rules.ts readsByBulk), and falls back to the REST read
// where the org refuses the job (the entity, an API version before 47.0, the day's query jobs spent) or the job
// fails: from the beginning if no page was read, else from the last page's cursor, so nothing is lost or read twice.
// The query is the REST read's: Online, one Language (Knowledge requires both as filters), the tenant's channels,
// ordered by (SystemModstamp, Id), so each result page ends at a cursor exactly as a REST page does. ORDER BY turns
// off PK chunking (queries.htm, "SOQL Considerations"), which only slows a very large job down.

import type {
  ArticleObjectInfo,
  ArticleScope,
  ArticleVersionPage,
  KnowledgeSource,
} from '../../domain/knowledge/sync-ports.js';
import { readsByBulk } from '../../domain/knowledge/sync-rules.js';
import type { SyncCursor } from '../../domain/sync-cursor.js';
import { isAppError } from '../../errors/app-error.js';
import { SF_API_REQUEST_LIMIT, SF_API_SESSION_REJECTED } from '../../errors/codes/salesforce-api.js';
import type { Logger } from '../../logging/logger.js';
import {
  BulkJobUnfinished,
  bulkQueryPages,
  bulkQueryVersionOk,
  type BulkQueryOptions,
} from '../bulk-query.js';
import type { ClientTenant, SalesforceClient } from '../salesforce-client.js';
import type { SalesforceKnowledgeSource } from './knowledge-source.js';

export interface BulkKnowledgeOptions extends Pick<
  BulkQueryOptions,
  'maxRecords' | 'pollDelaysMs' | 'sleep' | 'signal'
> {
  log?: Logger;
  purpose?: string;
}

export class BulkKnowledgeSource implements KnowledgeSource {
  constructor(
    private readonly rest: SalesforceKnowledgeSource,
    private readonly client: SalesforceClient,
    private readonly tenant: ClientTenant,
    private readonly options: BulkKnowledgeOptions = {},
  ) {}

  discover(): Promise<ArticleObjectInfo[]> {
    return this.rest.discover();
  }

  count(scope: ArticleScope): Promise<number> {
    return this.rest.count(scope);
  }

  articleIds(scope: ArticleScope): AsyncIterable<string[]> {
    return this.rest.articleIds(scope);
  }

  async *versionsAfter(
    scope: ArticleScope,
    bodyFields: readonly string[],
    after: SyncCursor,
    pageSize: number,
    expectedRows?: number,
  ): AsyncGenerator<ArticleVersionPage> {
    const bulk =
      expectedRows !== undefined &&
      readsByBulk(expectedRows, pageSize) &&
      bulkQueryVersionOk(this.tenant.settings.apiVersion);
    if (!bulk) {
      yield* this.rest.versionsAfter(scope, bodyFields, after, pageSize);
      return;
    }
    let position = after;
    try {
      const query = this.rest.versionQuery(scope, bodyFields, after);
      for await (const rows of bulkQueryPages(this.client, this.tenant, query, {
        purpose: this.options.purpose ?? 'knowledge-sync',
        shape: scope.object,
        ...(this.options.maxRecords === undefined ? {} : { maxRecords: this.options.maxRecords }),
        ...(this.options.pollDelaysMs === undefined ? {} : { pollDelaysMs: this.options.pollDelaysMs }),
        ...(this.options.sleep === undefined ? {} : { sleep: this.options.sleep }),
        ...(this.options.signal === undefined ? {} : { signal: this.options.signal }),
      })) {
        const page = this.rest.pageOf(scope, bodyFields, rows.map(fromCsv));
        if (page === null) continue;
        // before the yield: the sync writes the page before it asks for the next one
        position = page.cursor;
        yield page;
      }
      return;
    } catch (err) {
      if (!fallsBack(err)) throw err;
      this.options.log?.warn(
        {
          tenantId: this.tenant.id,
          object: scope.object,
          language: scope.language,
          reason: isAppError(err) ? err.code : (err as Error).message,
          resumeAfter: position,
        },
        'bulk query not used; reading by REST',
      );
    }
    yield* this.rest.versionsAfter(scope, bodyFields, position, pageSize);
  }
}

/**
 * A refused or failed job is read again by REST. Not a spent allocation (the tenant is paused: REST would be
 * refused too) nor a rejected session; a programming error is not hidden either.
 */
function fallsBack(err: unknown): boolean {
  if (err instanceof BulkJobUnfinished) return true;
  if (!isAppError(err)) return false;
  return err.code !== SF_API_REQUEST_LIMIT.code && err.code !== SF_API_SESSION_REJECTED.code;
}

/**
 * A CSV row has text only: VersionNumber as digits, an empty field for null (Bulk API 2.0 writes null as an empty
 * field, datafiles_csv_preparing.htm), so the REST row schema sees the JSON types it expects.
 */
function fromCsv(
  row: Record<string, string>,
): { Id: string; SystemModstamp: string } & Record<string, unknown> {
  const out: Record<string, unknown> = { ...row };
  const version = row['VersionNumber'];
  if (version !== undefined && version !== '') out['VersionNumber'] = Number(version);
  for (const [key, value] of Object.entries(row)) if (value === '' && key !== 'Title') out[key] = null;
  return out as { Id: string; SystemModstamp: string } & Record<string, unknown>;
}
