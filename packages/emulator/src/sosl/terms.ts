// SOSL search terms: words, "quoted phrases", * and ? wildcards, AND / OR / AND NOT and parentheses; space
// between terms means AND. Matching is word-based and case-insensitive over text with HTML stripped.
// https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_sosl_find.htm

import { SalesforceError } from '../errors.js';
import { wildcardMatcher, type Matcher, type WildToken } from '../util/wildcard.js';

export type TermExpr =
  | { kind: 'term'; words: Matcher[]; text: string }
  | { kind: 'and' | 'or'; children: TermExpr[] }
  | { kind: 'not'; child: TermExpr };

const malformedSearch = (message: string): SalesforceError =>
  new SalesforceError(400, 'MALFORMED_SEARCH', message);

/** Splits text into lower-case words (letters, digits, and inner apostrophes/dots such as e-mail parts). */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}_]+/gu) ?? [];
}

/** Strips HTML tags and decodes the common entities, for rich-text fields. */
export function stripHtml(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
}

function wordRegex(word: string): Matcher {
  return wildcardMatcher(
    Array.from(word).map((ch): WildToken =>
      ch === '*' ? { kind: 'any' } : ch === '?' ? { kind: 'one' } : { kind: 'char', ch },
    ),
  );
}

function makeTerm(text: string, quoted: boolean): TermExpr {
  const parts = quoted ? (text.toLowerCase().match(/[\p{L}\p{N}_*?]+/gu) ?? []) : [text.toLowerCase()];
  const cleaned = parts.map((p) => p.replace(/[^\p{L}\p{N}_*?]/gu, '')).filter((p) => p !== '');
  if (cleaned.length === 0) throw malformedSearch(`search term must be longer than one character: ${text}`);
  for (const p of cleaned) {
    const plain = p.replace(/[*?]/g, '');
    if (plain.length < 2 && !quoted)
      throw malformedSearch(`search term must be longer than one character: ${text}`);
    if (plain.length === 0) throw malformedSearch(`search term must be longer than one character: ${text}`);
  }
  return { kind: 'term', words: cleaned.map(wordRegex), text };
}

type Tok = { t: 'word' | 'phrase'; v: string } | { t: 'AND' | 'OR' | 'NOT' | '(' | ')' };

function tokenize(query: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < query.length) {
    const ch = query[i] ?? '';
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '"') {
      const end = query.indexOf('"', i + 1);
      if (end === -1) throw malformedSearch('mismatched quotes in search term');
      out.push({ t: 'phrase', v: query.slice(i + 1, end) });
      i = end + 1;
    } else if (ch === '(' || ch === ')') {
      out.push({ t: ch });
      i++;
    } else {
      let word = '';
      while (i < query.length && !/[\s()"]/.test(query[i] ?? '')) {
        if (query[i] === '\\' && i + 1 < query.length) i++;
        word += query[i] ?? '';
        i++;
      }
      const upper = word.toUpperCase();
      if (upper === 'AND' || upper === 'OR' || upper === 'NOT') out.push({ t: upper });
      else if (word !== '') out.push({ t: 'word', v: word });
    }
  }
  return out;
}

// Beyond 4,000 characters Salesforce drops the logical operators (AND becomes OR); see the SOSL syntax page.
// https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-sosl-syntax.html
const OPERATORS_DROPPED_AFTER = 4_000;
// Parentheses nest at most this deep (the emulator's own guard: deeper nesting overflowed the stack, a 500).
const MAX_NESTING = 100;

export function parseTerms(query: string): TermExpr {
  let tokens = tokenize(query);
  if (query.length > OPERATORS_DROPPED_AFTER) {
    const plain = tokens.filter((t): t is Extract<Tok, { v: string }> => t.t === 'word' || t.t === 'phrase');
    if (plain.length === 0) throw malformedSearch('search term must be longer than one character');
    tokens = plain.flatMap((t, i): Tok[] => (i === 0 ? [t] : [{ t: 'OR' }, t]));
  }
  let pos = 0;
  let depth = 0;
  const primary = (): TermExpr => {
    const tok = tokens[pos++];
    if (!tok) throw malformedSearch('search term must be longer than one character');
    if (tok.t === '(') {
      if (++depth > MAX_NESTING) throw malformedSearch('search term is nested too deeply');
      const e = orExpr();
      if (tokens[pos++]?.t !== ')') throw malformedSearch('mismatched parentheses in search term');
      depth--;
      return e;
    }
    if (tok.t === 'word') return makeTerm(tok.v, false);
    if (tok.t === 'phrase') return makeTerm(tok.v, true);
    throw malformedSearch(`unexpected token in search term: ${tok.t}`);
  };
  const andExpr = (): TermExpr => {
    const children = [primary()];
    for (let t = tokens[pos]; t && t.t !== 'OR' && t.t !== ')'; t = tokens[pos]) {
      if (t.t === 'AND') {
        pos++;
        if (tokens[pos]?.t === 'NOT') {
          pos++;
          children.push({ kind: 'not', child: primary() });
          continue;
        }
      }
      children.push(primary());
    }
    return children.length === 1 ? (children[0] as TermExpr) : { kind: 'and', children };
  };
  const orExpr = (): TermExpr => {
    const children = [andExpr()];
    while (tokens[pos]?.t === 'OR') {
      pos++;
      children.push(andExpr());
    }
    return children.length === 1 ? (children[0] as TermExpr) : { kind: 'or', children };
  };
  const expr = orExpr();
  if (pos < tokens.length) throw malformedSearch('unexpected token in search term');
  return expr;
}

/** Does a term (a word or a phrase of consecutive words) occur in the word list? */
export function termMatches(term: Extract<TermExpr, { kind: 'term' }>, list: string[]): boolean {
  const n = term.words.length;
  for (let i = 0; i + n <= list.length; i++) {
    let ok = true;
    for (let j = 0; j < n; j++) {
      if (!(term.words[j] as Matcher).test(list[i + j] ?? '')) {
        ok = false;
        break;
      }
    }
    if (ok) return true;
  }
  return false;
}

/** The leaf terms of an expression that are not negated (used for ranking and snippets). */
export function positiveTerms(expr: TermExpr): Extract<TermExpr, { kind: 'term' }>[] {
  if (expr.kind === 'term') return [expr];
  if (expr.kind === 'not') return [];
  return expr.children.flatMap(positiveTerms);
}

/** Evaluates the expression against the per-field word lists of one record. */
export function evaluate(expr: TermExpr, fields: string[][]): boolean {
  switch (expr.kind) {
    case 'term':
      return fields.some((list) => termMatches(expr, list));
    case 'and':
      return expr.children.every((c) => evaluate(c, fields));
    case 'or':
      return expr.children.some((c) => evaluate(c, fields));
    case 'not':
      return !evaluate(expr.child, fields);
  }
}
