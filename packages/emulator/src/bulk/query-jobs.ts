// Bulk API 2.0 query jobs: create, state, results in CSV pages with `Sforce-Locator`, abort, delete, list.
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm

import { SalesforceError } from '../errors.js';
import { json, noContent, type ApiResult } from '../http/api-types.js';
import { param, type RestCall } from '../http/rest/rest-call.js';
import { bulkJobsOf, finishedAt, invalidJob, sfDate, stateAt, type QueryJob } from './bulk-jobs.js';
import { writeCsv } from './csv.js';
import { csvFormat, jobBody, optionalString, requestedState } from './job-input.js';
import { bulkColumns } from './query-restrictions.js';
import { queryRows } from './query-results.js';

const now = (call: RestCall): number => call.org.clock.now().getTime();

function jobInfo(job: QueryJob, at: number, detailed: boolean): Record<string, unknown> {
  const state = stateAt(job, at);
  const done = state === 'JobComplete';
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: sfDate(job.createdAt),
    systemModstamp: sfDate(done ? (finishedAt(job) ?? job.modifiedAt) : job.modifiedAt),
    state,
    concurrencyMode: 'Parallel',
    contentType: 'CSV',
    apiVersion: Number(job.apiVersion),
  };
  if (detailed) {
    info['jobType'] = 'V2Query';
    info['lineEnding'] = job.format.lineEnding;
    info['columnDelimiter'] = job.format.columnDelimiter;
    info['numberRecordsProcessed'] = done ? job.rows.length - 1 : 0;
    info['retries'] = 0;
    info['totalProcessingTime'] = done ? 5 : 0;
    info['isPkChunkingSupported'] = true;
  } else {
    info['lineEnding'] = job.format.lineEnding;
    info['columnDelimiter'] = job.format.columnDelimiter;
  }
  return info;
}

function queryJob(call: RestCall): QueryJob {
  return bulkJobsOf(call.org).get('query', param(call, 0)) as QueryJob;
}

export function createQueryJob(call: RestCall): ApiResult {
  const body = jobBody(call.req);
  const operation = optionalString(body, 'operation');
  if (operation !== 'query' && operation !== 'queryAll') {
    throw invalidJob(
      `Invalid value for operation: ${String(operation)}. Valid values are query and queryAll`,
    );
  }
  const soql = optionalString(body, 'query');
  if (soql === undefined || soql.trim() === '') throw invalidJob('The query field is required');
  const format = csvFormat(body);
  const jobs = bulkJobsOf(call.org);
  if (jobs.queryJobsRemaining() <= 0) {
    // DailyBulkV2QueryJobs is a rolling 24-hour allowance (queries.htm, "Limits"); the code is unverified.
    throw new SalesforceError(
      400,
      'LIMIT_EXCEEDED',
      'Max number of Bulk API 2.0 query jobs per 24 hours exceeded',
    );
  }
  const { query, columns } = bulkColumns(soql);
  const object = query.sObject ?? '';
  const rows = queryRows(call.org.data, call.ctx, soql, object, columns, operation === 'queryAll');
  const at = now(call);
  const job: QueryJob = {
    kind: 'query',
    id: jobs.nextId(),
    operation,
    object: canonicalObject(call, object),
    query: soql,
    createdById: call.ctx.userId,
    createdAt: at,
    modifiedAt: at,
    apiVersion: call.version,
    format,
    ctx: call.ctx,
    readyAt: at,
    aborted: false,
    deleted: false,
    rows,
    resultBytes: Buffer.byteLength(writeCsv(rows, format)),
  };
  jobs.add(job);
  return json(200, jobInfo(job, at, false));
}

function canonicalObject(call: RestCall, object: string): string {
  const name = call.org.data.describe(call.ctx, object)['name'];
  return typeof name === 'string' ? name : object;
}

export function getQueryJob(call: RestCall): ApiResult {
  return json(200, jobInfo(queryJob(call), now(call), true));
}

export function listQueryJobs(call: RestCall): ApiResult {
  const at = now(call);
  const records = bulkJobsOf(call.org)
    .list('query')
    .map((job) => jobInfo(job as QueryJob, at, true));
  return json(200, { done: true, records, nextRecordsUrl: null });
}

export function abortQueryJob(call: RestCall): ApiResult {
  const job = queryJob(call);
  const state = requestedState(call.req);
  if (state !== 'Aborted') throw invalidJob(`Invalid state: ${state}. A query job can only be Aborted`);
  const current = stateAt(job, now(call));
  if (current === 'JobComplete' || current === 'Aborted') {
    // unverified wording: the guide says only that a job in progress can be aborted (query_abort_job.htm)
    throw new SalesforceError(400, 'INVALIDJOB', `Job is in a ${current} state and cannot be aborted`);
  }
  job.aborted = true;
  job.modifiedAt = now(call);
  return json(200, jobInfo(job, now(call), false));
}

export function deleteQueryJob(call: RestCall): ApiResult {
  const job = queryJob(call);
  const current = stateAt(job, now(call));
  // "The job must have a state of JobComplete, Aborted, or Failed" (query_delete_job.htm)
  if (current !== 'JobComplete' && current !== 'Aborted') {
    throw new SalesforceError(400, 'API_ERROR', `Job is in a ${current} state and cannot be deleted`);
  }
  job.deleted = true;
  return noContent();
}

/**
 * Without maxRecords Salesforce cuts a page by size, not by a documented row count; the emulator cuts at 50,000
 * rows (unverified). Large on purpose: jsforce 3.10.16's bulk2.query pipes every page into one CSV parser and
 * breaks on a second page (CSV_INVALID_CLOSING_QUOTE, also seen against Salesforce by `sf data query --bulk` in
 * forcedotcom/cli#3103), so a small default would fail clients that work against a real org.
 */
const DEFAULT_PAGE_ROWS = 50_000;

/**
 * Salesforce's locators are opaque base-64 text (`MDowR2FIbjAwMDAwNXMyVDRLQUk6MQ` in forcedotcom/cli#2968); the
 * emulator's are the base-64 text of the next row offset (`MjAwMDA` for 20000).
 */
const encodeLocator = (offset: number): string =>
  Buffer.from(String(offset)).toString('base64').replace(/=+$/, '');

function decodeLocator(locator: string): number {
  const offset = Number(Buffer.from(locator, 'base64').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0 || encodeLocator(offset) !== locator) {
    throw new SalesforceError(400, 'INVALID_LOCATOR', `Invalid locator: ${locator}`);
  }
  return offset;
}

export function queryJobResults(call: RestCall): ApiResult {
  const job = queryJob(call);
  // "Use the same API version to get query results that you used to create the query. Otherwise, the call
  // returns a 409 error." (query_get_job_results.htm)
  if (call.version !== job.apiVersion) {
    throw new SalesforceError(
      409,
      'API_ERROR',
      `The job was created in API version ${job.apiVersion}; get its results in the same version`,
    );
  }
  const state = stateAt(job, now(call));
  if (state !== 'JobComplete') {
    throw new SalesforceError(
      400,
      'API_ERROR',
      `Job is in ${state} state; results are available once JobComplete`,
    );
  }
  const locator = call.req.query.get('locator');
  const start = locator === null || locator === '' ? 0 : decodeLocator(locator);
  const total = job.rows.length - 1;
  const maxParam = call.req.query.get('maxRecords');
  const max = maxParam === null ? DEFAULT_PAGE_ROWS : Number(maxParam);
  if (!Number.isInteger(max) || max <= 0) {
    throw new SalesforceError(400, 'INVALIDJOB', `Invalid value for maxRecords: ${String(maxParam)}`);
  }
  const end = Math.min(total, start + max);
  const header = job.rows[0] ?? [];
  const page = [header, ...job.rows.slice(1 + start, 1 + end)];
  return {
    status: 200,
    body: writeCsv(page, job.format),
    headers: {
      'Content-Type': 'text/csv',
      'Sforce-NumberOfRecords': String(end - start),
      // "If there are no more records, the value is the string null" (query_get_job_results.htm)
      'Sforce-Locator': end < total ? encodeLocator(end) : 'null',
    },
  };
}
