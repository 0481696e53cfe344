// KnowledgeArticleRepository on the store: one row per tenant, article and language; removals leave a tombstone;
// every write takes the next value of one counter inside its transaction, so change order is commit order.

import type {
  ArticleKey,
  KnowledgeArticleRecord,
  StoredKnowledgeArticle,
} from '../../domain/knowledge/article.js';
import type { KnowledgeArticleRepository, KnowledgeChange } from '../../domain/knowledge/ports.js';
import type { Clock } from '../../domain/ports.js';
import { toIsoOrNull, type Queryable } from '../db.js';
import { referencingTenant } from '../tenant-reference.js';

interface ArticleRow {
  tenant_id: string;
  article_id: string;
  language: string;
  version_id: string | null;
  article_number: string;
  version_number: number;
  title: string;
  url_name: string;
  body_html: string;
  sections_text: string | null;
  last_published_at: unknown;
  removed: boolean;
  change_seq: unknown;
}

const COLUMNS =
  'tenant_id, article_id, language, version_id, article_number, version_number, title, url_name, body_html, last_published_at, removed, change_seq, sections_text';

const UPSERT = `ON CONFLICT (tenant_id, article_id, language) DO UPDATE SET
  version_id = EXCLUDED.version_id, article_number = EXCLUDED.article_number,
  version_number = EXCLUDED.version_number, title = EXCLUDED.title, url_name = EXCLUDED.url_name,
  body_html = EXCLUDED.body_html, last_published_at = EXCLUDED.last_published_at, removed = false,
  change_seq = EXCLUDED.change_seq, updated_at = EXCLUDED.updated_at, sections_text = EXCLUDED.sections_text`;

/** rows per statement: 13 parameters each stays far below PostgreSQL's 65,535 */
const BATCH = 100;

/** bigint comes back as a string from pg and as a number or bigint from PGlite */
const seqOf = (value: unknown): number => Number(value);

const toArticle = (row: ArticleRow): StoredKnowledgeArticle => ({
  tenantId: row.tenant_id,
  articleId: row.article_id,
  language: row.language,
  versionId: row.version_id,
  articleNumber: row.article_number,
  versionNumber: Number(row.version_number),
  title: row.title,
  urlName: row.url_name,
  bodyHtml: row.body_html,
  lastPublishedAt: toIsoOrNull(row.last_published_at),
  changeSeq: seqOf(row.change_seq),
  sectionsText: row.sections_text,
});

type Transact = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

export class SqlKnowledgeArticleRepository implements KnowledgeArticleRepository {
  constructor(
    private readonly db: Queryable,
    private readonly transact: Transact,
    private readonly clock: Clock,
  ) {}

  put(article: KnowledgeArticleRecord): Promise<{ changeSeq: number; changed: boolean }> {
    return referencingTenant(article.tenantId, () =>
      this.transact(async (tx) => {
        const { rows } = await tx.query<ArticleRow>(
          `SELECT ${COLUMNS} FROM knowledge_articles WHERE tenant_id = $1 AND article_id = $2 AND language = $3 FOR UPDATE`,
          [article.tenantId, article.articleId, article.language],
        );
        const existing = rows[0];
        if (existing !== undefined && !existing.removed && sameContent(toArticle(existing), article)) {
          return { changeSeq: seqOf(existing.change_seq), changed: false };
        }
        const seq = await nextSeq(tx);
        await tx.query(
          `INSERT INTO knowledge_articles (${COLUMNS}, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::timestamptz, false, $11, $13, $12::timestamptz) ${UPSERT}`,
          [
            article.tenantId,
            article.articleId,
            article.language,
            article.versionId,
            article.articleNumber,
            article.versionNumber,
            article.title,
            article.urlName,
            article.bodyHtml,
            article.lastPublishedAt,
            seq,
            this.clock.now().toISOString(),
            article.sectionsText ?? null,
          ],
        );
        return { changeSeq: seq, changed: true };
      }),
    );
  }

  putMany(articles: readonly KnowledgeArticleRecord[]): Promise<{ changed: number; latestSeq: number }> {
    return this.transact(async (tx) => {
      const byKey = new Map<string, KnowledgeArticleRecord>();
      for (const a of articles) byKey.set(JSON.stringify([a.tenantId, a.articleId, a.language]), a);
      const unique = [...byKey.values()];
      const changed: KnowledgeArticleRecord[] = [];
      for (let i = 0; i < unique.length; i += BATCH) {
        const batch = unique.slice(i, i + BATCH);
        const { rows } = await tx.query<ArticleRow>(
          `SELECT ${COLUMNS} FROM knowledge_articles
           WHERE (tenant_id, article_id, language) IN (${batch.map((_, j) => `($${3 * j + 1}, $${3 * j + 2}, $${3 * j + 3})`).join(', ')})
           FOR UPDATE`,
          batch.flatMap((a) => [a.tenantId, a.articleId, a.language]),
        );
        const existing = new Map(
          rows.map((r) => [JSON.stringify([r.tenant_id, r.article_id, r.language]), r] as const),
        );
        for (const a of batch) {
          const row = existing.get(JSON.stringify([a.tenantId, a.articleId, a.language]));
          if (row === undefined || row.removed || !sameContent(toArticle(row), a)) changed.push(a);
        }
      }
      if (changed.length === 0) return { changed: 0, latestSeq: await this.latestSeqIn(tx) };
      // reserve one sequence number per changed article, in order, under the counter's row lock
      const { rows } = await tx.query<{ seq: unknown }>(
        'UPDATE knowledge_change_counter SET seq = seq + $1 WHERE id = 1 RETURNING seq',
        [changed.length],
      );
      const last = seqOf(rows[0]?.seq);
      const first = last - changed.length + 1;
      const now = this.clock.now().toISOString();
      for (let i = 0; i < changed.length; i += BATCH) {
        const batch = changed.slice(i, i + BATCH);
        const params: unknown[] = [];
        const values = batch.map((a, j) => {
          params.push(
            a.tenantId,
            a.articleId,
            a.language,
            a.versionId,
            a.articleNumber,
            a.versionNumber,
            a.title,
            a.urlName,
            a.bodyHtml,
            a.lastPublishedAt,
            first + i + j,
            now,
            a.sectionsText ?? null,
          );
          const p = (n: number): string => `$${13 * j + n}`;
          return `(${p(1)}, ${p(2)}, ${p(3)}, ${p(4)}, ${p(5)}, ${p(6)}, ${p(7)}, ${p(8)}, ${p(9)}, ${p(10)}::timestamptz, false, ${p(11)}, ${p(13)}, ${p(12)}::timestamptz)`;
        });
        await tx.query(
          `INSERT INTO knowledge_articles (${COLUMNS}, updated_at) VALUES ${values.join(', ')} ${UPSERT}`,
          params,
        );
      }
      return { changed: changed.length, latestSeq: last };
    });
  }

  private async latestSeqIn(tx: Queryable): Promise<number> {
    const { rows } = await tx.query<{ seq: unknown }>(
      'SELECT seq FROM knowledge_change_counter WHERE id = 1',
    );
    return seqOf(rows[0]?.seq ?? 0);
  }

  remove(key: ArticleKey): Promise<{ changeSeq: number } | null> {
    return this.transact(async (tx) => {
      const { rows } = await tx.query<{ removed: boolean }>(
        'SELECT removed FROM knowledge_articles WHERE tenant_id = $1 AND article_id = $2 AND language = $3 FOR UPDATE',
        [key.tenantId, key.articleId, key.language],
      );
      if (rows[0] === undefined || rows[0].removed) return null;
      const seq = await nextSeq(tx);
      // the tombstone keeps the key and the sequence; the body is no longer needed
      await tx.query(
        `UPDATE knowledge_articles SET removed = true, body_html = '', sections_text = NULL, change_seq = $4, updated_at = $5::timestamptz
         WHERE tenant_id = $1 AND article_id = $2 AND language = $3`,
        [key.tenantId, key.articleId, key.language, seq, this.clock.now().toISOString()],
      );
      return { changeSeq: seq };
    });
  }

  async get(key: ArticleKey): Promise<StoredKnowledgeArticle | null> {
    const { rows } = await this.db.query<ArticleRow>(
      `SELECT ${COLUMNS} FROM knowledge_articles
       WHERE tenant_id = $1 AND article_id = $2 AND language = $3 AND NOT removed`,
      [key.tenantId, key.articleId, key.language],
    );
    return rows[0] === undefined ? null : toArticle(rows[0]);
  }

  async *listTenant(
    tenantId: string,
    pageSize = 2000,
    sectionsPrefix?: string,
  ): AsyncIterable<StoredKnowledgeArticle[]> {
    // with a prefix, a row whose packed sections start with it comes without its body HTML (the rebuild does not
    // parse it, and reading 2 KB less a row is a tenth of the read); any other row comes with its body, not its text
    const columns =
      sectionsPrefix === undefined
        ? COLUMNS
        : COLUMNS.replace(
            ', sections_text',
            ', CASE WHEN starts_with(sections_text, $5) THEN sections_text END AS sections_text',
          ).replace(
            ', body_html,',
            ", CASE WHEN starts_with(sections_text, $5) THEN '' ELSE body_html END AS body_html,",
          );
    let after: [string, string] = ['', ''];
    for (;;) {
      // Keyset pages must walk the primary key in order. Without statistics (PGlite never runs autovacuum, and a
      // table just filled has none on PostgreSQL either) the planner guesses a few rows per tenant and picks a
      // bitmap scan that sorts every remaining row, bodies included, for each page: quadratic, 890 s at 100,000
      // articles. SET LOCAL holds only for this page's short transaction, so writers still run between pages.
      const rows = await this.transact(async (tx) => {
        await tx.query('SET LOCAL enable_sort = off');
        const result = await tx.query<ArticleRow>(
          `SELECT ${columns} FROM knowledge_articles
           WHERE tenant_id = $1 AND NOT removed AND (tenant_id, article_id, language) > ($1, $2, $3)
           ORDER BY tenant_id, article_id, language LIMIT $4`,
          sectionsPrefix === undefined
            ? [tenantId, after[0], after[1], pageSize]
            : [tenantId, after[0], after[1], pageSize, sectionsPrefix],
        );
        return result.rows;
      });
      if (rows.length === 0) return;
      yield rows.map(toArticle);
      const last = rows[rows.length - 1] as ArticleRow;
      after = [last.article_id, last.language];
      if (rows.length < pageSize) return;
    }
  }

  async changesSince(afterSeq: number, limit: number): Promise<KnowledgeChange[]> {
    const { rows } = await this.db.query<ArticleRow>(
      `SELECT ${COLUMNS} FROM knowledge_articles WHERE change_seq > $1 ORDER BY change_seq LIMIT $2`,
      [afterSeq, limit],
    );
    return rows.map((row): KnowledgeChange => {
      const article = toArticle(row);
      if (!row.removed) return { kind: 'put', changeSeq: article.changeSeq, article };
      return {
        kind: 'remove',
        changeSeq: article.changeSeq,
        key: { tenantId: row.tenant_id, articleId: row.article_id, language: row.language },
      };
    });
  }

  async latestSeq(): Promise<number> {
    const { rows } = await this.db.query<{ seq: unknown }>(
      'SELECT seq FROM knowledge_change_counter WHERE id = 1',
    );
    return seqOf(rows[0]?.seq ?? 0);
  }

  async countByLanguage(tenantId: string): Promise<Record<string, number>> {
    const { rows } = await this.db.query<{ language: string; n: unknown }>(
      `SELECT language, count(*) AS n FROM knowledge_articles WHERE tenant_id = $1 AND NOT removed
       GROUP BY language ORDER BY language`,
      [tenantId],
    );
    return Object.fromEntries(rows.map((r) => [r.language, Number(r.n)]));
  }
}

async function nextSeq(tx: Queryable): Promise<number> {
  const { rows } = await tx.query<{ seq: unknown }>(
    'UPDATE knowledge_change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq',
  );
  return seqOf(rows[0]?.seq);
}

function sameContent(a: StoredKnowledgeArticle, b: KnowledgeArticleRecord): boolean {
  return (
    a.versionId === b.versionId &&
    a.articleNumber === b.articleNumber &&
    a.versionNumber === b.versionNumber &&
    a.title === b.title &&
    a.urlName === b.urlName &&
    a.bodyHtml === b.bodyHtml &&
    a.lastPublishedAt === (b.lastPublishedAt === null ? null : new Date(b.lastPublishedAt).toISOString())
  );
}
