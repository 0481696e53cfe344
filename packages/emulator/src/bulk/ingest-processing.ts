// Runs an ingest job's CSV rows through the org data engine as the job's creator, so permissions, field-level
// security, sharing and validation rules apply as for REST. An empty cell leaves a field alone and `#N/A` sets it
// to null (datafiles_csv_preparing.htm). A header naming an unknown field fails the whole job; a row that fails
// goes to the failed results with `sf__Error` as `CODE:message:fields --` (Bulk API 1.0's form; unverified).
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/get_job_successful_results.htm

import { SalesforceError } from '../errors.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import type { SObjectRecord } from '../org/contract.js';
import type { IngestJob, IngestOutcome } from './bulk-jobs.js';
import { COLUMN_DELIMITERS, CsvSyntaxError, parseCsv } from './csv.js';

interface DescribedField {
  name: string;
  type: string;
}

const NUMERIC = new Set(['double', 'int', 'currency', 'percent', 'long']);

/** the uploaded rows, header first ([] when nothing was uploaded or it does not parse) */
export function uploadedRows(job: IngestJob): string[][] {
  if (job.upload === undefined) return [];
  try {
    return parseCsv(job.upload, COLUMN_DELIMITERS[job.format.columnDelimiter]);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return [];
    throw err;
  }
}

function typed(value: string, type: string): unknown {
  if (value === '#N/A') return null;
  if (type === 'boolean') return value.toLowerCase() === 'true' || value === '1';
  if (NUMERIC.has(type) && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

const errorText = (err: SalesforceError): string =>
  `${err.errorCode}:${err.message}:${(err.fields ?? []).join(',')} --`;

const soqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

function failJob(header: string[], rows: string[][], message: string): IngestOutcome {
  return {
    successful: [['sf__Id', 'sf__Created', ...header]],
    failed: [['sf__Id', 'sf__Error', ...header]],
    unprocessed: [header, ...rows],
    processed: 0,
    failedCount: 0,
    errorMessage: message,
  };
}

export function processIngest(org: OrgRuntime, job: IngestJob): IngestOutcome {
  const data = org.data;
  const ctx = job.ctx;
  let parsed: string[][];
  try {
    parsed = parseCsv(job.upload ?? '', COLUMN_DELIMITERS[job.format.columnDelimiter]);
  } catch (err) {
    if (err instanceof CsvSyntaxError) return failJob([], [], `InvalidBatch : ${err.message}`);
    throw err;
  }
  const [header = [], ...rows] = parsed;
  const describe = data.describe(ctx, job.object);
  const fields = Array.isArray(describe['fields']) ? (describe['fields'] as DescribedField[]) : [];
  const columns: DescribedField[] = [];
  for (const name of header) {
    const found = fields.find((f) => f.name.toLowerCase() === name.trim().toLowerCase());
    if (found === undefined) return failJob(header, rows, `InvalidBatch : Field name not found : ${name}`);
    columns.push(found);
  }
  const idIndex = columns.findIndex((c) => c.name === 'Id');
  const outcome: IngestOutcome = {
    successful: [['sf__Id', 'sf__Created', ...header]],
    failed: [['sf__Id', 'sf__Error', ...header]],
    unprocessed: [header],
    processed: 0,
    failedCount: 0,
    errorMessage: undefined,
  };
  for (const row of rows) {
    outcome.processed += 1;
    const id = idIndex < 0 ? '' : (row[idIndex] ?? '');
    try {
      if (row.length !== columns.length) {
        throw new SalesforceError(
          400,
          'INVALID_FIELD',
          `Number of fields (${row.length}) does not match the header (${columns.length})`,
        );
      }
      const record: SObjectRecord = {};
      columns.forEach((column, i) => {
        const value = row[i] ?? '';
        if (value !== '' && column.name !== 'Id') record[column.name] = typed(value, column.type);
      });
      const [savedId, created] = saveRow(org, job, id, record);
      outcome.successful.push([savedId, String(created), ...row]);
    } catch (err) {
      if (!(err instanceof SalesforceError)) throw err;
      outcome.failedCount += 1;
      outcome.failed.push([id, errorText(err), ...row]);
    }
  }
  return outcome;
}

const missingId = (): SalesforceError =>
  new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', ['Id']);

/** the saved record's id and whether it was created */
function saveRow(org: OrgRuntime, job: IngestJob, id: string, record: SObjectRecord): [string, boolean] {
  const { data } = org;
  const ctx = job.ctx;
  switch (job.operation) {
    case 'insert':
      return [data.create(ctx, job.object, record), true];
    case 'update':
      if (id === '') throw missingId();
      data.update(ctx, job.object, id, record);
      return [id, false];
    case 'delete':
    case 'hardDelete':
      if (id === '') throw missingId();
      data.delete(ctx, job.object, id);
      return [id, false];
    case 'upsert': {
      const field = job.externalIdFieldName ?? 'Id';
      const raw = field === 'Id' ? id : record[field];
      const key = typeof raw === 'string' || typeof raw === 'number' ? raw : '';
      if (key === '') {
        if (field === 'Id') return [data.create(ctx, job.object, record), true];
        throw new SalesforceError(400, 'MISSING_ARGUMENT', `${field} not specified`, [field]);
      }
      const literal = typeof key === 'number' ? String(key) : soqlString(key);
      const found = data
        .query(ctx, `SELECT Id FROM ${job.object} WHERE ${field} = ${literal} LIMIT 2`)
        .records.map((r) => String(r['Id']));
      if (found.length > 1) {
        throw new SalesforceError(400, 'DUPLICATE_EXTERNAL_ID', `Duplicate external id specified: ${key}`, [
          field,
        ]);
      }
      const [match] = found;
      if (match === undefined) return [data.create(ctx, job.object, record), true];
      const rest = { ...record };
      delete rest[field];
      data.update(ctx, job.object, match, rest);
      return [match, false];
    }
  }
}
