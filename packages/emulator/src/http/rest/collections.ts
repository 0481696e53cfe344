// sObject Collections: create, update, delete and retrieve up to 200 records in one call, with per-record results
// keyed `statusCode` and optional allOrNone rollback (salesforce.md 2.7).
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-sobjects-collections-create.html

import { SalesforceError } from '../../errors.js';
import type { SaveResult } from '../../org/contract.js';
import { json, type ApiResult } from '../api-types.js';
import { isPlainObject, parseJsonBody, parseJsonObject } from './json-body.js';
import { externalField, matches } from './external-id.js';
import { listParam, param, type RestCall } from './rest-call.js';

const MAX_RECORDS = 200;
const MAX_RETRIEVE_IDS = 2000;

const tooMany = (): SalesforceError =>
  new SalesforceError(
    400,
    'EXCEEDED_ID_LIMIT',
    `record limit reached. cannot submit more than ${MAX_RECORDS} records into this call`,
  );

function failure(err: unknown): SaveResult {
  if (err instanceof SalesforceError) {
    return {
      id: null,
      success: false,
      errors: [{ statusCode: err.errorCode, message: err.message, fields: err.fields ?? [] }],
    };
  }
  throw err;
}

/** run `op` per item; with allOrNone and any failure, restore the snapshot and report the others rolled back */
function runAll<T>(
  call: RestCall,
  items: T[],
  allOrNone: boolean,
  op: (item: T) => SaveResult,
): SaveResult[] {
  const snapshot = allOrNone ? call.org.data.snapshot() : undefined;
  const results = items.map((item) => {
    try {
      return op(item);
    } catch (err) {
      return failure(err);
    }
  });
  if (snapshot !== undefined && results.some((r) => !r.success)) {
    call.org.data.restore(snapshot);
    return results.map((r) =>
      r.success
        ? {
            id: null,
            success: false,
            errors: [
              {
                statusCode: 'ALL_OR_NONE_OPERATION_ROLLED_BACK',
                message:
                  'Record rolled back because not all records were valid and the request was using AllOrNone header',
                fields: [],
              },
            ],
          }
        : r,
    );
  }
  return results;
}

function recordsOf(call: RestCall): { records: Record<string, unknown>[]; allOrNone: boolean } {
  const body = parseJsonObject(call.req);
  const records = body['records'];
  if (!Array.isArray(records))
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'records must be an array');
  if (records.length > MAX_RECORDS) throw tooMany();
  const objects = records.map((r: unknown) => {
    if (!isPlainObject(r))
      throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'each record must be a JSON object');
    return r;
  });
  return { records: objects, allOrNone: body['allOrNone'] === true };
}

function typeOf(record: Record<string, unknown>): string {
  const attributes = record['attributes'];
  const type = isPlainObject(attributes) ? attributes['type'] : undefined;
  if (typeof type !== 'string' || type === '') {
    throw new SalesforceError(400, 'INVALID_TYPE', 'Must send a concrete entity type.', []);
  }
  return type;
}

/** the record's fields without `attributes` and, for updates, without its id key (`id` or `Id`) */
function fieldsOf(record: Record<string, unknown>, dropId: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'attributes' || (dropId && key.toLowerCase() === 'id')) continue;
    out[key] = value;
  }
  return out;
}

export function createCollection(call: RestCall): ApiResult {
  const { records, allOrNone } = recordsOf(call);
  return json(
    200,
    runAll(call, records, allOrNone, (record) => {
      const id = call.org.data.create(call.ctx, typeOf(record), fieldsOf(record, false));
      return { id, success: true, errors: [] };
    }),
  );
}

export function updateCollection(call: RestCall): ApiResult {
  const { records, allOrNone } = recordsOf(call);
  return json(
    200,
    runAll(call, records, allOrNone, (record) => {
      // jsforce sends a lower-case `id` (real-clients.md 4); field names are case-insensitive.
      const idKey = Object.keys(record).find((k) => k.toLowerCase() === 'id');
      const id = idKey === undefined ? undefined : record[idKey];
      if (typeof id !== 'string' || id === '') {
        throw new SalesforceError(400, 'MISSING_ARGUMENT', 'Id not specified in an update call', []);
      }
      call.org.data.update(call.ctx, typeOf(record), id, fieldsOf(record, true));
      return { id, success: true, errors: [] };
    }),
  );
}

export function deleteCollection(call: RestCall): ApiResult {
  const ids = (call.req.query.get('ids') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new SalesforceError(400, 'MISSING_ARGUMENT', 'ids parameter is required');
  if (ids.length > MAX_RECORDS) throw tooMany();
  const allOrNone = call.req.query.get('allOrNone') === 'true';
  return json(
    200,
    runAll(call, ids, allOrNone, (id) => {
      const found = call.org.data.peek(id);
      if (found === undefined) {
        throw new SalesforceError(400, 'INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id', []);
      }
      call.org.data.delete(call.ctx, found.sobject, id);
      const storedId = found.record['Id'];
      return { id: typeof storedId === 'string' ? storedId : id, success: true, errors: [] };
    }),
  );
}

function retrieveMany(call: RestCall, ids: string[], fields: string[]): ApiResult {
  if (ids.length > MAX_RETRIEVE_IDS) throw tooMany();
  if (fields.length === 0) throw new SalesforceError(400, 'MISSING_ARGUMENT', 'fields parameter is required');
  const sobject = param(call, 0);
  return json(
    200,
    ids.map((id) => {
      try {
        return call.org.data.retrieve(call.ctx, sobject, id, fields);
      } catch (err) {
        // An unknown or invisible id yields null in its slot; a bad field list fails the whole call.
        if (err instanceof SalesforceError && (err.status === 404 || err.errorCode === 'MALFORMED_ID'))
          return null;
        throw err;
      }
    }),
  );
}

/** `POST composite/sobjects/{type}` with `{ids, fields}` (what jsforce sends for retrieve of many) */
export function retrieveCollectionPost(call: RestCall): ApiResult {
  const body = parseJsonBody(call.req);
  if (!isPlainObject(body) || !Array.isArray(body['ids']) || !Array.isArray(body['fields'])) {
    throw new SalesforceError(
      400,
      'JSON_PARSER_ERROR',
      'The request body must be {"ids": [...], "fields": [...]}',
    );
  }
  return retrieveMany(call, body['ids'].map(String), body['fields'].map(String));
}

export function retrieveCollectionGet(call: RestCall): ApiResult {
  return retrieveMany(call, listParam(call, 'ids') ?? [], listParam(call, 'fields') ?? []);
}

/**
 * `PATCH composite/sobjects/{type}/{field}`: upsert up to 200 records of one type by an External ID (or Id)
 * field, each result with `created`; what jsforce sends for an array upsert from API 46.0.
 * https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_composite_sobjects_collections_upsert.htm
 */
export function upsertCollection(call: RestCall): ApiResult {
  const { records, allOrNone } = recordsOf(call);
  const sobject = param(call, 0);
  const field = externalField(call, sobject, param(call, 1));
  return json(
    200,
    runAll(call, records, allOrNone, (record) => {
      const type = typeOf(record);
      if (type.toLowerCase() !== sobject.toLowerCase()) {
        throw new SalesforceError(
          400,
          'INVALID_TYPE',
          `Record type ${type} does not match the upsert type ${sobject}`,
          [],
        );
      }
      const key = Object.keys(record).find((k) => k.toLowerCase() === field.name.toLowerCase());
      const raw = key === undefined ? undefined : record[key];
      if (raw === undefined || raw === null || raw === '') {
        throw new SalesforceError(400, 'MISSING_ARGUMENT', `${field.name} not specified`, [field.name]);
      }
      const value = typeof raw === 'string' ? raw : JSON.stringify(raw);
      const ids = matches(call, sobject, field, value);
      const fields = fieldsOf(record, field.isId);
      const [first] = ids;
      if (ids.length > 1) {
        throw new SalesforceError(
          400,
          'DUPLICATE_EXTERNAL_ID',
          `${field.name}: more than one record found for external id field: [${ids.join(', ')}]`,
          [field.name],
        );
      }
      if (first === undefined) {
        if (field.isId)
          throw new SalesforceError(
            400,
            'NOT_FOUND',
            'Provided external ID field does not exist or is not accessible',
            [],
          );
        const id = call.org.data.create(call.ctx, sobject, fields);
        return { id, success: true, errors: [], created: true };
      }
      const update = { ...fields };
      if (key !== undefined) delete update[key];
      call.org.data.update(call.ctx, sobject, first, update);
      return { id: first, success: true, errors: [], created: false };
    }),
  );
}
