// Runs a query job's SOQL through the org data engine as the job's creator (so permissions, field-level security
// and sharing apply exactly as for REST) and turns the records into CSV cells as Bulk API 2.0 writes them:
// canonical field names in the header, `Account.Name` for a parent's field, every value quoted, null as an empty
// quoted field, datetimes in UTC with a `Z` (the developer guide's examples; the exact form is unverified).

import { SalesforceError } from '../errors.js';
import type { CallContext, OrgData, SObjectRecord } from '../org/contract.js';
import type { SelectColumn } from './query-restrictions.js';

interface DescribedField {
  name: string;
  type: string;
  relationshipName: string | null;
  referenceTo: string[];
}

/** the object's fields; none when the caller may not describe it (a parent the query reaches but cannot read) */
function fieldsOf(data: OrgData, ctx: CallContext, sobject: string): DescribedField[] {
  let describe: Record<string, unknown>;
  try {
    describe = data.describe(ctx, sobject);
  } catch (err) {
    if (err instanceof SalesforceError) return [];
    throw err;
  }
  return Array.isArray(describe['fields']) ? (describe['fields'] as DescribedField[]) : [];
}

interface ResolvedColumn {
  header: string;
  /** canonical names along the path */
  path: string[];
  type: string;
}

/** the canonical path and type of each column; a column the describe does not know keeps its written form */
export function resolveColumns(
  data: OrgData,
  ctx: CallContext,
  sobject: string,
  columns: SelectColumn[],
): ResolvedColumn[] {
  return columns.map((column) => {
    let object: string | undefined = sobject;
    const path: string[] = [];
    let type = 'string';
    column.path.forEach((segment, index) => {
      const fields = object === undefined ? [] : fieldsOf(data, ctx, object);
      const last = index === column.path.length - 1;
      const lower = segment.toLowerCase();
      const found = last
        ? fields.find((f) => f.name.toLowerCase() === lower)
        : fields.find((f) => f.relationshipName?.toLowerCase() === lower);
      path.push(found === undefined ? segment : last ? found.name : (found.relationshipName ?? segment));
      if (last) type = found?.type ?? 'string';
      object = last ? undefined : found?.referenceTo[0];
    });
    return { header: path.join('.'), path, type };
  });
}

function valueAt(record: SObjectRecord, path: string[]): unknown {
  let current: unknown = record;
  for (const segment of path) {
    if (typeof current !== 'object' || current === null) return null;
    const entry = Object.entries(current).find(([key]) => key.toLowerCase() === segment.toLowerCase());
    current = entry?.[1] ?? null;
  }
  return current;
}

const DECIMAL_TYPES = new Set(['double', 'currency', 'percent']);

function cell(value: unknown, type: string): string {
  if (value === null || value === undefined) return '';
  if (type === 'datetime' && typeof value === 'string') return value.replace(/\+0000$/, 'Z');
  if (typeof value === 'string') return value;
  // Bulk API 2.0 writes Number, Currency and Percent values with a decimal (`23.0` where REST gives 23), per
  // Celigo's Bulk API 2.0 guide (third-party, unverified against an org).
  if (typeof value === 'number' && DECIMAL_TYPES.has(type) && Number.isInteger(value)) return `${value}.0`;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** every row of the query, header first, reading all pages the engine offers */
export function queryRows(
  data: OrgData,
  ctx: CallContext,
  soql: string,
  sobject: string,
  columns: SelectColumn[],
  includeDeleted: boolean,
): string[][] {
  const resolved = resolveColumns(data, ctx, sobject, columns);
  const rows: string[][] = [resolved.map((c) => c.header)];
  let page = data.query(ctx, soql, { includeDeleted, batchSize: 2000 });
  for (;;) {
    for (const record of page.records) rows.push(resolved.map((c) => cell(valueAt(record, c.path), c.type)));
    const next = page.nextRecordsUrl;
    if (page.done || next === undefined) break;
    page = data.queryMore(ctx, next.slice(next.lastIndexOf('/') + 1));
  }
  return rows;
}
