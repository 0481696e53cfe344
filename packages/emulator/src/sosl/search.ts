// Runs SOSL: finds records of each RETURNING object whose searchable fields match the terms, applies the same
// visibility and Knowledge rules as SOQL, ranks title/subject hits above body hits, and returns
// `{ searchRecords }` with attributes (plus `snippet.text` WITH SNIPPET).

import { SalesforceError } from '../errors.js';
import { asText } from '../format.js';
import type { SObjectRecord } from '../org/contract.js';
import type { StoredRecord } from '../org/store.js';
import { execEnv, planContext, type EngineContext } from '../soql/engine.js';
import { Projector, scanRows, sortRows, type ExecEnv } from '../soql/execute.js';
import { knowledgeFilter } from '../soql/knowledge-filter.js';
import { parseSoql } from '../soql/parse.js';
import { compilePlan } from '../soql/plan.js';
import { queryError } from '../soql/query-errors.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import { parseSosl, type Returning, type SearchGroup } from './parse.js';
import type { Matcher } from '../util/wildcard.js';
import {
  evaluate,
  parseTerms,
  positiveTerms,
  stripHtml,
  termMatches,
  words,
  type TermExpr,
} from './terms.js';

const DEFAULT_LIMIT = 2000;

function searchFieldsOf(view: ObjectDef, group: SearchGroup, table: ObjectDef | undefined): FieldDef[] {
  // KnowledgeArticleVersion searches the concrete article type's fields too (its rich-text body fields).
  const obj = table ?? view;
  const all = obj.searchFields
    .map((n) => obj.fieldIndex.get(n.toLowerCase()))
    .filter((f): f is FieldDef => f !== undefined);
  switch (group) {
    case 'NAME':
      return all.filter((f) => f.nameField || f.name === 'Subject' || f.name === 'Title').slice(0, 2);
    case 'EMAIL':
      return all.filter((f) => f.type === 'email');
    case 'PHONE':
      return all.filter((f) => f.type === 'phone');
    case 'ALL':
    case 'SIDEBAR':
      return all;
  }
}

function fieldText(fields: SObjectRecord, f: FieldDef, env: ExecEnv): string {
  const raw = f.compute ? f.compute(fields, (id) => env.store.live(id)) : fields[f.name];
  if (raw === null || raw === undefined) return '';
  const text = asText(raw);
  return f.htmlFormatted ? stripHtml(text) : text;
}

interface Hit {
  row: StoredRecord;
  score: number;
  texts: string[];
}

function snippet(
  texts: string[],
  terms: Extract<TermExpr, { kind: 'term' }>[],
  targetLength: number,
): string | null {
  for (const text of texts) {
    const tokens = text.split(/(\s+)/);
    const hits = tokens.map((tok) => {
      const w = words(tok);
      return (
        w.length > 0 &&
        terms.some((t) => t.words.length > 0 && w.some((x) => (t.words[0] as Matcher).test(x)))
      );
    });
    const first = hits.indexOf(true);
    if (first === -1) continue;
    let out = '';
    let i = Math.max(0, first - 6);
    for (; i < tokens.length && out.length < targetLength; i++) {
      const tok = tokens[i] ?? '';
      out += hits[i] ? `<mark>${tok}</mark>` : tok;
    }
    return (first > 6 ? '...' : '') + out.trim() + (i < tokens.length ? '...' : '');
  }
  return null;
}

const MAX_SEARCH_QUERY = 10_000;

/**
 * A RETURNING clause is checked as a SOQL query the emulator builds from it; an error with a caret diagram is drawn
 * again over the caller's own SOSL (from RETURNING on), so the emulator's internal query never shows.
 */
function inSearch(err: unknown, sosl: string): unknown {
  if (!(err instanceof SalesforceError)) return err;
  const m = /^\n(.*)\n( *)\^\nERROR at Row:\d+:Column:\d+\n([\s\S]*)$/.exec(err.message);
  if (m === null) return err;
  const token = /^[^\s,()]*/.exec((m[1] ?? '').slice((m[2] ?? '').length))?.[0] ?? '';
  return queryError(sosl, token, err.errorCode, m[3] ?? '', Math.max(0, sosl.search(/\bRETURNING\b/i)));
}

export function searchSosl(ctx: EngineContext, sosl: string): { searchRecords: SObjectRecord[] } {
  const stmt = parseSosl(sosl);
  // "If the SearchQuery string is longer than 10,000 characters, no result rows are returned."
  // https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-sosl-syntax.html
  if (stmt.terms.length > MAX_SEARCH_QUERY) return { searchRecords: [] };
  const expr = parseTerms(stmt.terms);
  const positives = positiveTerms(expr);
  const returning: Returning[] =
    stmt.returning.length > 0
      ? stmt.returning
      : ctx.schema.objects
          .filter((o) => o.searchable && !o.hidden && o.table === o.name && ctx.access.canRead(o))
          .map((o) => ({ object: o.name, fields: '', clauses: '', hasOrderBy: false }));
  const overall = stmt.limit ?? DEFAULT_LIMIT;
  const out: SObjectRecord[] = [];
  for (const r of returning) {
    if (out.length >= overall) break;
    const soql = `SELECT ${r.fields === '' ? 'Id' : r.fields} FROM ${r.object}${r.clauses === '' ? '' : ` ${r.clauses}`}`;
    let plan;
    try {
      plan = compilePlan(
        planContext(ctx, soql, () => {
          throw new SalesforceError(
            400,
            'MALFORMED_SEARCH',
            'semi join sub-selects are not supported in SOSL',
          );
        }),
        parseSoql(soql),
      );
    } catch (err) {
      throw inSearch(err, sosl);
    }
    if (!plan.obj.searchable) {
      throw new SalesforceError(400, 'INVALID_TYPE', `entity type ${plan.obj.name} does not support search`);
    }
    const env = execEnv(ctx, false);
    if (plan.obj.access === 'knowledge') {
      knowledgeFilter(plan, ctx.apiVersion);
      const hasStatus = /\bPublishStatus\b/i.test(r.clauses);
      // Without a PublishStatus filter, article search covers published (Online) versions.
      if (!hasStatus) env.rowFilter = (f) => f['PublishStatus'] === 'Online';
    }
    const fields = searchFieldsOf(plan.obj, stmt.group, ctx.schema.get(plan.obj.table));
    const hits: Hit[] = [];
    for (const row of scanRows(plan, env)) {
      const texts = fields.map((f) => fieldText(row.fields, f, env));
      const lists = texts.map(words);
      if (!evaluate(expr, lists)) continue;
      // Title/subject (the first search field) weighs more than body fields.
      let score = 0;
      for (const t of positives) {
        lists.forEach((list, i) => {
          if (termMatches(t, list)) score += i === 0 ? 3 : 1;
        });
      }
      hits.push({ row, score, texts });
    }
    let ordered: Hit[];
    if (r.hasOrderBy) {
      const byRow = new Map(hits.map((h) => [h.row, h]));
      ordered = sortRows(
        hits.map((h) => h.row),
        plan.order,
      ).map((row) => byRow.get(row) as Hit);
    } else {
      ordered = hits
        .map((h, i) => ({ h, i }))
        .sort((a, b) => b.h.score - a.h.score || a.i - b.i)
        .map((x) => x.h);
    }
    const start = plan.offset;
    const end = Math.min(
      plan.limit === undefined ? ordered.length : start + plan.limit,
      start + overall - out.length,
    );
    const page = ordered.slice(start, end);
    const projector = new Projector(plan, env);
    const records = projector.page(page.map((h) => h.row));
    records.forEach((rec, i) => {
      const hit = page[i];
      if (stmt.snippet && hit) {
        rec['snippet.text'] = snippet(hit.texts, positives, stmt.snippet.targetLength);
      }
      out.push(rec);
    });
  }
  return { searchRecords: out };
}
