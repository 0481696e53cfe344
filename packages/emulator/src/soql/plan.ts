// Compiles a parsed SOQL statement into a plan: the resolved select list (fields, parent paths, child
// subqueries, aggregates), the WHERE predicate, ordering and LIMIT/OFFSET, all checked against the schema and
// the caller's access. Plans are built per call; only parsing is cached.

import type {
  FieldType as AstField,
  GroupByClause,
  OrderByClause,
  Query,
  Subquery,
} from '@jetstreamapp/soql-parser-js';
import { SalesforceError } from '../errors.js';
import { isTextType, type ChildRelationship, type ObjectDef } from '../schema/types.js';
import { malformed, queryError, unknownType } from './query-errors.js';
import { pathReader, resolvePath, type FieldPath } from './resolve.js';
import { compileWhere, type CompiledWhere, type WhereContext } from './where.js';
import type { SObjectRecord } from '../org/contract.js';

/** Maximum OFFSET (salesforce.md 4.1). */
export const MAX_OFFSET = 2000;

export interface OrderSpec {
  read: (fields: SObjectRecord) => unknown;
  text: boolean;
  desc: boolean;
  nullsLast: boolean;
}

export interface AggregateItem {
  fn: string;
  path: FieldPath | undefined;
  key: string;
  display: string;
}

export interface SubqueryItem {
  rel: ChildRelationship;
  key: string;
  plan: Plan;
}

export type SelectItem =
  | { kind: 'field'; path: FieldPath }
  | { kind: 'sub'; sub: SubqueryItem }
  | { kind: 'agg'; agg: AggregateItem };

export interface Plan {
  soql: string;
  obj: ObjectDef;
  items: SelectItem[];
  where: CompiledWhere | undefined;
  order: OrderSpec[];
  limit: number | undefined;
  offset: number;
  countOnly: boolean;
  aggregate: boolean;
  groupBy: FieldPath[];
  /** 200 when two or more long text / rich text fields are selected, else undefined (2,000) */
  batchCap: number | undefined;
  /** IDs from a top-level `Id = ...` / `Id IN (...)` filter: the scan reads only these rows */
  idSeeds: string[] | undefined;
}

/** Finds a top-level Id filter so Id lookups skip the table scan. */
function idSeedsOf(where: CompiledWhere | undefined): string[] | undefined {
  if (!where) return undefined;
  const top = where.tree.kind === 'and' ? where.tree.children : [where.tree];
  for (const n of top) {
    if (n.kind !== 'cond' || n.path.refs.length > 0 || n.path.field.name !== 'Id') continue;
    const ids = n.values.filter((v): v is string => v !== null);
    if ((n.operator === '=' || n.operator === 'IN') && ids.length === n.values.length) return ids;
  }
  return undefined;
}

export interface PlanContext extends Omit<WhereContext, 'alias'> {
  apiVersion: string;
}

function rawPath(f: AstField): string | undefined {
  switch (f.type) {
    case 'Field':
      return 'objectPrefix' in f && f.objectPrefix ? `${f.objectPrefix}.${f.field}` : f.field;
    case 'FieldRelationship':
      return [
        ...('objectPrefix' in f && f.objectPrefix ? [f.objectPrefix] : []),
        ...f.relationships,
        f.field,
      ].join('.');
    case 'FieldFunctionExpression':
    case 'FieldSubquery':
    case 'FieldTypeof':
      return undefined;
  }
}

function readableObject(ctx: PlanContext, name: string): ObjectDef | undefined {
  const obj = ctx.schema.get(name);
  if (!obj || obj.hidden || !ctx.access.canRead(obj)) return undefined;
  return obj;
}

/** Expands FIELDS(ALL|STANDARD|CUSTOM) into the caller's readable fields. */
function expandFields(ctx: PlanContext, obj: ObjectDef, which: string, limit: number | undefined): string[] {
  const mode = which.toUpperCase();
  if ((mode === 'ALL' || mode === 'CUSTOM') && (limit === undefined || limit > 200)) {
    throw malformed(ctx.soql, 'FIELDS', 'The SOQL FIELDS function must have a LIMIT of at most 200');
  }
  return obj.fields
    .filter((f) => ctx.access.fieldReadable(obj, f))
    .filter((f) => (mode === 'CUSTOM' ? f.custom : mode === 'STANDARD' ? !f.custom : true))
    .map((f) => f.name);
}

export function compilePlan(ctx: PlanContext, query: Query | Subquery, rootOverride?: ObjectDef): Plan {
  const soql = ctx.soql;
  let obj: ObjectDef;
  if (rootOverride) obj = rootOverride;
  else {
    const name = (query as Query).sObject ?? '';
    const found = readableObject(ctx, name);
    if (!found) throw unknownType(soql, name);
    obj = found;
  }
  const alias = query.sObjectAlias;
  const wctx: WhereContext = { ...ctx, alias };
  const items: SelectItem[] = [];
  const seen = new Set<string>();
  let countOnly = false;
  let exprIndex = 0;

  const addField = (raw: string): void => {
    const path = resolvePath(wctx, obj, raw, alias);
    const key = [...path.refs.map((r) => r.name), path.field.name].join('.').toLowerCase();
    if (seen.has(key)) return;
    seen.add(key);
    items.push({ kind: 'field', path });
  };

  // "The fieldList cannot contain duplicate field names" (FIELDS() may overlap a named field, and does not count).
  // https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/sforce_api_partner_queries.htm
  const named = new Set<string>();
  for (const f of query.fields ?? []) {
    const raw = rawPath(f);
    if (raw !== undefined) {
      const path = resolvePath(wctx, obj, raw, alias);
      const key = [...path.refs.map((r) => r.name), path.field.name].join('.').toLowerCase();
      if (named.has(key)) throw malformed(soql, raw, `duplicate field selected: ${raw}`);
      named.add(key);
      addField(raw);
      continue;
    }
    if (f.type === 'FieldSubquery') {
      if ('relationshipName' in query) throw malformed(soql, '(', 'unexpected token: (');
      const relName = f.subquery.relationshipName;
      const rel = obj.childIndex.get(relName.toLowerCase());
      const child = rel ? readableObject(ctx, rel.childSObject) : undefined;
      if (!rel || !child) {
        throw queryError(
          soql,
          relName,
          'INVALID_TYPE',
          `Didn't understand relationship '${relName}' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names.`,
        );
      }
      if (f.subquery.offset !== undefined) throw malformed(soql, 'OFFSET');
      const plan = compilePlan(ctx, f.subquery, child);
      items.push({ kind: 'sub', sub: { rel, key: rel.relationshipName ?? relName, plan } });
      continue;
    }
    if (f.type === 'FieldFunctionExpression') {
      const fn = f.functionName.toUpperCase();
      const param = f.parameters[0];
      if (fn === 'FIELDS') {
        for (const name of expandFields(ctx, obj, typeof param === 'string' ? param : '', query.limit))
          addField(name);
        continue;
      }
      if (f.isAggregateFn) {
        if (fn === 'COUNT' && f.parameters.length === 0) {
          countOnly = true;
          continue;
        }
        if (typeof param !== 'string') throw malformed(soql, fn);
        const path = resolvePath(wctx, obj, param, alias);
        const key = f.alias ?? `expr${exprIndex++}`;
        items.push({ kind: 'agg', agg: { fn, path, key, display: `${fn}(${path.field.name})` } });
        continue;
      }
      if ((fn === 'TOLABEL' || fn === 'FORMAT' || fn === 'CONVERTCURRENCY') && typeof param === 'string') {
        addField(param);
        continue;
      }
      throw malformed(soql, f.functionName);
    }
    throw malformed(soql, 'TYPEOF', "unexpected token: 'TYPEOF': TYPEOF is not supported by the emulator");
  }

  if (countOnly && items.length > 0) throw malformed(soql, ',');
  const groupBy = compileGroupBy(wctx, obj, query);
  const aggregate = items.some((i) => i.kind === 'agg') || groupBy.length > 0;
  if (aggregate) {
    const grouped = new Set(groupBy.map((g) => g.raw.toLowerCase()));
    for (const item of items) {
      if (item.kind === 'field' && !grouped.has(item.path.raw.toLowerCase())) {
        throw malformed(soql, item.path.raw, `Field must be grouped or aggregated: ${item.path.field.name}`);
      }
      if (item.kind === 'sub') throw malformed(soql, '(');
    }
  }
  if (query.having)
    throw malformed(soql, 'HAVING', "unexpected token: 'HAVING': HAVING is not supported by the emulator");

  const where = query.where ? compileWhere(wctx, obj, query.where) : undefined;
  const order = compileOrder(wctx, obj, query.orderBy);
  const offset = query.offset ?? 0;
  if (offset > MAX_OFFSET) {
    throw new SalesforceError(
      400,
      'NUMBER_OUTSIDE_VALID_RANGE',
      `Maximum SOQL offset allowed is ${MAX_OFFSET}`,
    );
  }
  const longText = items.filter((i) => i.kind === 'field' && i.path.field.longText).length;
  return {
    soql,
    obj,
    items,
    where,
    order,
    limit: query.limit,
    offset,
    countOnly,
    aggregate,
    groupBy,
    batchCap: longText >= 2 ? 200 : undefined,
    idSeeds: idSeedsOf(where),
  };
}

/** The describe flag a field needs to appear in each clause, and the verb of the refusal without it. */
const CLAUSE_FLAGS = {
  'GROUP BY': { flag: 'groupable', verb: 'grouped' },
  'ORDER BY': { flag: 'sortable', verb: 'sorted' },
} as const;

/** The field a GROUP BY or ORDER BY entry names; a function entry, or a field that forbids the use, is refused. */
function clauseField(
  ctx: WhereContext,
  obj: ObjectDef,
  clause: keyof typeof CLAUSE_FLAGS,
  entry: GroupByClause | OrderByClause,
): FieldPath {
  if (!('field' in entry)) throw malformed(ctx.soql, clause);
  const path = resolvePath(ctx, obj, entry.field, ctx.alias);
  const use = CLAUSE_FLAGS[clause];
  if (!path.field[use.flag]) {
    throw queryError(
      ctx.soql,
      entry.field,
      'INVALID_FIELD',
      `field '${path.field.name}' can not be ${use.verb} in a query call`,
    );
  }
  return path;
}

/** A clause the parser gives as one entry, a list or nothing, as a list. */
const asList = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

function compileGroupBy(ctx: WhereContext, obj: ObjectDef, query: Query | Subquery): FieldPath[] {
  return asList(query.groupBy).map((g) => clauseField(ctx, obj, 'GROUP BY', g));
}

function compileOrder(
  ctx: WhereContext,
  obj: ObjectDef,
  orderBy: OrderByClause | OrderByClause[] | undefined,
): OrderSpec[] {
  return asList(orderBy).map((o) => {
    const path = clauseField(ctx, obj, 'ORDER BY', o);
    return {
      read: pathReader(path, ctx.store),
      text: isTextType(path.field.type),
      desc: o.order === 'DESC',
      // Nulls sort first unless NULLS LAST is given (salesforce.md 4.1).
      nullsLast: o.nulls === 'LAST',
    };
  });
}
