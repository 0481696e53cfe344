// Parsing request bodies the way Salesforce reports problems with them: 400 JSON_PARSER_ERROR, never a 500.

import { SalesforceError } from '../../errors.js';
import type { ApiRequest } from '../api-types.js';

/**
 * The deepest nesting of arrays and objects a body may have. Salesforce's limit is not documented; its parser
 * errors read like Jackson's, whose default limit is 1,000 (StreamReadConstraints, Jackson 2.15): unverified.
 * Without a limit, 5,000 nested `[` overflowed the stack of the recursive walks below (composite references).
 */
export const MAX_JSON_DEPTH = 1000;

/** where the nesting of `text` first goes deeper than `max`, as Jackson reports it; undefined when it does not */
export function tooDeep(text: string, max = MAX_JSON_DEPTH): string | undefined {
  let depth = 0;
  let inString = false;
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i += 1; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > max) {
        return `Document nesting depth (${depth}) exceeds the maximum allowed (${max}) at [line:${line}, column:${i - lineStart + 1}]`;
      }
    } else if (c === 0x5d || c === 0x7d) depth -= 1;
    else if (c === 0x0a) {
      line += 1;
      lineStart = i + 1;
    }
  }
  return undefined;
}

export function parseJsonBody(req: ApiRequest): unknown {
  const text = req.rawBody;
  if (text === undefined || text.trim() === '') {
    throw new SalesforceError(400, 'JSON_PARSER_ERROR', 'The request body is either invalid or incomplete.');
  }
  const deep = tooDeep(text);
  if (deep !== undefined) throw new SalesforceError(400, 'JSON_PARSER_ERROR', deep);
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
