// Resolves SOQL field paths (`Subject`, `Contact.Account.Name`, `c.Owner.Name`) against the schema and the
// caller's field-level security, and reads their values from stored records.

import type { SObjectRecord } from '../org/contract.js';
import type { UserAccess } from '../org/access.js';
import type { RecordStore } from '../org/store.js';
import type { Schema } from '../schema/registry.js';
import type { FieldDef, ObjectDef } from '../schema/types.js';
import { noSuchColumn, noSuchRelation } from './query-errors.js';

/** Parent-relationship paths may walk at most five levels (salesforce.md 4.1). */
const MAX_DEPTH = 5;

export interface ResolveContext {
  soql: string;
  schema: Schema;
  access: UserAccess;
}

export interface FieldPath {
  /** the reference fields walked, in order */
  refs: FieldDef[];
  /** objects[0] is the root; objects[i + 1] is the target of refs[i] */
  objects: ObjectDef[];
  field: FieldDef;
  /** the object holding `field` */
  owner: ObjectDef;
  /** the path as written, for error diagrams */
  raw: string;
}

/** The object a lookup points to; polymorphic lookups (Owner) resolve to the Name entity. */
export function targetOf(schema: Schema, ref: FieldDef): ObjectDef | undefined {
  if (ref.polymorphic) return schema.get('Name');
  const name = ref.referenceTo[0];
  return name === undefined ? undefined : schema.get(name);
}

/** Splits off an object alias or the object's own name used as a prefix (`c.Subject`, `Case.Subject`). */
export function stripPrefix(root: ObjectDef, segments: string[], alias: string | undefined): string[] {
  if (segments.length < 2) return segments;
  const first = (segments[0] ?? '').toLowerCase();
  if (alias !== undefined && first === alias.toLowerCase()) return segments.slice(1);
  if (first === root.name.toLowerCase() && !root.relationshipIndex.has(first)) return segments.slice(1);
  return segments;
}

export function resolvePath(ctx: ResolveContext, root: ObjectDef, raw: string, alias?: string): FieldPath {
  const segments = stripPrefix(root, raw.split('.'), alias);
  const refs: FieldDef[] = [];
  const objects: ObjectDef[] = [root];
  let current = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const seg = segments[i] ?? '';
    const ref = current.relationshipIndex.get(seg.toLowerCase());
    const target = ref ? targetOf(ctx.schema, ref) : undefined;
    if (
      !ref ||
      !target ||
      !ctx.access.fieldReadable(current, ref) ||
      !ctx.access.canRead(target) ||
      refs.length >= MAX_DEPTH
    ) {
      throw noSuchRelation(ctx.soql, raw, seg);
    }
    refs.push(ref);
    objects.push(target);
    current = target;
  }
  const last = segments[segments.length - 1] ?? '';
  const field = current.fieldIndex.get(last.toLowerCase());
  if (!field || !ctx.access.fieldReadable(current, field))
    throw noSuchColumn(ctx.soql, raw, last, current.name);
  return { refs, objects, field, owner: current, raw };
}

/** Reads a field of a stored record, computing formula-like fields. */
export function readField(fields: SObjectRecord, field: FieldDef, store: RecordStore): unknown {
  if (field.compute) return field.compute(fields, (id) => store.live(id));
  return fields[field.name] ?? null;
}

/** A reader for a path: walks the lookups (a missing or deleted parent yields null) and reads the field. */
export function pathReader(path: FieldPath, store: RecordStore): (fields: SObjectRecord) => unknown {
  const { refs, field } = path;
  if (refs.length === 0) {
    if (field.compute) return (fields) => readField(fields, field, store);
    const name = field.name;
    return (fields) => fields[name] ?? null;
  }
  return (fields) => {
    let current: SObjectRecord | undefined = fields;
    for (const ref of refs) {
      current = store.live(current[ref.name]);
      if (!current) return null;
    }
    return readField(current, field, store);
  };
}
