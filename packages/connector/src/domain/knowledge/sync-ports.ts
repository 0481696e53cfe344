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
  /** the published versions of a scope after `after` in (modstamp, id) order, with the body fields named */
  versionsAfter(
    scope: ArticleScope,
    bodyFields: readonly string[],
    after: SyncCursor,
    pageSize: number,
  ): AsyncIterable<ArticleVersionPage>;
  /** how many published versions the scope holds (one call) */
  count(scope: ArticleScope): Promise<number>;
  /** the article ids of every published version of the scope, page by page (ids only) */
  articleIds(scope: ArticleScope): AsyncIterable<string[]>;
}
