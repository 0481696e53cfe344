// doctor's Bulk API line: can a large knowledge load go by a Bulk API 2.0 query job? Query jobs need API version
// 47.0 or later (queries.htm, "Availability") and a day's allowance of query jobs left (DailyBulkV2QueryJobs in
// /limits, 10,000 per rolling 24 hours). Read-only, like every doctor check: no probe job is created, so an org that
// refuses the job for the article object is found by the sync, which then reads by REST (bulk-knowledge-source.ts).
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/queries.htm

import { z } from 'zod';

import { BULK_FROM_REST_CALLS } from '../domain/knowledge/sync-rules.js';
import type { AccessFinding } from './access-finding.js';
import { BULK_QUERY_MIN_VERSION, bulkQueryVersionOk } from './bulk-query.js';
import type { ClientTenant, SalesforceClient } from './salesforce-client.js';

const Limits = z.looseObject({
  DailyBulkV2QueryJobs: z.object({ Max: z.number(), Remaining: z.number() }).optional(),
});

const ID = 'bulk.query';
const TITLE = 'Bulk API 2.0 query jobs';
const REST_ANYWAY = `large knowledge loads (${BULK_FROM_REST_CALLS} REST pages or more) are read by REST instead, one call per 200 or 2,000 rows`;

export async function bulkQueryCheck(client: SalesforceClient, tenant: ClientTenant): Promise<AccessFinding> {
  if (!bulkQueryVersionOk(tenant.settings.apiVersion))
    return {
      id: ID,
      title: TITLE,
      status: 'warn',
      detail: `API version ${tenant.settings.apiVersion} has no query jobs (they start at ${BULK_QUERY_MIN_VERSION}.0); ${REST_ANYWAY}`,
      fix: `Set the tenant's API version to ${BULK_QUERY_MIN_VERSION}.0 or later: \`casebridge tenants update ${tenant.id} --set apiVersion=66.0\`.`,
    };
  let limits: z.infer<typeof Limits>;
  try {
    limits = Limits.parse(
      await client.request<unknown>(tenant, { method: 'GET', url: '/limits', purpose: 'doctor' }),
    );
  } catch {
    // /limits needs "View Setup and Configuration", which the api-remaining line explains; the version is enough
    return {
      id: ID,
      title: TITLE,
      status: 'pass',
      detail: `API ${tenant.settings.apiVersion} has query jobs (the day's allowance is not readable without "View Setup and Configuration")`,
    };
  }
  const jobs = limits.DailyBulkV2QueryJobs;
  if (jobs === undefined)
    return {
      id: ID,
      title: TITLE,
      status: 'warn',
      detail: `the org reports no DailyBulkV2QueryJobs allowance; ${REST_ANYWAY}`,
      fix: 'Bulk API 2.0 comes with API access in every edition that has it; ask Salesforce support why the org has no query job allowance.',
    };
  if (jobs.Remaining <= 0)
    return {
      id: ID,
      title: TITLE,
      status: 'warn',
      detail: `all ${jobs.Max} query jobs of the last 24 hours are used; ${REST_ANYWAY}`,
      fix: 'Find what else creates Bulk API query jobs in Setup → Bulk Data Load Jobs; the allowance is a rolling 24 hours.',
    };
  return {
    id: ID,
    title: TITLE,
    status: 'pass',
    detail: `available (API ${tenant.settings.apiVersion}, ${jobs.Remaining} of ${jobs.Max} query jobs left today)`,
  };
}
