// The emulator's transport-neutral request and response: REST handlers take an ApiRequest and return an ApiResult,
// so the same handlers serve direct HTTP calls and composite subrequests.

import type { SalesforceErrorBody } from '../errors.js';

export interface ApiRequest {
  method: string;
  /** normalised path without the query string, e.g. `/services/data/v62.0/sobjects/Case` */
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  /** raw body text, or undefined when the request carried none */
  rawBody: string | undefined;
}

export interface ApiResult {
  status: number;
  /** JSON-serialisable body; undefined means an empty body (204) */
  body?: unknown;
  headers?: Record<string, string>;
  /** run once the answer has been written (deleting an org closes the listener the answer travels on) */
  afterSend?: () => Promise<void>;
}

export const json = (status: number, body: unknown, headers?: Record<string, string>): ApiResult =>
  headers === undefined ? { status, body } : { status, body, headers };

export const noContent = (): ApiResult => ({ status: 204 });

export const errorResult = (status: number, errors: SalesforceErrorBody[]): ApiResult => ({
  status,
  body: errors,
});

/** First value of a header, lower-cased name. */
export function header(req: ApiRequest, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
