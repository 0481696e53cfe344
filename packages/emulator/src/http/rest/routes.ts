// The REST resources served under `/services/data/vXX.X`, in matching order (literal routes before `:id`).

import { Router } from './router.js';
import type { RestHandler } from './rest-call.js';
import * as sobjects from './sobjects.js';
import * as query from './query.js';
import { composite } from './composite.js';
import * as collections from './collections.js';
import { getByExternalId, upsertByExternalId } from './external-id.js';
import { limits } from './limits.js';
import { versionRoot } from './versions.js';
import { addBulkRoutes } from '../../bulk/routes.js';

export const restRouter = addBulkRoutes(new Router<RestHandler>())
  .add(['GET'], '/', versionRoot)
  .add(['GET'], '/sobjects', sobjects.describeGlobal)
  .add(['GET', 'POST'], '/sobjects/:type', (call) =>
    call.req.method === 'POST' ? sobjects.create(call) : sobjects.basicInfo(call),
  )
  .add(['GET'], '/sobjects/:type/describe', sobjects.describe)
  .add(['GET'], '/sobjects/:type/updated', sobjects.getUpdated)
  .add(['GET'], '/sobjects/:type/deleted', sobjects.getDeleted)
  .add(['GET', 'PATCH', 'DELETE'], '/sobjects/:type/:id', (call) => {
    if (call.req.method === 'PATCH') return sobjects.update(call);
    if (call.req.method === 'DELETE') return sobjects.remove(call);
    return sobjects.retrieve(call);
  })
  .add(['GET', 'PATCH'], '/sobjects/:type/:field/:value', (call) =>
    call.req.method === 'PATCH' ? upsertByExternalId(call) : getByExternalId(call),
  )
  .add(['GET'], '/query', query.query)
  .add(['GET'], '/query/:locator', query.queryMore)
  .add(['GET'], '/queryAll', query.queryAll)
  .add(['GET'], '/queryAll/:locator', query.queryMore)
  .add(['GET'], '/search', query.search)
  .add(['POST'], '/composite', composite)
  .add(['POST', 'PATCH', 'DELETE'], '/composite/sobjects', (call) => {
    if (call.req.method === 'PATCH') return collections.updateCollection(call);
    if (call.req.method === 'DELETE') return collections.deleteCollection(call);
    return collections.createCollection(call);
  })
  .add(['GET', 'POST'], '/composite/sobjects/:type', (call) =>
    call.req.method === 'POST'
      ? collections.retrieveCollectionPost(call)
      : collections.retrieveCollectionGet(call),
  )
  .add(['PATCH'], '/composite/sobjects/:type/:field', collections.upsertCollection)
  .add(['GET'], '/limits', limits)
  .add(['GET'], '/tooling/query', query.toolingQuery);
