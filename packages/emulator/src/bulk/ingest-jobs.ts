// Bulk API 2.0 ingest jobs: create (insert, update, upsert, delete), upload CSV, UploadComplete, state, and the
// successful, failed and unprocessed record CSVs, abort, delete, list.
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/walkthrough_upload_data.htm

import { SalesforceError } from '../errors.js';
import { header, json, noContent, type ApiResult } from '../http/api-types.js';
import { dataBase, param, type RestCall } from '../http/rest/rest-call.js';
import {
  bulkJobsOf,
  finishedAt,
  invalidJob,
  sfDate,
  stateAt,
  type IngestJob,
  type IngestOperation,
} from './bulk-jobs.js';
import { writeCsv } from './csv.js';
import { processIngest, uploadedRows } from './ingest-processing.js';
import { csvFormat, jobBody, optionalString, requestedState } from './job-input.js';

const OPERATIONS: readonly IngestOperation[] = ['insert', 'update', 'upsert', 'delete', 'hardDelete'];
const now = (call: RestCall): number => call.org.clock.now().getTime();

/** runs the job's rows once it has been picked up; the outcome is fixed from then on */
function observe(call: RestCall, job: IngestJob): void {
  const state = stateAt(job, now(call));
  if (job.outcome === undefined && (state === 'InProgress' || state === 'JobComplete')) {
    job.outcome = processIngest(call.org, job);
    bulkJobsOf(call.org).recordBatches(job.outcome.processed);
  }
}

function jobInfo(call: RestCall, job: IngestJob, detailed: boolean): Record<string, unknown> {
  observe(call, job);
  const state = stateAt(job, now(call));
  const finished = state === 'JobComplete' || state === 'Failed';
  const info: Record<string, unknown> = {
    id: job.id,
    operation: job.operation,
    object: job.object,
    createdById: job.createdById,
    createdDate: sfDate(job.createdAt),
    systemModstamp: sfDate(finished ? (finishedAt(job) ?? job.modifiedAt) : job.modifiedAt),
    state,
  };
  if (job.externalIdFieldName !== undefined) info['externalIdFieldName'] = job.externalIdFieldName;
  info['concurrencyMode'] = 'Parallel';
  info['contentType'] = 'CSV';
  info['apiVersion'] = Number(job.apiVersion);
  if (!detailed) info['contentUrl'] = `${dataBase(job.apiVersion).slice(1)}/jobs/ingest/${job.id}/batches`;
  info['lineEnding'] = job.format.lineEnding;
  info['columnDelimiter'] = job.format.columnDelimiter;
  if (detailed) {
    const outcome = finished ? job.outcome : undefined;
    info['jobType'] = 'V2Ingest';
    info['numberRecordsProcessed'] = outcome?.processed ?? 0;
    info['numberRecordsFailed'] = outcome?.failedCount ?? 0;
    info['retries'] = 0;
    info['totalProcessingTime'] = finished ? 5 : 0;
    info['apiActiveProcessingTime'] = finished ? 5 : 0;
    info['apexProcessingTime'] = 0;
    if (outcome?.errorMessage !== undefined) info['errorMessage'] = outcome.errorMessage;
  }
  return info;
}

function ingestJob(call: RestCall): IngestJob {
  return bulkJobsOf(call.org).get('ingest', param(call, 0)) as IngestJob;
}

interface DescribedField {
  name: string;
  externalId?: boolean;
  idLookup?: boolean;
}

export function createIngestJob(call: RestCall): ApiResult {
  const body = jobBody(call.req);
  const operation = optionalString(body, 'operation');
  if (operation === undefined || !(OPERATIONS as readonly string[]).includes(operation)) {
    throw invalidJob(`Invalid value for operation: ${String(operation)}`);
  }
  const objectName = optionalString(body, 'object');
  if (objectName === undefined || objectName === '') throw invalidJob('The object field is required');
  const format = csvFormat(body);
  const describe = call.org.data.describe(call.ctx, objectName);
  const object = typeof describe['name'] === 'string' ? describe['name'] : objectName;
  let externalIdFieldName = optionalString(body, 'externalIdFieldName');
  if (operation === 'upsert') {
    if (externalIdFieldName === undefined) throw invalidJob('externalIdFieldName is required for upsert');
    const fields = Array.isArray(describe['fields']) ? (describe['fields'] as DescribedField[]) : [];
    const wanted = externalIdFieldName.toLowerCase();
    const field = fields.find((f) => f.name.toLowerCase() === wanted);
    if (field === undefined || (field.externalId !== true && field.idLookup !== true)) {
      // Bulk API 1.0's wording for the same refusal; unverified for 2.0.
      throw invalidJob(
        `InvalidJob : Field name provided, ${externalIdFieldName} is not an External ID or indexed field for ${object}`,
      );
    }
    externalIdFieldName = field.name;
  } else externalIdFieldName = undefined;
  const jobs = bulkJobsOf(call.org);
  const at = now(call);
  const job: IngestJob = {
    kind: 'ingest',
    id: jobs.nextId(),
    operation: operation as IngestOperation,
    object,
    externalIdFieldName,
    createdById: call.ctx.userId,
    createdAt: at,
    modifiedAt: at,
    apiVersion: call.version,
    format,
    ctx: call.ctx,
    readyAt: undefined,
    aborted: false,
    deleted: false,
    upload: undefined,
    outcome: undefined,
  };
  jobs.add(job);
  return json(200, jobInfo(call, job, false));
}

export function uploadBatch(call: RestCall): ApiResult {
  const job = ingestJob(call);
  if (stateAt(job, now(call)) !== 'Open') {
    throw new SalesforceError(
      409,
      'INVALIDJOBSTATE',
      `Job is not in the Open state: ${stateAt(job, now(call))}`,
    );
  }
  const type = header(call.req, 'content-type') ?? '';
  if (!type.toLowerCase().startsWith('text/csv')) {
    throw new SalesforceError(400, 'INVALIDJOB', `Unsupported Content-Type: ${type}. Use text/csv`);
  }
  if (job.upload !== undefined) {
    // "You can upload only one set of data per job" (upload_job_data.htm)
    throw new SalesforceError(409, 'INVALIDJOBSTATE', 'Data was already uploaded for this job');
  }
  job.upload = call.req.rawBody ?? '';
  job.modifiedAt = now(call);
  return { status: 201 };
}

export function patchIngestJob(call: RestCall): ApiResult {
  const job = ingestJob(call);
  const state = requestedState(call.req);
  const current = stateAt(job, now(call));
  if (state === 'UploadComplete') {
    if (current !== 'Open') throw invalidJob(`Job is in the ${current} state and cannot be closed`);
    job.readyAt = now(call);
  } else if (state === 'Aborted') {
    if (current === 'JobComplete' || current === 'Failed' || current === 'Aborted') {
      throw invalidJob(`Job is in the ${current} state and cannot be aborted`);
    }
    job.aborted = true;
  } else throw invalidJob(`Invalid state: ${state}. Valid values are UploadComplete and Aborted`);
  job.modifiedAt = now(call);
  return json(200, jobInfo(call, job, false));
}

export function getIngestJob(call: RestCall): ApiResult {
  return json(200, jobInfo(call, ingestJob(call), true));
}

export function listIngestJobs(call: RestCall): ApiResult {
  const records = bulkJobsOf(call.org)
    .list('ingest')
    .map((job) => jobInfo(call, job as IngestJob, true));
  return json(200, { done: true, records, nextRecordsUrl: null });
}

export function deleteIngestJob(call: RestCall): ApiResult {
  const job = ingestJob(call);
  const current = stateAt(job, now(call));
  // "The job must have a state of UploadComplete, JobComplete, Aborted, or Failed" (delete_job.htm)
  if (current === 'Open' || current === 'InProgress') {
    throw new SalesforceError(400, 'API_ERROR', `Job is in the ${current} state and cannot be deleted`);
  }
  job.deleted = true;
  return noContent();
}

type ResultKind = 'successful' | 'failed' | 'unprocessed';

function results(call: RestCall, kind: ResultKind): ApiResult {
  const job = ingestJob(call);
  observe(call, job);
  const state = stateAt(job, now(call));
  const finished = state === 'JobComplete' || state === 'Failed';
  let rows: string[][];
  if (finished && job.outcome !== undefined) rows = job.outcome[kind];
  else if (state === 'Aborted' || state === 'Open' || state === 'UploadComplete') {
    // Before processing, or after an abort, every uploaded row is unprocessed and none succeeded or failed.
    const uploaded = uploadedRows(job);
    rows = kind === 'unprocessed' ? uploaded : uploaded.slice(0, 1).map((h) => [...resultPrefix(kind), ...h]);
  } else {
    throw new SalesforceError(
      400,
      'API_ERROR',
      `Job is in the ${state} state; results are not available yet`,
    );
  }
  return {
    status: 200,
    body: rows.length === 0 ? '' : writeCsv(rows, job.format),
    headers: { 'Content-Type': 'text/csv' },
  };
}

function resultPrefix(kind: ResultKind): string[] {
  if (kind === 'successful') return ['sf__Id', 'sf__Created'];
  return kind === 'failed' ? ['sf__Id', 'sf__Error'] : [];
}

export const successfulResults = (call: RestCall): ApiResult => results(call, 'successful');
export const failedResults = (call: RestCall): ApiResult => results(call, 'failed');
export const unprocessedRecords = (call: RestCall): ApiResult => results(call, 'unprocessed');
