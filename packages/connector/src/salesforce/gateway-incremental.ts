// The gateway's incremental reads of cases, comments and published articles: keyset pages in (SystemModstamp, Id)
// order after a durable cursor, rows that do not match their schema set aside.

import { z } from 'zod';

import type { IncrementalRead, SetAsideRecord, SyncPage } from '../domain/ports.js';
import type { CaseComment, KnowledgeArticle, SupportCase } from '../domain/support.js';
import { clampPageSize, positionOf, type SyncCursor } from '../domain/sync-cursor.js';
import type { GatewayContext } from './gateway-context.js';
import { isoFromSalesforce, toCaseComment, toKnowledgeArticle, toSupportCase } from './mappers.js';
import { queryAll } from './query-pages.js';
import { exactInstant, fieldList, ident, soql, type Soql } from './soql.js';
import { parseWire } from './wire/parse-wire.js';
import { SF_CASE_FIELDS, SfCase } from './wire/sf-case.js';
import { SF_CASE_COMMENT_FIELDS, SfCaseComment } from './wire/sf-case-comment.js';
import { SF_KNOWLEDGE_ARTICLE_FIELDS, SfKnowledgeArticle } from './wire/sf-knowledge-article.js';

/** What the keyset needs of every row, whatever else is wrong with it. */
const RowPosition = z.looseObject({ Id: z.string(), SystemModstamp: z.string() });

/** Incremental pages default to Salesforce's largest batch. */
const MAX_INCREMENTAL_PAGE = 2000;

/** Rows strictly after `after` in (SystemModstamp, Id) order; `id` '' means the whole instant and later. */
function keysetAfter(after: SyncCursor): Soql {
  const at = exactInstant(new Date(after.modstamp));
  if (after.id === '') return soql`SystemModstamp >= ${at}`;
  return soql`(SystemModstamp > ${at} OR (SystemModstamp = ${at} AND Id > ${after.id}))`;
}

export function casesModifiedSince(
  gw: GatewayContext,
  read: IncrementalRead,
): AsyncIterable<SyncPage<SupportCase>> {
  return incremental(gw, read, 'Case', SF_CASE_FIELDS, SfCase, [], toSupportCase);
}

export function commentsModifiedSince(
  gw: GatewayContext,
  read: IncrementalRead,
): AsyncIterable<SyncPage<CaseComment>> {
  return incremental(gw, read, 'CaseComment', SF_CASE_COMMENT_FIELDS, SfCaseComment, [], toCaseComment);
}

export function articlesModifiedSince(
  gw: GatewayContext,
  read: IncrementalRead,
): AsyncIterable<SyncPage<KnowledgeArticle>> {
  const { language, bodyFields } = gw.tenant.settings.knowledge;
  // Knowledge queries must filter one PublishStatus and one Language:
  // https://developer.salesforce.com/docs/atlas.en-us.knowledge_dev.meta/knowledge_dev/knowledge_development_soql_sosl_intro.htm
  // Each a top-level AND term (a parenthesised group is not top level for that rule).
  const filters = [soql`PublishStatus = ${'Online'}`, soql`Language = ${language}`];
  return incremental(
    gw,
    read,
    'Knowledge__kav',
    [...SF_KNOWLEDGE_ARTICLE_FIELDS, ...bodyFields],
    SfKnowledgeArticle,
    filters,
    (r) => toKnowledgeArticle(r, bodyFields),
  );
}

/**
 * The rule of domain/sync-cursor.ts in SOQL: one query per page, each strictly after the last row of the one
 * before in (SystemModstamp, Id) order, so ties on the timestamp are walked through by Id and nothing depends on
 * a server-side query cursor (those expire after 15 idle minutes, ten per user). A row that does not match its
 * schema is set aside with its id and the read moves past it.
 */
async function* incremental<S extends z.ZodType, T>(
  gw: GatewayContext,
  read: IncrementalRead,
  sobject: string,
  fields: readonly string[],
  schema: S,
  filters: readonly Soql[],
  map: (row: z.infer<S>) => T,
): AsyncGenerator<SyncPage<T>> {
  const pageSize = clampPageSize(read.pageSize ?? MAX_INCREMENTAL_PAGE);
  const select = fieldList([...new Set([...fields, 'Id', 'SystemModstamp'])]);
  let after: SyncCursor = read.after;
  for (;;) {
    const where = [...filters, keysetAfter(after)].reduce((all, term) => soql`${all} AND ${term}`);
    const q = soql`SELECT ${select} FROM ${ident(sobject)} WHERE ${where} ORDER BY SystemModstamp ASC, Id ASC LIMIT ${pageSize}`;
    const rows = await queryAll(gw.client, gw.tenant, q, RowPosition, {
      shape: sobject,
      batchSize: pageSize,
      ...gw.purposeOpt,
    });
    if (rows.length === 0) return;
    const items: T[] = [];
    const setAside: SetAsideRecord[] = [];
    rows.forEach((raw, i) => {
      try {
        items.push(map(parseWire(schema, raw, gw.ctx(`${sobject} record ${i}`))));
      } catch (err) {
        setAside.push({ id: raw.Id, reason: err instanceof Error ? err.message : String(err) });
      }
    });
    const last = rows[rows.length - 1];
    if (last === undefined) return;
    after = positionOf({ id: last.Id, modstamp: isoFromSalesforce(last.SystemModstamp) });
    yield { items, cursor: after, setAside };
    if (rows.length < pageSize) return;
  }
}
