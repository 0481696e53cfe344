// A fetch-shaped GET under the webhook URL policy, for documents casebridge must fetch from an operator-given URL:
// the identity-token keys (a JWKS URL). Pass it to jose as `createRemoteJWKSet(url, { [customFetch]: fetch })`, so
// a JWKS URL can no more reach a private address, follow a redirect or stream forever than a webhook can.

import { guardedRequest, type GuardedRequestOptions } from './guarded-request.js';
import { appError } from '../../errors/app-error.js';
import { NOTIFY_REQUEST_FAILED } from '../../errors/codes/notify.js';

export type PolicyFetch = (
  url: string,
  init?: { method?: string; headers?: Headers | Record<string, string>; signal?: AbortSignal },
) => Promise<Response>;

function plainHeaders(headers: Headers | Record<string, string> | undefined): Record<string, string> {
  if (headers === undefined) return {};
  if (headers instanceof Headers) return Object.fromEntries(headers.entries());
  return { ...headers };
}

/**
 * GET only. A refused URL rejects with the policy's AppError (NOTIFY_WEBHOOK_*); a network failure or the deadline
 * rejects too; a body larger than the limit rejects rather than hand over a cut document. Statuses, 3xx included,
 * come back as they are: nothing is followed.
 */
export function createPolicyFetch(options: GuardedRequestOptions): PolicyFetch {
  return async (url, init = {}) => {
    if (init.method !== undefined && init.method.toUpperCase() !== 'GET')
      throw new TypeError('policy fetch sends GET requests only');
    const result = await guardedRequest(
      {
        url,
        method: 'GET',
        headers: plainHeaders(init.headers),
        ...(init.signal === undefined ? {} : { signal: init.signal }),
      },
      options,
    );
    if (result.kind === 'refused') throw result.error;
    if (result.kind === 'failed')
      throw result.timedOut
        ? appError(NOTIFY_REQUEST_FAILED, { params: { reason: 'it timed out' }, cause: result.error })
        : result.error instanceof Error
          ? result.error
          : appError(NOTIFY_REQUEST_FAILED, { params: { reason: 'the connection failed' } });
    if (!result.complete)
      throw appError(NOTIFY_REQUEST_FAILED, {
        params: { reason: 'the response was incomplete or larger than allowed' },
      });
    const headers = new Headers();
    for (const [name, value] of Object.entries(result.headers)) {
      if (value === undefined) continue;
      for (const one of [value].flat()) headers.append(name, one);
    }
    // a Response cannot carry a body with a null-body status (204, 304...)
    const nullBody = [101, 103, 204, 205, 304].includes(result.status);
    return new Response(nullBody ? null : result.body, { status: result.status, headers });
  };
}
