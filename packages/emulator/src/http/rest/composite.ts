// `POST /composite`: up to 25 subrequests run in order as one call, with `@{ref.path}` references between them
// and allOrNone rollback. The top-level answer is always 200 (salesforce.md 2.6).
// https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite-post.html

import { SalesforceError } from '../../errors.js';
import { json, type ApiResult } from '../api-types.js';
import { splitUrl } from '../paths.js';
import { isPlainObject, parseJsonObject } from './json-body.js';
import type { RestCall } from './rest-call.js';

const MAX_SUBREQUESTS = 25;
const MAX_QUERY_OR_COLLECTION = 5;
const REFERENCE = /@\{([A-Za-z0-9_]+)\.([^}]+)\}/g;

interface Subrequest {
  method: string;
  url: string;
  referenceId: string;
  body?: unknown;
  httpHeaders?: Record<string, string>;
}

interface SubResponse {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const halted = (referenceId: string, message: string): SubResponse => ({
  body: [{ errorCode: 'PROCESSING_HALTED', message }],
  httpHeaders: {},
  httpStatusCode: 400,
  referenceId,
});

const ROLLED_BACK = 'The transaction was rolled back since another operation in the same transaction failed.';

function invalid(message: string): SalesforceError {
  return new SalesforceError(400, 'INVALID_INPUT', message);
}

function parseSubrequests(body: Record<string, unknown>): Subrequest[] {
  const list = body['compositeRequest'];
  if (!Array.isArray(list) || list.length === 0) throw invalid('compositeRequest must be a non-empty array');
  if (list.length > MAX_SUBREQUESTS) {
    throw new SalesforceError(
      400,
      'LIMIT_EXCEEDED',
      `Limit Exceeded: The number of subrequests exceeded the limit of ${MAX_SUBREQUESTS}.`,
    );
  }
  const seen = new Set<string>();
  let heavy = 0;
  return list.map((raw: unknown, i) => {
    if (!isPlainObject(raw)) throw invalid(`compositeRequest[${i}] must be an object`);
    const { method, url, referenceId, body: subBody, httpHeaders } = raw;
    if (
      typeof method !== 'string' ||
      !['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD'].includes(method.toUpperCase())
    ) {
      throw invalid(`compositeRequest[${i}].method is not a supported HTTP method`);
    }
    if (typeof url !== 'string' || !url.startsWith('/services/data/')) {
      throw invalid(`compositeRequest[${i}].url must start with /services/data/`);
    }
    if (typeof referenceId !== 'string' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(referenceId)) {
      throw invalid(
        `compositeRequest[${i}].referenceId must start with a letter and contain only letters, digits and _`,
      );
    }
    if (seen.has(referenceId)) throw invalid(`Duplicate referenceId provided in the request: ${referenceId}`);
    seen.add(referenceId);
    if (/\/(query|queryAll)(\/|\?|$)|\/composite\/sobjects/.test(url)) heavy += 1;
    if (heavy > MAX_QUERY_OR_COLLECTION) {
      throw new SalesforceError(
        400,
        'LIMIT_EXCEEDED',
        `Limit Exceeded: A composite request can contain at most ${MAX_QUERY_OR_COLLECTION} query or sObject Collections subrequests.`,
      );
    }
    const sub: Subrequest = { method: method.toUpperCase(), url, referenceId };
    if (subBody !== undefined) sub.body = subBody;
    if (isPlainObject(httpHeaders))
      sub.httpHeaders = Object.fromEntries(
        Object.entries(httpHeaders).map(([k, v]) => [k.toLowerCase(), String(v)]),
      );
    return sub;
  });
}

/** walk `records[0].Id` style paths into an earlier response body */
function lookup(value: unknown, path: string): unknown {
  let current = value;
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (m === null) return undefined;
    const key = m[1] ?? '';
    if (key !== '') current = isPlainObject(current) ? current[key] : undefined;
    for (const index of (m[2] ?? '').matchAll(/\[(\d+)\]/g)) {
      current = Array.isArray(current) ? (current[Number(index[1])] as unknown) : undefined;
    }
    if (current === undefined) return undefined;
  }
  return current;
}

class ReferenceError_ extends Error {}

function resolveText(text: string, refs: Map<string, unknown>, encode: boolean): string {
  return text.replace(REFERENCE, (_all, ref: string, path: string) => {
    const body = refs.get(ref);
    const value = body === undefined ? undefined : lookup(body, path);
    if (value === undefined || value === null || typeof value === 'object') {
      throw new ReferenceError_(
        `Invalid reference specified. No value for ${ref}.${path} found in ${ref}. Provided referenceId ${ref}.`,
      );
    }
    const str = typeof value === 'string' ? value : JSON.stringify(value);
    return encode ? encodeURIComponent(str) : str;
  });
}

function resolveBody(value: unknown, refs: Map<string, unknown>): unknown {
  if (typeof value === 'string') {
    // A whole-string reference keeps the referenced value's type (e.g. a number or boolean).
    const whole = /^@\{([A-Za-z0-9_]+)\.([^}]+)\}$/.exec(value);
    if (whole?.[1] !== undefined && whole[2] !== undefined) {
      const found = lookup(refs.get(whole[1]), whole[2]);
      if (found === undefined) resolveText(value, refs, false);
      return found;
    }
    return resolveText(value, refs, false);
  }
  if (Array.isArray(value)) return value.map((v) => resolveBody(v, refs));
  if (isPlainObject(value))
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveBody(v, refs)]));
  return value;
}

export async function composite(call: RestCall): Promise<ApiResult> {
  const body = parseJsonObject(call.req);
  const allOrNone = body['allOrNone'] === true;
  const subrequests = parseSubrequests(body);
  const snapshot = allOrNone ? call.org.data.snapshot() : undefined;
  const refs = new Map<string, unknown>();
  const responses: SubResponse[] = [];
  let failedAt = -1;
  for (const [i, sub] of subrequests.entries()) {
    let url: string;
    let subBody: unknown;
    try {
      url = resolveText(sub.url, refs, true);
      subBody = sub.body === undefined ? undefined : resolveBody(sub.body, refs);
    } catch (err) {
      if (!(err instanceof ReferenceError_)) throw err;
      responses.push(halted(sub.referenceId, err.message));
      if (allOrNone) {
        failedAt = i;
        break;
      }
      continue;
    }
    const { path, query } = splitUrl(url);
    const result = await call.subrequest({
      method: sub.method,
      path,
      query,
      headers: { ...call.req.headers, ...sub.httpHeaders, 'content-type': 'application/json' },
      rawBody: subBody === undefined ? undefined : JSON.stringify(subBody),
    });
    const response: SubResponse = {
      body: result.body ?? null,
      httpHeaders: result.headers ?? {},
      httpStatusCode: result.status,
      referenceId: sub.referenceId,
    };
    responses.push(response);
    if (result.status < 300) refs.set(sub.referenceId, result.body);
    else if (allOrNone) {
      failedAt = i;
      break;
    }
  }
  if (failedAt >= 0 && snapshot !== undefined) {
    call.org.data.restore(snapshot);
    const out = subrequests.map((sub, i) =>
      i === failedAt
        ? (responses[i] ?? halted(sub.referenceId, ROLLED_BACK))
        : halted(sub.referenceId, ROLLED_BACK),
    );
    return json(200, { compositeResponse: out });
  }
  return json(200, { compositeResponse: responses });
}
