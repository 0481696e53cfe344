// Reading a Bulk API 2.0 job request: the JSON body and the CSV format options, refused as Salesforce refuses them.
// https://developer.salesforce.com/docs/atlas.en-us.api_asynch.meta/api_asynch/create_job.htm

import { SalesforceError } from '../errors.js';
import { parseJsonObject } from '../http/rest/json-body.js';
import type { ApiRequest } from '../http/api-types.js';
import { COLUMN_DELIMITERS, type ColumnDelimiter, type CsvFormat } from './csv.js';

export function jobBody(req: ApiRequest): Record<string, unknown> {
  return parseJsonObject(req);
}

export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw new SalesforceError(400, 'INVALIDJOB', `Invalid value for ${key}: ${JSON.stringify(value)}`);
  }
  return value;
}

/** `columnDelimiter` (default COMMA), `lineEnding` (default LF) and `contentType` (CSV only) */
export function csvFormat(body: Record<string, unknown>): CsvFormat {
  const contentType = optionalString(body, 'contentType') ?? 'CSV';
  if (contentType !== 'CSV') {
    throw new SalesforceError(
      400,
      'INVALIDJOB',
      `Invalid contentType: ${contentType}. Only CSV is supported`,
    );
  }
  const delimiter = optionalString(body, 'columnDelimiter') ?? 'COMMA';
  if (!(delimiter in COLUMN_DELIMITERS)) {
    throw new SalesforceError(400, 'INVALIDJOB', `Invalid value for columnDelimiter: ${delimiter}`);
  }
  const lineEnding = optionalString(body, 'lineEnding') ?? 'LF';
  if (lineEnding !== 'LF' && lineEnding !== 'CRLF') {
    throw new SalesforceError(400, 'INVALIDJOB', `Invalid value for lineEnding: ${lineEnding}`);
  }
  return { columnDelimiter: delimiter as ColumnDelimiter, lineEnding };
}

/** `{"state": "..."}` of a PATCH on a job */
export function requestedState(req: ApiRequest): string {
  const state = optionalString(parseJsonObject(req), 'state');
  if (state === undefined) throw new SalesforceError(400, 'INVALIDJOB', 'The state field is required');
  return state;
}
