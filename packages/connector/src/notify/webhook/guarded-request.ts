// One outbound HTTP request under the webhook URL policy: the URL and every address its host resolves to are
// checked, the socket connects to the checked address only (TLS and the Host header keep the name), redirects are
// never followed, the whole exchange has a deadline, and at most a bounded number of response bytes are read.
// The webhook sender and the identity-key (JWKS) fetch both go out through here.

import http, { type IncomingHttpHeaders } from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';

import { appError, isAppError, type AppError } from '../../errors/app-error.js';
import { NOTIFY_REQUEST_FAILED } from '../../errors/codes/notify.js';
import { InvariantError } from '../../errors/invariant-error.js';
import {
  resolveWebhookTarget,
  systemResolver,
  type HostResolver,
  type ResolvedAddress,
  type WebhookUrlPolicy,
} from './url-policy.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface GuardedRequest {
  readonly url: string;
  readonly method: 'GET' | 'POST';
  readonly headers?: Readonly<Record<string, string | number>>;
  readonly body?: string;
  /** the caller's own cancellation, on top of the deadline */
  readonly signal?: AbortSignal;
}

export interface GuardedRequestOptions {
  readonly policy: WebhookUrlPolicy;
  readonly resolve?: HostResolver;
  /** the whole exchange, resolution included; 10 s */
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  /** extra trusted CAs for https (a private CA); the system's are used otherwise */
  readonly ca?: string | readonly string[];
}

export type GuardedResult =
  | {
      readonly kind: 'response';
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      /** at most maxResponseBytes */
      readonly body: Buffer;
      /** false when the body was cut at the limit, or the deadline or the peer ended it early */
      readonly complete: boolean;
      readonly address: string;
    }
  /** the URL policy refused the URL or an address: a NOTIFY_WEBHOOK_* AppError */
  | { readonly kind: 'refused'; readonly error: AppError }
  | {
      readonly kind: 'failed';
      readonly error: unknown;
      readonly timedOut: boolean;
      /** the address being connected to, when resolution had succeeded */
      readonly address?: string;
    };

/**
 * A `lookup` that answers only with the address the policy checked, so the socket cannot reach anything else.
 * Node calls it with `all: true` when happy-eyeballs (autoSelectFamily) is on, and without otherwise.
 */
export function pinnedLookup(hostname: string, pinned: ResolvedAddress): LookupFunction {
  return (host, options, callback) => {
    if (host !== hostname) {
      // the socket looks up only the host it was made for: another one is a bug, never reached
      callback(new InvariantError(`the pinned lookup for ${hostname} was asked for ${host}`), '', 0);
      return;
    }
    if (options.all === true)
      (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(null, [
        { address: pinned.address, family: pinned.family },
      ]);
    else callback(null, pinned.address, pinned.family);
  };
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void =>
      reject(appError(NOTIFY_REQUEST_FAILED, { params: { reason: 'it was aborted' } }));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** Sends one request. Never throws for what the network, the peer or the policy does: that is in the result. */
export async function guardedRequest(
  request: GuardedRequest,
  options: GuardedRequestOptions,
): Promise<GuardedResult> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const cancel = (): void => abort.abort();
  if (request.signal?.aborted === true) abort.abort();
  request.signal?.addEventListener('abort', cancel, { once: true });
  try {
    return await exchange(request, options, abort.signal);
  } finally {
    clearTimeout(timer);
    request.signal?.removeEventListener('abort', cancel);
  }
}

async function exchange(
  request: GuardedRequest,
  options: GuardedRequestOptions,
  signal: AbortSignal,
): Promise<GuardedResult> {
  let target;
  try {
    target = await raceAbort(
      resolveWebhookTarget(request.url, options.policy, options.resolve ?? systemResolver),
      signal,
    );
  } catch (err) {
    if (signal.aborted) return { kind: 'failed', error: err, timedOut: true };
    if (isAppError(err)) return { kind: 'refused', error: err };
    return { kind: 'failed', error: err, timedOut: false };
  }
  const { url, hostname, address } = target;
  const secure = url.protocol === 'https:';
  const headers: Record<string, string | number> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = Buffer.byteLength(request.body);
  const requestOptions: https.RequestOptions = {
    method: request.method,
    hostname,
    port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
    path: `${url.pathname}${url.search}`,
    headers,
    lookup: pinnedLookup(hostname, address),
    // a fresh connection per request: a pooled socket could predate this request's address check
    agent: false,
    signal,
  };
  if (secure) {
    // SNI only for names (RFC 6066 §3 forbids IP literals); the certificate is checked against the name either way
    if (isIP(hostname) === 0) requestOptions.servername = hostname;
    if (options.ca !== undefined) requestOptions.ca = [options.ca].flat();
  }
  const limit = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  return new Promise<GuardedResult>((resolve) => {
    let settled = false;
    const settle = (result: GuardedResult): void => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const outgoing = (secure ? https : http).request(requestOptions, (response) => {
      const chunks: Buffer[] = [];
      let bytes = 0;
      // a 3xx is answered like any other status: the caller sees it and nothing follows its Location
      const finish = (complete: boolean): void =>
        settle({
          kind: 'response',
          status: response.statusCode ?? 0,
          headers: response.headers,
          body: Buffer.concat(chunks, bytes),
          complete,
          address: address.address,
        });
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = limit - bytes;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          bytes += room;
          // an endless or huge answer is cut, never buffered
          finish(false);
          response.destroy();
          return;
        }
        chunks.push(chunk);
        bytes += chunk.length;
      });
      response.on('end', () => finish(true));
      response.on('error', () => finish(false));
      response.on('close', () => finish(false));
    });
    outgoing.on('error', (err) =>
      settle({ kind: 'failed', error: err, timedOut: signal.aborted, address: address.address }),
    );
    outgoing.end(request.body);
  });
}
