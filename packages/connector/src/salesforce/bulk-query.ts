// A Bulk API 2.0 query job through the counting, auditing client: one POST /jobs/query, status polls until
// JobComplete, then result pages of `maxRecords` rows, each the CSV jsforce parses into records (all values text)
// with the next page named by the `Sforce-Locator` header ("null" after the last page).
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_create_job.htm
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/query_get_job_results.htm
// Query jobs exist from API version 47.0 ("Availability", queries.htm); an earlier version answers 404. A job not done
// after the last poll is aborted (PATCH state Aborted, query_abort_job.htm) and reported as unfinished.

import { z } from 'zod';

import type { ClientTenant, SalesforceClient } from './salesforce-client.js';
import type { Soql } from './soql.js';
import { parseWire } from './wire/parse-wire.js';
import { SfCsvRecords } from './wire/sf-subrequest.js';

/** The first API version with Bulk API 2.0 query jobs. */
export const BULK_QUERY_MIN_VERSION = 47;

/**
 * Rows a result page holds. Salesforce cuts a page by size when maxRecords is not given; naming it makes the number
 * of calls known in advance (rows / maxRecords), and 10,000 rows of two long-text bodies stay well inside memory.
 */
export const DEFAULT_MAX_RECORDS = 10_000;

/**
 * Waits before each status poll. A job of up to some hundred thousand rows is usually done within seconds, so the
 * first two polls come after 1 s and 2 s more; a slower job is polled less and less often, then given up on.
 */
export const DEFAULT_POLL_DELAYS_MS: readonly number[] = [
  1_000, 2_000, 5_000, 10_000, 20_000, 30_000, 30_000, 60_000, 60_000, 120_000, 120_000, 240_000,
];

const JobInfo = z.looseObject({
  id: z.string(),
  state: z.string(),
  errorMessage: z.string().nullable().optional(),
});

export interface BulkQueryOptions {
  /** audit label */
  purpose: string;
  /** the sObject, for error messages */
  shape: string;
  maxRecords?: number;
  pollDelaysMs?: readonly number[];
  sleep?: (ms: number) => Promise<void>;
  /** a run being stopped: the wait before a poll ends at once, with the signal's reason */
  signal?: AbortSignal;
}

/** The job ended without results (Failed or Aborted in Salesforce), or was not done within the poll schedule. */
export class BulkJobUnfinished extends Error {
  constructor(
    readonly jobId: string,
    readonly state: string,
    reason: string,
  ) {
    super(`Bulk API 2.0 query job ${jobId} ${reason}`);
  }
}

/** Does the tenant's API version have query jobs at all (a call to an older version is refused with 404). */
export function bulkQueryVersionOk(apiVersion: string): boolean {
  return Number(apiVersion) >= BULK_QUERY_MIN_VERSION;
}

/**
 * Runs `query` as a query job and yields its rows page by page. The job is created before the first page is asked
 * for; a refusal (the entity, the version, the daily allowance) is the client's coded error from that call.
 */
export async function* bulkQueryPages(
  client: SalesforceClient,
  tenant: ClientTenant,
  query: Soql,
  options: BulkQueryOptions,
): AsyncGenerator<Record<string, string>[]> {
  const base = { sobject: options.shape, purpose: options.purpose };
  const created = parseWire(
    JobInfo,
    await client.request<unknown>(tenant, {
      method: 'POST',
      url: '/jobs/query',
      body: { operation: 'query', query: query.text },
      // a second job after a lost answer costs one of the day's 10,000 query jobs, nothing else
      safety: 'idempotent',
      ...base,
    }),
    { tenantId: tenant.id, shape: 'Bulk API 2.0 query job' },
  );
  await waitForCompletion(client, tenant, created.id, options);
  const maxRecords = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  let locator: string | null = '';
  while (locator !== null) {
    const params = new URLSearchParams({ maxRecords: String(maxRecords) });
    if (locator !== '') params.set('locator', locator);
    const { value, headers } = await client.requestWithHeaders<unknown>(tenant, {
      method: 'GET',
      url: `/jobs/query/${created.id}/results?${params.toString()}`,
      ...base,
    });
    yield csvRecords(value, tenant.id);
    const next = headers['sforce-locator'];
    locator = next === undefined || next === '' || next === 'null' ? null : next;
  }
}

async function waitForCompletion(
  client: SalesforceClient,
  tenant: ClientTenant,
  jobId: string,
  options: BulkQueryOptions,
): Promise<void> {
  const sleep = options.sleep ?? ((ms) => abortableDelay(ms, options.signal));
  let state = 'UploadComplete';
  for (const delay of options.pollDelaysMs ?? DEFAULT_POLL_DELAYS_MS) {
    await sleep(delay);
    options.signal?.throwIfAborted();
    const info = parseWire(
      JobInfo,
      await client.request<unknown>(tenant, {
        method: 'GET',
        url: `/jobs/query/${jobId}`,
        sobject: options.shape,
        purpose: options.purpose,
      }),
      { tenantId: tenant.id, shape: 'Bulk API 2.0 query job' },
    );
    state = info.state;
    if (state === 'JobComplete') return;
    if (state === 'Failed' || state === 'Aborted') {
      throw new BulkJobUnfinished(jobId, state, `ended ${state}: ${info.errorMessage ?? 'no reason given'}`);
    }
  }
  // given up on: abort it so that it stops using the org's resources (best effort: the reader goes on without it)
  try {
    await client.request<unknown>(tenant, {
      method: 'PATCH',
      url: `/jobs/query/${jobId}`,
      body: { state: 'Aborted' },
      sobject: options.shape,
      purpose: options.purpose,
    });
  } catch {
    // a job that finished or failed meanwhile cannot be aborted; nothing is lost either way
  }
  throw new BulkJobUnfinished(jobId, state, `was still ${state} after its last poll`);
}

function abortableDelay(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    // stopped before the wait began: the abort event has fired already
    if (signal?.aborted === true) {
      resolve();
      return;
    }
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** jsforce parses a text/csv answer into records; an empty result (header only) is an empty array. */
function csvRecords(value: unknown, tenantId: string): Record<string, string>[] {
  if (Array.isArray(value))
    return parseWire(SfCsvRecords, value, { tenantId, shape: 'Bulk API 2.0 result page' });
  // a result with no rows may come back as the bare header line, which jsforce leaves as text
  if (typeof value === 'string' || value === undefined || value === null) return [];
  return parseWire(SfCsvRecords, value, { tenantId, shape: 'Bulk API 2.0 result page (not CSV)' });
}
