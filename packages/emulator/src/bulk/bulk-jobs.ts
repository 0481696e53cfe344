// One org's Bulk API 2.0 jobs (query and ingest) and their daily allowances. A job moves on the emulator clock:
// it is picked up PICKUP_MS after it becomes ready and finishes PROCESS_MS after that, evaluated when observed,
// so a test with a pinned clock sees every state and a real client polling once a second sees JobComplete.
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm

import { SalesforceError } from '../errors.js';
import { IdGenerator } from '../ids.js';
import { formatDatetime } from '../format.js';
import type { OrgRuntime } from '../registry/org-runtime.js';
import type { CallContext } from '../org/contract.js';
import type { CsvFormat } from './csv.js';

export const PICKUP_MS = 2;
export const PROCESS_MS = 5;
const DAY_MS = 24 * 60 * 60 * 1000;
const MB = 1024 * 1024;

/** Developer Edition allowances, as `/limits` reports them (salesforce.md 2.10) */
export const BULK_LIMITS = {
  DailyBulkV2QueryJobs: 10_000,
  DailyBulkV2QueryFileStorageMB: 976_562,
  DailyBulkApiBatches: 15_000,
} as const;

export type JobState = 'Open' | 'UploadComplete' | 'InProgress' | 'JobComplete' | 'Failed' | 'Aborted';
export type IngestOperation = 'insert' | 'update' | 'upsert' | 'delete' | 'hardDelete';

interface JobBase {
  id: string;
  object: string;
  createdById: string;
  createdAt: number;
  modifiedAt: number;
  apiVersion: string;
  format: CsvFormat;
  ctx: CallContext;
  /** set when the job left Open (ingest) or at creation (query); undefined while still Open */
  readyAt: number | undefined;
  aborted: boolean;
  deleted: boolean;
}

export interface QueryJob extends JobBase {
  kind: 'query';
  operation: 'query' | 'queryAll';
  query: string;
  /** the result rows as CSV cells, header first; computed when the job was created */
  rows: string[][];
  resultBytes: number;
}

export interface IngestOutcome {
  successful: string[][];
  failed: string[][];
  unprocessed: string[][];
  processed: number;
  failedCount: number;
  errorMessage: string | undefined;
}

export interface IngestJob extends JobBase {
  kind: 'ingest';
  operation: IngestOperation;
  externalIdFieldName: string | undefined;
  /** the uploaded CSV text (one upload per job, as Salesforce allows) */
  upload: string | undefined;
  outcome: IngestOutcome | undefined;
}

export type BulkJob = QueryJob | IngestJob;

/** the state of `job` at `now`, derived from its timestamps */
export function stateAt(job: BulkJob, now: number): JobState {
  if (job.aborted) return 'Aborted';
  if (job.readyAt === undefined) return 'Open';
  if (now < job.readyAt + PICKUP_MS) return 'UploadComplete';
  if (now < job.readyAt + PICKUP_MS + PROCESS_MS) return 'InProgress';
  if (job.kind === 'ingest' && job.outcome?.errorMessage !== undefined) return 'Failed';
  return 'JobComplete';
}

/** when the job reached its final state, for systemModstamp */
export function finishedAt(job: BulkJob): number | undefined {
  return job.readyAt === undefined ? undefined : job.readyAt + PICKUP_MS + PROCESS_MS;
}

export const invalidJob = (message: string): SalesforceError =>
  new SalesforceError(400, 'INVALIDJOB', message);

export const jobNotFound = (): SalesforceError =>
  new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');

export class BulkJobs {
  private readonly jobs = new Map<string, BulkJob>();
  private readonly ids = new IdGenerator('0B');
  /** creation times of query jobs, and result sizes, for the rolling 24-hour allowances */
  private readonly queryJobTimes: { at: number; bytes: number }[] = [];
  private readonly batchTimes: { at: number; count: number }[] = [];

  constructor(private readonly now: () => number) {}

  nextId(): string {
    return this.ids.next('750');
  }

  add(job: BulkJob): void {
    this.jobs.set(job.id, job);
    if (job.kind === 'query') this.queryJobTimes.push({ at: job.createdAt, bytes: job.resultBytes });
  }

  /** a job of `kind` that exists and was not deleted, or 404 */
  get(kind: BulkJob['kind'], id: string): BulkJob {
    const job = this.jobs.get(id) ?? [...this.jobs.values()].find((j) => j.id.slice(0, 15) === id);
    if (job === undefined || job.deleted || job.kind !== kind) throw jobNotFound();
    return job;
  }

  list(kind: BulkJob['kind']): BulkJob[] {
    return [...this.jobs.values()].filter((j) => j.kind === kind && !j.deleted);
  }

  private recent<T extends { at: number }>(entries: T[]): T[] {
    const since = this.now() - DAY_MS;
    return entries.filter((e) => e.at > since);
  }

  queryJobsRemaining(): number {
    return BULK_LIMITS.DailyBulkV2QueryJobs - this.recent(this.queryJobTimes).length;
  }

  queryStorageRemainingMb(): number {
    const bytes = this.recent(this.queryJobTimes).reduce((sum, e) => sum + e.bytes, 0);
    return BULK_LIMITS.DailyBulkV2QueryFileStorageMB - Math.ceil(bytes / MB);
  }

  /** Bulk API 2.0 counts one batch per 10,000 records an ingest job processes (bulk_common_limits.htm) */
  recordBatches(records: number): void {
    this.batchTimes.push({ at: this.now(), count: Math.max(1, Math.ceil(records / 10_000)) });
  }

  batchesRemaining(): number {
    return BULK_LIMITS.DailyBulkApiBatches - this.recent(this.batchTimes).reduce((s, e) => s + e.count, 0);
  }
}

const registry = new WeakMap<OrgRuntime, BulkJobs>();

/** the org's job store, created on first use */
export function bulkJobsOf(org: OrgRuntime): BulkJobs {
  let jobs = registry.get(org);
  if (jobs === undefined) {
    jobs = new BulkJobs(() => org.clock.now().getTime());
    registry.set(org, jobs);
  }
  return jobs;
}

/** the `/limits` entries for the Bulk allowances, following what the org's jobs used */
export function bulkLimits(org: OrgRuntime): Record<string, { Max: number; Remaining: number }> {
  const jobs = bulkJobsOf(org);
  return {
    DailyBulkApiBatches: { Max: BULK_LIMITS.DailyBulkApiBatches, Remaining: jobs.batchesRemaining() },
    DailyBulkV2QueryFileStorageMB: {
      Max: BULK_LIMITS.DailyBulkV2QueryFileStorageMB,
      Remaining: jobs.queryStorageRemainingMb(),
    },
    DailyBulkV2QueryJobs: { Max: BULK_LIMITS.DailyBulkV2QueryJobs, Remaining: jobs.queryJobsRemaining() },
  };
}

export const sfDate = (ms: number): string => formatDatetime(ms);
