// Turns a JSON request body into canonical, typed field values, refusing what Salesforce refuses:
// unknown fields, read-only fields, wrong types, over-long text, bad restricted picklist values, bad IDs.

import { keyPrefixOf, normalizeId } from '../ids.js';
import { asText, formatDatetime, parseDate, parseDatetime } from '../format.js';
import type { Schema } from '../schema/registry.js';
import { isTextType, type FieldDef, type ObjectDef } from '../schema/types.js';
import type { UserAccess } from './access.js';
import type { SObjectRecord } from './contract.js';
import {
  badPicklist,
  invalidCrossReference,
  jsonParserError,
  malformedId,
  noSuchField,
  readOnlyField,
  stringTooLong,
  wrongIdType,
} from './sobject-errors.js';
import { SalesforceError } from '../errors.js';
import type { RecordStore } from './store.js';

export type WriteMode = 'create' | 'update';

function deserializeError(type: string, value: unknown): SalesforceError {
  const token =
    typeof value === 'string'
      ? 'VALUE_STRING'
      : typeof value === 'number'
        ? 'VALUE_NUMBER_INT'
        : 'START_OBJECT';
  return jsonParserError(
    `Cannot deserialize instance of ${type} from ${token} value ${String(value)} or request may be missing a required field`,
  );
}

/** Resolves body keys case-insensitively and checks each is writable for this caller in this mode. */
export function resolveBody(
  obj: ObjectDef,
  body: SObjectRecord,
  mode: WriteMode,
  access: UserAccess,
): Map<FieldDef, unknown> {
  const out = new Map<FieldDef, unknown>();
  const readOnly: string[] = [];
  for (const [key, value] of Object.entries(body)) {
    if (key === 'attributes') continue;
    const f = obj.fieldIndex.get(key.toLowerCase());
    if (!f || !access.fieldReadable(obj, f)) throw noSuchField(key, obj.name);
    if (f.compute && access.system) continue;
    if (f.name === 'Id') {
      if (mode === 'create') {
        throw new SalesforceError(400, 'INVALID_FIELD', 'Record ID: cannot specify Id in an insert call', [
          'Id',
        ]);
      }
      continue;
    }
    const systemWritable = mode === 'create' ? f.createable : f.updateable;
    // Administrative writes (seeding) may set system fields such as CreatedDate; API callers may not.
    if (!access.system && (!systemWritable || !access.fieldEditable(obj, f))) {
      readOnly.push(f.name);
      continue;
    }
    out.set(f, value);
  }
  if (readOnly.length > 0) throw readOnlyField(readOnly);
  return out;
}

/**
 * The size of `text` as the field's limit counts it: UTF-8 bytes where the object reference says bytes, else
 * characters as JavaScript (and Java) count them, in UTF-16 code units, so an emoji counts 2. That emoji count is
 * unverified against a live org; the help article only says limits are "enforced at the character level".
 */
export function textSize(f: FieldDef, text: string): number {
  return f.lengthInBytes === true ? Buffer.byteLength(text, 'utf8') : text.length;
}

/** Converts one JSON value to the stored representation of the field's type. */
export function coerceValue(f: FieldDef, value: unknown, schema: Schema, store: RecordStore): unknown {
  if (value === null || value === undefined) return null;
  if (isTextType(f.type)) {
    if (typeof value === 'object') throw deserializeError('String', value);
    const text = asText(value);
    if (text === '') return null;
    if (f.length > 0 && textSize(f, text) > f.length) throw stringTooLong(f.label, f.name, text, f.length);
    if ((f.type === 'picklist' || f.type === 'multipicklist') && f.restrictedPicklist) {
      const allowed = new Set(f.picklistValues.filter((p) => p.active).map((p) => p.value));
      const parts = f.type === 'multipicklist' ? text.split(';') : [text];
      const bad = parts.find((p) => !allowed.has(p));
      if (bad !== undefined) throw badPicklist(f.label, f.name, bad);
    }
    return text;
  }
  switch (f.type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw deserializeError('boolean', value);
    case 'int':
    case 'double':
    case 'currency':
    case 'percent': {
      const n =
        typeof value === 'number'
          ? value
          : typeof value === 'string' && value.trim() !== ''
            ? Number(value)
            : NaN;
      if (!Number.isFinite(n)) throw deserializeError(f.type === 'int' ? 'int' : 'double', value);
      return f.type === 'int' ? Math.trunc(n) : n;
    }
    case 'date': {
      const d = typeof value === 'string' ? parseDate(value) : undefined;
      if (d === undefined) throw deserializeError('date', value);
      return d;
    }
    case 'datetime': {
      const t = typeof value === 'string' ? parseDatetime(value) : undefined;
      if (t === undefined) throw deserializeError('datetime', value);
      return formatDatetime(t);
    }
    case 'reference':
    case 'id':
      return coerceReference(f, value, schema, store);
  }
}

function coerceReference(f: FieldDef, value: unknown, schema: Schema, store: RecordStore): string | null {
  if (typeof value !== 'string') throw deserializeError('id', value);
  if (value === '') return null;
  const id = normalizeId(value);
  if (!id) throw malformedId(f.label, f.name, value);
  const targets = f.referenceTo
    .map((name) => schema.get(name)?.keyPrefix)
    .filter((p): p is string => Boolean(p));
  if (targets.length > 0 && !targets.includes(keyPrefixOf(id))) throw wrongIdType(f.label, f.name, value);
  const target = store.get(id);
  if (!target || target.deleted) throw invalidCrossReference(f.name);
  return id;
}
