// The Bulk API 2.0 resources under `/services/data/vXX.X/jobs`, added to the REST router.
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/bulk_api_2_0.htm

import type { Router } from '../http/rest/router.js';
import type { RestHandler } from '../http/rest/rest-call.js';
import * as ingest from './ingest-jobs.js';
import * as query from './query-jobs.js';

export function addBulkRoutes(router: Router<RestHandler>): Router<RestHandler> {
  return router
    .add(['GET', 'POST'], '/jobs/query', (call) =>
      call.req.method === 'POST' ? query.createQueryJob(call) : query.listQueryJobs(call),
    )
    .add(['GET', 'PATCH', 'DELETE'], '/jobs/query/:id', (call) => {
      if (call.req.method === 'PATCH') return query.abortQueryJob(call);
      if (call.req.method === 'DELETE') return query.deleteQueryJob(call);
      return query.getQueryJob(call);
    })
    .add(['GET'], '/jobs/query/:id/results', query.queryJobResults)
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
