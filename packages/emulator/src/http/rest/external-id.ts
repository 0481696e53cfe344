// Access by external ID: `GET` and upsert (`PATCH`) on `sobjects/{type}/{field}/{value}`, built on the engine's
// query, create and update as the caller. 0 matches → 404 (GET) or create (201, created:true); 1 → that record
// (200, created:false on upsert); more → 300 with the candidates' URLs.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/dome_upsert.htm

import { SalesforceError } from '../../errors.js';
import { normalizeId } from '../../ids.js';
import { json, type ApiResult } from '../api-types.js';
import { parseJsonObject, withoutAttributes } from './json-body.js';
import { recordLocation } from './sobjects.js';
import { listParam, param, type RestCall } from './rest-call.js';

const soqlString = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export interface ExternalField {
  name: string;
  /** an Id or lookup field: only a well-formed record ID can match it */
  isId: boolean;
  /** a Number external ID: the value is compared as a number */
  isNumber: boolean;
}

/** the canonical name of an external-ID (or id-lookup) field of the object, or NOT_FOUND */
export function externalField(call: RestCall, sobject: string, field: string): ExternalField {
  const describe = call.org.data.describe(call.ctx, sobject);
  const fields = Array.isArray(describe['fields']) ? (describe['fields'] as Record<string, unknown>[]) : [];
  const found = fields.find(
    (f) => typeof f['name'] === 'string' && f['name'].toLowerCase() === field.toLowerCase(),
  );
  if (found === undefined || (found['externalId'] !== true && found['idLookup'] !== true)) {
    throw new SalesforceError(
      404,
      'NOT_FOUND',
      `Provided external ID field does not exist or is not accessible: ${field}`,
    );
  }
  return {
    name: String(found['name']),
    isId: found['type'] === 'id' || found['type'] === 'reference',
    isNumber: found['type'] === 'double' || found['type'] === 'int',
  };
}

/**
 * The records whose `field` equals `value`. A value that is not a record ID matches nothing on an Id field (it
 * used to surface the emulator's own internal SOQL in an INVALID_QUERY_FILTER_OPERATOR error).
 */
export function matches(call: RestCall, sobject: string, field: ExternalField, value: string): string[] {
  if (field.isId && normalizeId(value) === undefined) return [];
  // A value that is not a number matches no Number external ID; creating with it then fails on its type.
  if (field.isNumber && !(value.trim() !== '' && Number.isFinite(Number(value)))) return [];
  const literal = field.isNumber ? String(Number(value)) : soqlString(value);
  const page = call.org.data.query(
    call.ctx,
    `SELECT Id FROM ${sobject} WHERE ${field.name} = ${literal} LIMIT 201`,
  );
  return page.records.map((r) => String(r['Id']));
}

function multiple(call: RestCall, sobject: string, ids: string[]): ApiResult {
  return json(
    300,
    ids.map((id) => recordLocation(call.version, sobject, id)),
  );
}

export function getByExternalId(call: RestCall): ApiResult {
  const sobject = param(call, 0);
  const field = externalField(call, sobject, param(call, 1));
  const ids = matches(call, sobject, field, param(call, 2));
  const [first] = ids;
  if (first === undefined)
    throw new SalesforceError(404, 'NOT_FOUND', 'The requested resource does not exist');
  if (ids.length > 1) return multiple(call, sobject, ids);
  return json(200, call.org.data.retrieve(call.ctx, sobject, first, listParam(call, 'fields')));
}

export function upsertByExternalId(call: RestCall): ApiResult {
  const sobject = param(call, 0);
  const body = withoutAttributes(parseJsonObject(call.req));
  const field = externalField(call, sobject, param(call, 1));
  const value = param(call, 2);
  if (field.isId && normalizeId(value) === undefined) {
    throw new SalesforceError(400, 'MALFORMED_ID', `${sobject} ID: id value of incorrect type: ${value}`, [
      field.name,
    ]);
  }
  const ids = matches(call, sobject, field, value);
  const [first] = ids;
  if (ids.length > 1) return multiple(call, sobject, ids);
  if (first === undefined) {
    const id = call.org.data.create(call.ctx, sobject, { ...body, [field.name]: value });
    return json(
      201,
      { id, success: true, errors: [], created: true },
      { Location: recordLocation(call.version, sobject, id) },
    );
  }
  call.org.data.update(call.ctx, sobject, first, body);
  return json(200, { id: first, success: true, errors: [], created: false });
}
