// Parses a SOSL statement (FIND {terms} [IN ... FIELDS] [RETURNING Obj(fields WHERE ... ORDER BY ... LIMIT n), ...]
// [WITH SNIPPET] [LIMIT n]) by hand: the SOQL parser library does not read SOSL. The per-object clauses are
// handed to the SOQL engine as `SELECT fields FROM Obj WHERE ...`.
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_syntax.htm

import { SalesforceError } from '../errors.js';

export type SearchGroup = 'ALL' | 'NAME' | 'EMAIL' | 'PHONE' | 'SIDEBAR';

export interface Returning {
  object: string;
  /** the select list as written ('' when none) */
  fields: string;
  /** the clauses after the field list: WHERE ... ORDER BY ... LIMIT n */
  clauses: string;
  hasOrderBy: boolean;
}

export interface SoslStatement {
  terms: string;
  group: SearchGroup;
  returning: Returning[];
  snippet: { targetLength: number } | undefined;
  limit: number | undefined;
}

const malformedSearch = (message: string): SalesforceError =>
  new SalesforceError(400, 'MALFORMED_SEARCH', message);

/** Reads a balanced (...) group starting at `open`, skipping quoted strings; returns the index after ')'. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'") {
      i++;
      while (i < text.length && text[i] !== "'") i += text[i] === '\\' ? 2 : 1;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return i + 1;
  }
  throw malformedSearch("unexpected token: '<EOF>'");
}

function readTerms(text: string): { terms: string; rest: string } {
  const m = /^\s*FIND\s*/i.exec(text);
  if (!m) throw malformedSearch(`unexpected token: '${text.trim().split(/\s+/)[0] ?? ''}'`);
  let i = m[0].length;
  const open = text[i];
  const close = open === '{' ? '}' : open === "'" ? "'" : undefined;
  if (!close) throw malformedSearch("unexpected token: missing '{' after FIND");
  let terms = '';
  for (i++; i < text.length && text[i] !== close; i++) {
    if (text[i] === '\\' && i + 1 < text.length) {
      terms += text[i + 1] ?? '';
      i++;
    } else terms += text[i] ?? '';
  }
  if (i >= text.length) throw malformedSearch(`unexpected token: missing '${close}'`);
  return { terms, rest: text.slice(i + 1) };
}

function parseReturning(text: string): { list: Returning[]; rest: string } {
  const list: Returning[] = [];
  let rest = text;
  for (;;) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*/.exec(rest);
    if (!m) throw malformedSearch('unexpected token after RETURNING');
    const object = m[1] ?? '';
    rest = rest.slice(m[0].length);
    let inner = '';
    if (rest.startsWith('(')) {
      const end = closeParen(rest, 0);
      inner = rest.slice(1, end - 1).trim();
      rest = rest.slice(end);
    }
    const kw = /\b(WHERE|ORDER\s+BY|LIMIT|OFFSET|USING\s+LISTVIEW)\b/i.exec(inner);
    const fields = (kw ? inner.slice(0, kw.index) : inner).trim();
    const clauses = kw ? inner.slice(kw.index).trim() : '';
    list.push({ object, fields, clauses, hasOrderBy: /\bORDER\s+BY\b/i.test(clauses) });
    const comma = /^\s*,/.exec(rest);
    if (!comma) return { list, rest };
    rest = rest.slice(comma[0].length);
  }
}

export function parseSosl(sosl: string): SoslStatement {
  const { terms, rest: afterTerms } = readTerms(sosl);
  let rest = afterTerms;
  let group: SearchGroup = 'ALL';
  const inMatch = /^\s*IN\s+(ALL|NAME|EMAIL|PHONE|SIDEBAR)\s+FIELDS\b/i.exec(rest);
  if (inMatch) {
    group = (inMatch[1] ?? 'ALL').toUpperCase() as SearchGroup;
    rest = rest.slice(inMatch[0].length);
  }
  let returning: Returning[] = [];
  const ret = /^\s*RETURNING\b/i.exec(rest);
  if (ret) {
    const parsed = parseReturning(rest.slice(ret[0].length));
    returning = parsed.list;
    rest = parsed.rest;
  }
  let snippet: SoslStatement['snippet'];
  let limit: number | undefined;
  for (;;) {
    const withSnippet = /^\s*WITH\s+SNIPPET\b\s*(?:\(\s*target_length\s*=\s*(\d+)\s*\))?/i.exec(rest);
    if (withSnippet) {
      snippet = { targetLength: Number(withSnippet[1] ?? 120) };
      rest = rest.slice(withSnippet[0].length);
      continue;
    }
    // Other WITH clauses (DATA CATEGORY, HIGHLIGHT, SPELL_CORRECTION, METADATA, NETWORK) are accepted and ignored.
    const other =
      /^\s*WITH\s+(?:DATA\s+CATEGORY\s+[^]*?(?=\s+(?:WITH|LIMIT|UPDATE)\b|$)|HIGHLIGHT|SPELL_CORRECTION\s*=\s*\w+|METADATA\s*=\s*'[^']*'|NETWORK\s*=\s*'[^']*')/i.exec(
        rest,
      );
    if (other) {
      rest = rest.slice(other[0].length);
      continue;
    }
    const lim = /^\s*LIMIT\s+(\d+)/i.exec(rest);
    if (lim) {
      limit = Number(lim[1]);
      rest = rest.slice(lim[0].length);
      continue;
    }
    const upd = /^\s*UPDATE\s+(?:TRACKING|VIEWSTAT)/i.exec(rest);
    if (upd) {
      rest = rest.slice(upd[0].length);
      continue;
    }
    break;
  }
  if (rest.trim() !== '') throw malformedSearch(`unexpected token: '${rest.trim().split(/\s+/)[0] ?? ''}'`);
  return { terms, group, returning, snippet, limit };
}
