// Query, queryAll, query locators, SOSL search and the tooling query sf runs on login.
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-query.md

import { SalesforceError } from '../../errors.js';
import { header, json, type ApiResult } from '../api-types.js';
import { param, type RestCall } from './rest-call.js';

function soqlParam(call: RestCall): string {
  const q = call.req.query.get('q');
  if (q === null || q.trim() === '') {
    throw new SalesforceError(400, 'MALFORMED_QUERY', 'A query string has to be specified');
  }
  return q;
}

/** `Sforce-Query-Options: batchSize=500` (the engine clamps it to 200..2000) */
function batchSize(call: RestCall): number | undefined {
  const options = header(call.req, 'sforce-query-options');
  const m = options === undefined ? null : /batchSize\s*=\s*(\d+)/i.exec(options);
  return m?.[1] === undefined ? undefined : Number.parseInt(m[1], 10);
}

function runQuery(call: RestCall, includeDeleted: boolean): ApiResult {
  const soql = soqlParam(call);
  // `sf data query` asks for the column metadata with `&columns=true` (real-clients.md 3.3).
  if (call.req.query.get('columns') === 'true') return json(200, call.org.data.queryColumns(call.ctx, soql));
  const size = batchSize(call);
  return json(
    200,
    call.org.data.query(call.ctx, soql, {
      includeDeleted,
      ...(size === undefined ? {} : { batchSize: size }),
    }),
  );
}

export const query = (call: RestCall): ApiResult => runQuery(call, false);
export const queryAll = (call: RestCall): ApiResult => runQuery(call, true);

export function queryMore(call: RestCall): ApiResult {
  return json(200, call.org.data.queryMore(call.ctx, param(call, 0)));
}

export function search(call: RestCall): ApiResult {
  const q = call.req.query.get('q');
  if (q === null || q.trim() === '') {
    throw new SalesforceError(
      400,
      'MALFORMED_SEARCH',
      'No search term found. The search term must be at least 2 characters long.',
    );
  }
  return json(200, call.org.data.search(call.ctx, q));
}

/**
 * The Tooling API is not modelled beyond two answers. sf queries `SandboxProcess` on login and tolerates an empty
 * answer (real-clients.md 3.2), so every tooling query returns an empty result in the tooling shape, except
 * `PlatformEventChannelMember`: the entities selected for Change Data Capture (`OrgSettings.changeDataCaptureEntities`)
 * as members of the standard `ChangeEvents` channel, whatever the WHERE clause (issue 21).
 * https://developer.salesforce.com/docs/atlas.en-us.api_tooling.meta/api_tooling/tooling_api_objects_platformeventchannelmember.htm
 */
export function toolingQuery(call: RestCall): ApiResult {
  const soql = soqlParam(call);
  const entity = /\bfrom\s+([A-Za-z0-9_]+)/i.exec(soql)?.[1] ?? null;
  const records =
    entity?.toLowerCase() === 'platformeventchannelmember'
      ? call.org.data.settings.changeDataCaptureEntities.map((name, i) => ({
          attributes: { type: 'PlatformEventChannelMember' },
          Id: `0v8${String(i + 1).padStart(15, '0')}`,
          DeveloperName: `ChangeEvents_${name}ChangeEvent`,
          EventChannel: 'ChangeEvents',
          SelectedEntity: `${name}ChangeEvent`,
        }))
      : [];
  return json(200, {
    size: records.length,
    totalSize: records.length,
    done: true,
    queryLocator: null,
    entityTypeName: entity,
    records,
  });
}
