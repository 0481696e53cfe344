// sObject resources: global describe, basic info, describe, CRUD by id, getUpdated and getDeleted.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_sobject_basic_info.htm

import { SalesforceError } from '../../errors.js';
import { json, noContent, type ApiResult } from '../api-types.js';
import { hasConditions, preconditionResult, rowState, type RowState } from './conditional.js';
import { parseJsonObject, withoutAttributes } from './json-body.js';
import { dataBase, listParam, param, type RestCall } from './rest-call.js';

const OBJECT_DESCRIBE_KEYS = [
  'activateable',
  'createable',
  'custom',
  'customSetting',
  'deletable',
  'deprecatedAndHidden',
  'feedEnabled',
  'hasSubtypes',
  'isSubtype',
  'keyPrefix',
  'label',
  'labelPlural',
  'layoutable',
  'mergeable',
  'mruEnabled',
  'name',
  'queryable',
  'replicateable',
  'retrieveable',
  'searchable',
  'triggerable',
  'undeletable',
  'updateable',
  'urls',
];

export function describeGlobal(call: RestCall): ApiResult {
  return json(200, call.org.data.describeGlobal(call.ctx));
}

export function basicInfo(call: RestCall): ApiResult {
  const full = call.org.data.describe(call.ctx, param(call, 0));
  const objectDescribe: Record<string, unknown> = {};
  for (const key of OBJECT_DESCRIBE_KEYS) if (key in full) objectDescribe[key] = full[key];
  return json(200, { objectDescribe, recentItems: [] });
}

export function describe(call: RestCall): ApiResult {
  return json(200, call.org.data.describe(call.ctx, param(call, 0)));
}

export function create(call: RestCall): ApiResult {
  const body = withoutAttributes(parseJsonObject(call.req));
  const sobject = param(call, 0);
  const id = call.org.data.create(call.ctx, sobject, body);
  return json(
    201,
    { id, success: true, errors: [] },
    { Location: recordLocation(call.version, sobject, id) },
  );
}

/** the conditional-request state of a row the caller was just allowed to read */
function stateOf(call: RestCall): RowState {
  const stored = call.org.data.peek(param(call, 1));
  return stored === undefined
    ? { etag: undefined, lastModified: undefined }
    : rowState(stored.sobject, stored.record);
}

export function retrieve(call: RestCall): ApiResult {
  const record = call.org.data.retrieve(call.ctx, param(call, 0), param(call, 1), listParam(call, 'fields'));
  const state = stateOf(call);
  const conditional = preconditionResult(call, state, false);
  if (conditional !== undefined) return conditional;
  return json(200, record, state.etag !== undefined ? { ETag: state.etag } : undefined);
}

export function update(call: RestCall): ApiResult {
  const body = withoutAttributes(parseJsonObject(call.req));
  if (hasConditions(call)) {
    // read first, as the caller: an invisible row is a 404 before any precondition is told
    call.org.data.retrieve(call.ctx, param(call, 0), param(call, 1), ['Id']);
    const failed = preconditionResult(call, stateOf(call), true);
    if (failed !== undefined) return failed;
  }
  call.org.data.update(call.ctx, param(call, 0), param(call, 1), body);
  return noContent();
}

export function remove(call: RestCall): ApiResult {
  call.org.data.delete(call.ctx, param(call, 0), param(call, 1));
  return noContent();
}

/**
 * `start`/`end` are ISO-8601; a `+00:00` offset sent unencoded arrives as a space (salesforce.md 2.8: clients must
 * encode `+`), which is put back rather than failing.
 */
function dateParam(call: RestCall, name: string): Date {
  const raw = call.req.query.get(name);
  if (raw === null || raw === '') {
    throw new SalesforceError(400, 'MISSING_ARGUMENT', `${name} parameter is required`);
  }
  const value = new Date(raw.replace(' ', '+'));
  if (Number.isNaN(value.getTime())) {
    throw new SalesforceError(400, 'INVALID_DATE_FORMAT', `${name} parameter is not a valid date: ${raw}`);
  }
  return value;
}

export function getUpdated(call: RestCall): ApiResult {
  return json(
    200,
    call.org.data.getUpdated(call.ctx, param(call, 0), dateParam(call, 'start'), dateParam(call, 'end')),
  );
}

export function getDeleted(call: RestCall): ApiResult {
  return json(
    200,
    call.org.data.getDeleted(call.ctx, param(call, 0), dateParam(call, 'start'), dateParam(call, 'end')),
  );
}

/** `Location` of a created record, as composite subresponses carry it */
export function recordLocation(version: string, sobject: string, id: string): string {
  return `${dataBase(version)}/sobjects/${sobject}/${id}`;
}
