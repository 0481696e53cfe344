// Runs a plan: scans the object's table (no copy), keeps the rows the caller may see that match the WHERE
// predicate, sorts them (case-insensitive text, nulls first unless NULLS LAST), applies OFFSET/LIMIT, and
// projects rows into the REST shape with parent relationships and child subqueries.

import { asText } from '../format.js';
import type { UserAccess } from '../org/access.js';
import type { SObjectRecord } from '../org/contract.js';
import type { RecordStore, StoredRecord } from '../org/store.js';
import type { Schema } from '../schema/registry.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import type { OrderSpec, Plan, SubqueryItem } from './plan.js';
import { readField, targetOf, type FieldPath } from './resolve.js';

export interface ExecEnv {
  schema: Schema;
  store: RecordStore;
  access: UserAccess;
  apiVersion: string;
  includeDeleted: boolean;
  /** extra row filter (Knowledge's implicit PublishStatus = 'Online' for API 46.0 and older) */
  rowFilter?: (fields: SObjectRecord) => boolean;
}

/** Rows of `obj` the caller may see, matching the plan's WHERE, in table (creation) order. */
function scan(plan: Plan, env: ExecEnv, extra?: (r: StoredRecord) => boolean): StoredRecord[] {
  const { obj, where } = plan;
  const out: StoredRecord[] = [];
  const pred = where?.predicate;
  const needsVisibility =
    !env.access.system &&
    obj.access !== 'crud' &&
    obj.access !== 'read-only' &&
    obj.access !== 'user' &&
    obj.access !== 'setup';
  const source = plan.idSeeds
    ? [...new Set(plan.idSeeds)]
        .sort()
        .map((id) => env.store.get(id))
        .filter((r): r is StoredRecord => r?.sobject === obj.table)
    : env.store.table(obj.table);
  for (const r of source) {
    if (r.deleted && !env.includeDeleted) continue;
    if (extra && !extra(r)) continue;
    if (needsVisibility && !env.access.canSee(obj, r)) continue;
    if (env.rowFilter && !env.rowFilter(r.fields)) continue;
    if (pred && !pred(r.fields)) continue;
    out.push(r);
  }
  return out;
}

function sortKey(spec: OrderSpec, fields: SObjectRecord): unknown {
  const v = spec.read(fields);
  if (v === null || v === undefined) return null;
  return spec.text ? asText(v).toLowerCase() : v;
}

export function sortRows(rows: StoredRecord[], order: OrderSpec[]): StoredRecord[] {
  if (order.length === 0) return rows;
  const keyed = rows.map((r) => ({ r, k: order.map((o) => sortKey(o, r.fields)) }));
  keyed.sort((a, b) => {
    for (let i = 0; i < order.length; i++) {
      const o = order[i] as OrderSpec;
      const x = a.k[i] as string | number | boolean | null;
      const y = b.k[i] as string | number | boolean | null;
      if (x === y) continue;
      if (x === null) return o.nullsLast ? 1 : -1;
      if (y === null) return o.nullsLast ? -1 : 1;
      const c = x < y ? -1 : 1;
      return o.desc ? -c : c;
    }
    return 0;
  });
  return keyed.map((k) => k.r);
}

/** The full matching, ordered, offset and limited row list of a top-level plan. */
export function matchRows(plan: Plan, env: ExecEnv): StoredRecord[] {
  const rows = sortRows(scan(plan, env), plan.order);
  const end = plan.limit === undefined ? undefined : plan.offset + plan.limit;
  return plan.offset > 0 || end !== undefined ? rows.slice(plan.offset, end) : rows;
}

export function recordUrl(apiVersion: string, type: string, id: unknown): string {
  return `/services/data/v${apiVersion}/sobjects/${type}/${String(id)}`;
}

type Entry =
  | { kind: 'value'; key: string; field: FieldDef }
  | { kind: 'rel'; key: string; ref: FieldDef; node: ProjectionNode }
  | { kind: 'sub'; key: string; sub: SubqueryItem };

interface ProjectionNode {
  obj: ObjectDef;
  entries: Entry[];
}

/** Builds the projection tree: relationship paths sharing a prefix share one nested object. */
export function projectionOf(plan: Plan, schema: Schema): ProjectionNode {
  const root: ProjectionNode = { obj: plan.obj, entries: [] };
  const addPath = (path: FieldPath): void => {
    let node = root;
    for (const ref of path.refs) {
      const key = ref.relationshipName ?? ref.name;
      let entry = node.entries.find(
        (e): e is Extract<Entry, { kind: 'rel' }> => e.kind === 'rel' && e.key === key,
      );
      if (!entry) {
        const target = targetOf(schema, ref);
        if (!target) return;
        entry = { kind: 'rel', key, ref, node: { obj: target, entries: [] } };
        node.entries.push(entry);
      }
      node = entry.node;
    }
    if (!node.entries.some((e) => e.kind === 'value' && e.key === path.field.name)) {
      node.entries.push({ kind: 'value', key: path.field.name, field: path.field });
    }
  };
  for (const item of plan.items) {
    if (item.kind === 'field') addPath(item.path);
    else if (item.kind === 'sub') root.entries.push({ kind: 'sub', key: item.sub.key, sub: item.sub });
  }
  return root;
}

/** Child rows per parent ID for one subquery over one page of parents (one scan of the child table). */
type ChildIndex = Map<string, Map<unknown, StoredRecord[]>>;

function childIndexFor(entries: Entry[], parents: StoredRecord[], env: ExecEnv): ChildIndex {
  const index: ChildIndex = new Map();
  for (const e of entries) {
    if (e.kind !== 'sub') continue;
    const wanted = new Set(parents.map((p) => p.fields['Id']));
    const byParent = new Map<unknown, StoredRecord[]>();
    const fieldName = e.sub.rel.field;
    for (const r of scan(e.sub.plan, env, (r) => wanted.has(r.fields[fieldName]))) {
      const key = r.fields[fieldName];
      const list = byParent.get(key);
      if (list) list.push(r);
      else byParent.set(key, [r]);
    }
    index.set(e.key, byParent);
  }
  return index;
}

export class Projector {
  private readonly root: ProjectionNode;

  constructor(
    private readonly plan: Plan,
    private readonly env: ExecEnv,
  ) {
    this.root = projectionOf(plan, env.schema);
  }

  /** Projects one page of rows. */
  page(rows: StoredRecord[]): SObjectRecord[] {
    const children = childIndexFor(this.root.entries, rows, this.env);
    return rows.map((r) => this.node(this.root, r.fields, children));
  }

  private attributes(obj: ObjectDef, fields: SObjectRecord): SObjectRecord {
    const id = fields['Id'];
    // Polymorphic lookups report the Name entity as type but the concrete object's URL.
    const urlType =
      obj.name === 'Name' ? (this.env.schema.byKeyPrefix(String(id).slice(0, 3))?.name ?? 'User') : obj.name;
    return { type: obj.name, url: recordUrl(this.env.apiVersion, urlType, id) };
  }

  private node(node: ProjectionNode, fields: SObjectRecord, children?: ChildIndex): SObjectRecord {
    const out: SObjectRecord = { attributes: this.attributes(node.obj, fields) };
    for (const e of node.entries) {
      switch (e.kind) {
        case 'value':
          out[e.key] = readField(fields, e.field, this.env.store);
          break;
        case 'rel': {
          const parent = this.env.store.live(fields[e.ref.name]);
          out[e.key] = parent ? this.node(e.node, parent) : null;
          break;
        }
        case 'sub': {
          const rows = children?.get(e.key)?.get(fields['Id']);
          out[e.key] = rows ? this.subquery(e.sub, rows) : null;
          break;
        }
      }
    }
    return out;
  }

  private subquery(sub: SubqueryItem, rows: StoredRecord[]): SObjectRecord | null {
    let list = sortRows(rows, sub.plan.order);
    if (sub.plan.limit !== undefined) list = list.slice(0, sub.plan.limit);
    if (list.length === 0) return null;
    const projector = new Projector(sub.plan, this.env);
    return { totalSize: list.length, done: true, records: projector.page(list) };
  }
}

/** Counts the rows a COUNT() query matches (LIMIT caps the count). */
export function countRows(plan: Plan, env: ExecEnv): number {
  const n = scan(plan, env).length - plan.offset;
  const capped = plan.limit === undefined ? n : Math.min(n, plan.limit);
  return Math.max(0, capped);
}

export { scan as scanRows };
