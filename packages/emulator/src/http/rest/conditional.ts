// Conditional requests on sObject Rows, as "Conditional Request Headers" documents them
// (https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api/intro_rest_conditional_requests.htm):
// If-Modified-Since / If-Unmodified-Since compare with the record's LastModifiedDate (weak validation);
// ETag, If-Match and If-None-Match (strong validation) are documented for "sObject Rows (account records only)",
// so only Account rows carry an ETag and honour them; DELETE is not supported, so it ignores every one of them.
// GET answers 304 with no body where the condition says "not modified", PATCH 412 where it fails; an invalid
// If-Match, If-None-Match or If-Unmodified-Since value on PATCH is a 400.

import { createHash } from 'node:crypto';
import { SalesforceError } from '../../errors.js';
import { parseDatetime } from '../../format.js';
import { header, type ApiResult } from '../api-types.js';
import type { RestCall } from './rest-call.js';

/** the objects whose rows carry ETags (the documentation names Account only) */
const ETAG_OBJECTS = new Set(['account']);

export interface RowState {
  etag: string | undefined;
  lastModified: number | undefined;
}

/** The ETag of a row: a hash of everything it holds, so any change to it gives another tag. */
export function rowState(sobject: string, fields: Record<string, unknown>): RowState {
  const modified = fields['LastModifiedDate'];
  const lastModified = typeof modified === 'string' ? parseDatetime(modified) : undefined;
  if (!ETAG_OBJECTS.has(sobject.toLowerCase())) return { etag: undefined, lastModified };
  const hash = createHash('sha1').update(JSON.stringify(fields)).digest('base64');
  return { etag: `"${hash}"`, lastModified };
}

/** the entity tags of an If-Match / If-None-Match value (`*` stays `*`); undefined when it is not a list of tags */
function tags(value: string): string[] | undefined {
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const tag = raw.trim().replace(/^W\//, '');
    if (tag === '*') out.push('*');
    else if (/^"[^"]*"$/.test(tag)) out.push(tag.replace(/-gzip"$/, '"'));
    else return undefined;
  }
  return out.length > 0 ? out : undefined;
}

function httpDate(value: string): number | undefined {
  const t = Date.parse(value);
  return Number.isNaN(t) ? undefined : t;
}

const badHeader = (name: string, value: string): SalesforceError =>
  new SalesforceError(400, 'INVALID_HEADER_VALUE', `Invalid value for header ${name}: ${value}`);

const preconditionFailed = (why: string): ApiResult => ({
  status: 412,
  body: [
    { message: `The precondition of the request was not met: ${why}`, errorCode: 'PRECONDITION_FAILED' },
  ],
});

/** whole seconds, as HTTP dates carry them */
const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

/**
 * The answer a conditional request gets instead of being served (304 or 412), or undefined to serve it.
 * `write` is true for PATCH.
 */
export function preconditionResult(call: RestCall, state: RowState, write: boolean): ApiResult | undefined {
  const notModified: ApiResult = {
    status: 304,
    ...(state.etag !== undefined ? { headers: { ETag: state.etag } } : {}),
  };
  if (state.etag !== undefined) {
    const ifMatch = header(call.req, 'if-match');
    if (ifMatch !== undefined) {
      const list = tags(ifMatch);
      if (list === undefined) {
        if (write) throw badHeader('If-Match', ifMatch);
      } else if (!list.includes('*') && !list.includes(state.etag)) {
        return preconditionFailed("If-Match names none of the record's entity tags");
      }
    }
    const ifNoneMatch = header(call.req, 'if-none-match');
    if (ifNoneMatch !== undefined) {
      const list = tags(ifNoneMatch);
      if (list === undefined) {
        if (write) throw badHeader('If-None-Match', ifNoneMatch);
      } else if (list.includes('*') || list.includes(state.etag)) {
        return write ? preconditionFailed("If-None-Match names the record's entity tag") : notModified;
      }
    }
  }
  if (state.lastModified === undefined) return undefined;
  const unmodified = header(call.req, 'if-unmodified-since');
  if (unmodified !== undefined) {
    const since = httpDate(unmodified);
    if (since === undefined) {
      if (write) throw badHeader('If-Unmodified-Since', unmodified);
    } else if (seconds(state.lastModified) > since) {
      return preconditionFailed(`the record was modified after ${new Date(since).toUTCString()}`);
    }
  }
  const modified = header(call.req, 'if-modified-since');
  if (!write && modified !== undefined) {
    const since = httpDate(modified);
    if (since !== undefined && seconds(state.lastModified) <= since) return notModified;
  }
  return undefined;
}

/** true when the request carries any of the four conditional headers */
export function hasConditions(call: RestCall): boolean {
  return ['if-match', 'if-none-match', 'if-modified-since', 'if-unmodified-since'].some(
    (name) => header(call.req, name) !== undefined,
  );
}
