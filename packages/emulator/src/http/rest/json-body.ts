// Parsing request bodies the way Salesforce reports problems with them: 400 JSON_PARSER_ERROR, never a 500.

import { SalesforceError } from '../../errors.js';
import type { ApiRequest } from '../api-types.js';

export function parseJsonBody(req: ApiRequest): unknown {
  const text = req.rawBody;
  if (text === undefined || text.trim() === '') {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new SalesforceError(
      400,
      'JSON_PARSER_ERROR',
      `Unexpected character in the request body: ${(err as Error).message}`,
    );
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** a JSON object body, e.g. the fields of a record */
export function parseJsonObject(req: ApiRequest): Record<string, unknown> {
  const value = parseJsonBody(req);
  if (!isPlainObject(value)) {
    throw new SalesforceError(
      400,
      'JSON_PARSER_ERROR',
      `Cannot deserialize instance of object from ${Array.isArray(value) ? 'START_ARRAY' : 'VALUE'} value`,
    );
  }
  return value;
}

/** the body without the `attributes` key clients may echo back */
export function withoutAttributes(body: Record<string, unknown>): Record<string, unknown> {
  if (!('attributes' in body)) return body;
  const rest = { ...body };
  delete rest['attributes'];
  return rest;
}
