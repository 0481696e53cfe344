// WHERE clauses: rebuilds the condition tree from the parser's flat, parenthesis-counted chain (refusing AND/OR
// mixed without parentheses, as Salesforce does) and compiles it into a predicate over stored records.
// https://developer.salesforce.com/docs/platform/salesforce-soql-sosl/guide/sforce-api-calls-soql-select-conditionexpression.html

import type { ConditionWithValueQuery, Query, WhereClause } from '@jetstreamapp/soql-parser-js';
import { asText, formatDate, formatDatetime, parseDate, parseDatetime } from '../format.js';
import { normalizeId } from '../ids.js';
import type { SObjectRecord } from '../org/contract.js';
import type { RecordStore } from '../org/store.js';
import { isTextType, type FieldDef, type ObjectDef } from '../schema/types.js';
import { dateLiteralRange, decodeString, likeRegex } from './literals.js';
import { malformed, queryError } from './query-errors.js';
import { pathReader, resolvePath, type FieldPath, type ResolveContext } from './resolve.js';

export type Predicate = (fields: SObjectRecord) => boolean;

export interface WhereContext extends ResolveContext {
  store: RecordStore;
  now: Date;
  alias: string | undefined;
  /** runs a semi-join subquery and returns the values of its single selected field */
  semiJoin(query: Query): Set<unknown>;
}

/** The compiled tree, kept for rules that inspect filters (Knowledge's PublishStatus restriction). */
export type CondNode =
  | { kind: 'and' | 'or'; children: CondNode[] }
  | { kind: 'not'; child: CondNode }
  | { kind: 'cond'; path: FieldPath; operator: string; values: (string | null)[] };

export interface CompiledWhere {
  predicate: Predicate;
  tree: CondNode;
}

type Token = { t: '(' | ')' | 'NOT' | 'AND' | 'OR' } | { t: 'cond'; c: ConditionWithValueQuery };

function flatten(where: WhereClause): Token[] {
  const out: Token[] = [];
  let node: WhereClause | undefined = where;
  while (node) {
    const left = node.left;
    if (left && ('field' in left || 'fn' in left)) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push({ t: '(' });
      out.push({ t: 'cond', c: left });
      for (let i = 0; i < (left.closeParen ?? 0); i++) out.push({ t: ')' });
    } else if (left) {
      for (let i = 0; i < (left.openParen ?? 0); i++) out.push({ t: '(' });
    }
    if ('operator' in node && node.operator) out.push({ t: node.operator });
    node = 'right' in node ? node.right : undefined;
  }
  return out;
}

type Kind = 'text' | 'id' | 'bool' | 'number' | 'datetime' | 'date';

function kindOf(f: FieldDef): Kind {
  if (isTextType(f.type)) return 'text';
  switch (f.type) {
    case 'id':
    case 'reference':
      return 'id';
    case 'boolean':
      return 'bool';
    case 'int':
    case 'double':
    case 'currency':
    case 'percent':
      return 'number';
    case 'datetime':
      return 'datetime';
    case 'date':
      return 'date';
  }
}

const TYPE_NAMES: Record<Kind, string> = {
  text: 'string',
  id: 'id',
  bool: 'boolean',
  number: 'double',
  datetime: 'dateTime',
  date: 'date',
};

/** A literal after typing against its field: a point value, null, or a date-literal interval [lo, hi). */
type Lit = { point: string | number | boolean | null } | { lo: string; hi: string };

/** SOQL refuses AND and OR at one nesting level without parentheses ("unexpected token: OR"). */
function checkMixing(ctx: WhereContext, tokens: Token[]): void {
  const stack: (string | undefined)[] = [undefined];
  for (const tok of tokens) {
    if (tok.t === '(') stack.push(undefined);
    else if (tok.t === ')') stack.pop();
    else if (tok.t === 'AND' || tok.t === 'OR') {
      const seen = stack[stack.length - 1];
      if (seen !== undefined && seen !== tok.t) throw malformed(ctx.soql, tok.t);
      stack[stack.length - 1] = tok.t;
    }
  }
}

export function compileWhere(ctx: WhereContext, root: ObjectDef, where: WhereClause): CompiledWhere {
  const tokens = flatten(where);
  checkMixing(ctx, tokens);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];

  const parseExpr = (): CompiledWhere => {
    const first = parseUnary();
    const items = [first];
    let op: 'AND' | 'OR' | undefined;
    for (let tok = peek(); tok && (tok.t === 'AND' || tok.t === 'OR'); tok = peek()) {
      if (op && op !== tok.t) throw malformed(ctx.soql, tok.t);
      op = tok.t;
      pos++;
      items.push(parseUnary());
    }
    if (!op) return first;
    const preds = items.map((i) => i.predicate);
    const tree: CondNode = { kind: op === 'AND' ? 'and' : 'or', children: items.map((i) => i.tree) };
    const predicate: Predicate =
      op === 'AND' ? (r) => preds.every((p) => p(r)) : (r) => preds.some((p) => p(r));
    return { predicate, tree };
  };

  const parseUnary = (): CompiledWhere => {
    const tok = tokens[pos++];
    if (!tok) throw malformed(ctx.soql, '');
    if (tok.t === 'NOT') {
      const inner = parseUnary();
      return { predicate: (r) => !inner.predicate(r), tree: { kind: 'not', child: inner.tree } };
    }
    if (tok.t === '(') {
      const inner = parseExpr();
      if (tokens[pos++]?.t !== ')') throw malformed(ctx.soql, '');
      return inner;
    }
    if (tok.t === 'cond') return compileCondition(ctx, root, tok.c);
    throw malformed(ctx.soql, tok.t);
  };

  const result = parseExpr();
  const rest = tokens[pos];
  if (rest) throw malformed(ctx.soql, rest.t === 'cond' ? '' : rest.t);
  return result;
}

function typeMismatch(ctx: WhereContext, path: FieldPath, kind: Kind) {
  const quoted = kind === 'text' || kind === 'id';
  return queryError(
    ctx.soql,
    path.raw,
    'INVALID_FIELD',
    `value of filter criterion for field '${path.field.name}' must be of type ${TYPE_NAMES[kind]} and should ${quoted ? '' : 'not '}be enclosed in quotes`,
  );
}

function typeLiteral(
  ctx: WhereContext,
  path: FieldPath,
  kind: Kind,
  raw: string,
  type: string,
  like: boolean,
): Lit {
  if (type === 'NULL') return { point: null };
  switch (kind) {
    case 'text': {
      if (type !== 'STRING') throw typeMismatch(ctx, path, kind);
      const s = decodeString(raw, like);
      if (s === undefined)
        throw malformed(
          ctx.soql,
          raw,
          `Invalid string literal '${raw}'. Illegal character sequence '\\' in string literal.`,
        );
      return { point: like ? s : s.toLowerCase() };
    }
    case 'id': {
      if (type !== 'STRING') throw typeMismatch(ctx, path, kind);
      const s = decodeString(raw) ?? raw;
      // An empty Id literal is refused like any malformed one ("invalid ID field: "). Whether a live org takes
      // `Id = ''` as null is undocumented (see the emulator README); the stricter answer keeps a client honest:
      // one that never sends it works whichever way Salesforce decides.
      const id = normalizeId(s);
      if (!id) throw queryError(ctx.soql, raw, 'INVALID_QUERY_FILTER_OPERATOR', `invalid ID field: ${s}`);
      return { point: id };
    }
    case 'bool':
      if (type !== 'BOOLEAN') throw typeMismatch(ctx, path, kind);
      return { point: raw.toUpperCase() === 'TRUE' };
    case 'number':
      if (type !== 'INTEGER' && type !== 'DECIMAL') throw typeMismatch(ctx, path, kind);
      return { point: Number(raw) };
    case 'datetime':
    case 'date': {
      if (type === 'DATE_LITERAL' || type === 'DATE_N_LITERAL') {
        const range = dateLiteralRange(raw, ctx.now);
        if (!range) throw malformed(ctx.soql, raw);
        const fmt = kind === 'date' ? formatDate : formatDatetime;
        return { lo: fmt(range.start), hi: fmt(range.end) };
      }
      if (kind === 'datetime' && type === 'DATETIME') {
        const t = parseDatetime(raw);
        if (t === undefined) throw malformed(ctx.soql, raw);
        return { point: formatDatetime(t) };
      }
      if (kind === 'date' && type === 'DATE') {
        if (parseDate(raw) === undefined) throw malformed(ctx.soql, raw);
        return { point: raw };
      }
      throw typeMismatch(ctx, path, kind);
    }
  }
}

function normaliseValue(kind: Kind, v: unknown): string | number | boolean | null {
  if (v === null || v === undefined) return null;
  if (kind === 'text') return asText(v).toLowerCase();
  if (kind === 'number') return Number(v);
  if (kind === 'bool') return Boolean(v);
  return asText(v);
}

/** Equality of a stored value with a typed literal (intervals match values inside them). */
function equals(v: string | number | boolean | null, lit: Lit): boolean {
  if ('lo' in lit) return v !== null && v >= lit.lo && v < lit.hi;
  return v === lit.point;
}

function ordered(v: string | number | boolean | null, lit: Lit, op: string): boolean {
  if (v === null) return false;
  if ('lo' in lit) {
    switch (op) {
      case '<':
        return v < lit.lo;
      case '<=':
        return v < lit.hi;
      case '>':
        return v >= lit.hi;
      default:
        return v >= lit.lo;
    }
  }
  const p = lit.point;
  if (p === null) return false;
  switch (op) {
    case '<':
      return v < p;
    case '<=':
      return v <= p;
    case '>':
      return v > p;
    default:
      return v >= p;
  }
}

function compileCondition(ctx: WhereContext, root: ObjectDef, c: ConditionWithValueQuery): CompiledWhere {
  if (!('field' in c)) {
    const fnName = 'fn' in c ? (c.fn.functionName ?? c.fn.rawValue ?? '') : '';
    throw malformed(
      ctx.soql,
      fnName,
      `unexpected token: '${fnName}': date functions in WHERE are not supported by the emulator`,
    );
  }
  const path = resolvePath(ctx, root, c.field, ctx.alias);
  const f = path.field;
  if (!f.filterable) {
    throw queryError(
      ctx.soql,
      c.field,
      'INVALID_FIELD',
      `field '${f.name}' can not be filtered in query call`,
    );
  }
  const read = pathReader(path, ctx.store);
  const kind = kindOf(f);
  const op = c.operator;

  if ('valueQuery' in c) {
    if (op !== 'IN' && op !== 'NOT IN') throw malformed(ctx.soql, c.field);
    const set = ctx.semiJoin(c.valueQuery);
    const negate = op === 'NOT IN';
    return {
      predicate: (r) => set.has(read(r)) !== negate,
      tree: { kind: 'cond', path, operator: op, values: [] },
    };
  }

  const rawValues = Array.isArray(c.value) ? c.value : [c.value];
  const rawTypes = Array.isArray(c.literalType)
    ? c.literalType
    : rawValues.map(() => c.literalType ?? 'STRING');
  const like = op === 'LIKE';
  const lits = rawValues.map((raw, i) =>
    typeLiteral(ctx, path, kind, raw, String(rawTypes[i] ?? 'STRING'), like),
  );
  const values = lits.map((l) => ('point' in l ? (l.point === null ? null : String(l.point)) : l.lo));
  const tree: CondNode = { kind: 'cond', path, operator: op, values };
  const first = lits[0] ?? { point: null };

  let predicate: Predicate;
  switch (op) {
    case '=':
      predicate = (r) => equals(normaliseValue(kind, read(r)), first);
      break;
    case '!=':
      predicate = (r) => !equals(normaliseValue(kind, read(r)), first);
      break;
    case '<':
    case '<=':
    case '>':
    case '>=':
      if (kind === 'bool' || ('point' in first && first.point === null)) {
        throw queryError(
          ctx.soql,
          c.field,
          'INVALID_QUERY_FILTER_OPERATOR',
          `invalid operator on ${TYPE_NAMES[kind]} field`,
        );
      }
      predicate = (r) => ordered(normaliseValue(kind, read(r)), first, op);
      break;
    case 'LIKE': {
      if (kind !== 'text') {
        throw queryError(
          ctx.soql,
          c.field,
          'INVALID_QUERY_FILTER_OPERATOR',
          `invalid operator on ${TYPE_NAMES[kind]} field`,
        );
      }
      const pattern =
        'point' in first && typeof first.point === 'string' ? likeRegex(first.point) : undefined;
      predicate = (r) => {
        const v = read(r);
        return pattern !== undefined && v !== null && pattern.test(asText(v));
      };
      break;
    }
    case 'IN':
    case 'NOT IN': {
      const negate = op === 'NOT IN';
      predicate = (r) => {
        const v = normaliseValue(kind, read(r));
        return lits.some((l) => equals(v, l)) !== negate;
      };
      break;
    }
    case 'INCLUDES':
    case 'EXCLUDES': {
      if (f.type !== 'multipicklist') {
        throw queryError(
          ctx.soql,
          c.field,
          'INVALID_QUERY_FILTER_OPERATOR',
          'includes or excludes operator only valid on multipicklist field',
        );
      }
      // INCLUDES ('a;b', 'c'): the row holds both a and b, or holds c; EXCLUDES is its negation.
      // https://developer.salesforce.com/docs/atlas.en-us.soql_sosl.meta/soql_sosl/sforce_api_calls_soql_querying_multiselect_picklists.htm
      const wanted = rawValues.map((raw) =>
        String(raw)
          .replace(/^'|'$/g, '')
          .split(';')
          .map((v) => v.trim().toLowerCase())
          .filter((v) => v !== ''),
      );
      const negate = op === 'EXCLUDES';
      predicate = (r) => {
        const held = new Set(
          asText(read(r) ?? '')
            .split(';')
            .map((v) => v.trim().toLowerCase()),
        );
        return wanted.some((all) => all.every((v) => held.has(v))) !== negate;
      };
      break;
    }
  }
  return { predicate, tree };
}
