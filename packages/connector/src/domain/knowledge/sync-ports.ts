// What knowledge sync needs from the org, in the product's words: the article objects found there, their pages of
// published versions after a cursor, how many are published, and which (ids only).

import type { SyncCursor } from '../sync-cursor.js';

import type { ArticleFieldInfo, ArticleVersionInput, KnowledgeChannel } from './sync-rules.js';

export interface ArticleObjectInfo {
  /** the object's API name (one per article type in Classic Knowledge) */
  name: string;
  /** readable fields that could hold a body */
  fields: ArticleFieldInfo[];
  /** the org's languages (the Language picklist) */
  languages: string[];
}

/** Which published versions a read covers: one object, one language, the tenant's channels. */
export interface ArticleScope {
  object: string;
  language: string;
  channels: readonly KnowledgeChannel[];
}

export interface ArticleVersionPage {
  versions: ArticleVersionInput[];
  /** the position of the page's last row */
  cursor: SyncCursor;
  /** rows that did not have the expected shape: id and reason */
  setAside: { id: string; reason: string }[];
}

export interface KnowledgeSource {
  /** every article object the service user can query (none: Knowledge is not enabled or not readable) */
  discover(): Promise<ArticleObjectInfo[]>;
  /**
   * the published versions of a scope after `after` in (modstamp, id) order, with the body fields named;
   * `expectedRows` (a full load's COUNT()) lets a source read a large set another way (a Bulk API query job)
   */
  versionsAfter(
    scope: ArticleScope,
    bodyFields: readonly string[],
    after: SyncCursor,
    pageSize: number,
    expectedRows?: number,
  ): AsyncIterable<ArticleVersionPage>;
  /** how many published versions the scope holds (one call) */
  count(scope: ArticleScope): Promise<number>;
  /** the article ids of every published version of the scope, page by page (ids only) */
  articleIds(scope: ArticleScope): AsyncIterable<string[]>;
}

/** A tenant's last (or current) knowledge sync, as the status API and `casebridge status` show it. */
export interface KnowledgeSyncState {
  tenantId: string;
  state: 'running' | 'ok' | 'failed';
  /** whether the run loads in full (first run, an unfinished load, or asked for) */
  full: boolean;
  startedAt: string;
  finishedAt: string | null;
  /** progress: articles loaded of the published articles in scope */
  done: number;
  total: number;
  read: number;
  written: number;
  removed: number;
  idScans: number;
  /** how many warnings the run gave, and the first of them (kept short) */
  warningCount: number;
  warnings: { code: string; message: string; fix: string }[];
  /** why a failed run stopped (its code and message, never a secret) */
  error: string | null;
}

export interface KnowledgeSyncStateRepository {
  /** Replaces the tenant's row (one per tenant: the newest run). */
  save(state: KnowledgeSyncState): Promise<void>;
  get(tenantId: string): Promise<KnowledgeSyncState | null>;
}
