// The Bulk API 2.0 resources under `/services/data/vXX.X/jobs`, added to the REST router.
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm

import type { Router } from '../http/rest/router.js';
import type { RestHandler } from '../http/rest/rest-call.js';
import * as ingest from './ingest-jobs.js';
import * as query from './query-jobs.js';
import { jobNotFound } from './bulk-jobs.js';

/**
 * "Query jobs in Bulk API 2.0 are available in API version 47.0 and later" (queries.htm, "Availability"): an
 * earlier version has no such resource, and Salesforce answers an unknown resource with 404 NOT_FOUND.
 */
const QUERY_MIN_VERSION = 47;
const sinceQueryVersion =
  (handler: RestHandler): RestHandler =>
  (call) => {
    if (Number(call.version) < QUERY_MIN_VERSION) throw jobNotFound();
    return handler(call);
  };

export function addBulkRoutes(router: Router<RestHandler>): Router<RestHandler> {
  return router
    .add(
      ['GET', 'POST'],
      '/jobs/query',
      sinceQueryVersion((call) =>
        call.req.method === 'POST' ? query.createQueryJob(call) : query.listQueryJobs(call),
      ),
    )
    .add(
      ['GET', 'PATCH', 'DELETE'],
      '/jobs/query/:id',
      sinceQueryVersion((call) => {
        if (call.req.method === 'PATCH') return query.abortQueryJob(call);
        if (call.req.method === 'DELETE') return query.deleteQueryJob(call);
        return query.getQueryJob(call);
      }),
    )
    .add(['GET'], '/jobs/query/:id/results', sinceQueryVersion(query.queryJobResults))
    .add(['GET', 'POST'], '/jobs/ingest', (call) =>
      call.req.method === 'POST' ? ingest.createIngestJob(call) : ingest.listIngestJobs(call),
    )
    .add(['GET', 'PATCH', 'DELETE'], '/jobs/ingest/:id', (call) => {
      if (call.req.method === 'PATCH') return ingest.patchIngestJob(call);
      if (call.req.method === 'DELETE') return ingest.deleteIngestJob(call);
      return ingest.getIngestJob(call);
    })
    .add(['PUT'], '/jobs/ingest/:id/batches', ingest.uploadBatch)
    .add(['GET'], '/jobs/ingest/:id/successfulResults', ingest.successfulResults)
    .add(['GET'], '/jobs/ingest/:id/failedResults', ingest.failedResults)
    .add(['GET'], '/jobs/ingest/:id/unprocessedrecords', ingest.unprocessedRecords);
}
