// One webhook delivery attempt: check the URL and its addresses under the policy, sign, POST to the checked
// address with the host name kept for TLS (SNI, certificate check) and the Host header, wait at most the timeout
// for the whole attempt, read at most 64 KB of the answer, and say what came of it. Never follows redirects; never
// logs the body, the secrets or the URL's path and query (receivers put tokens there).

import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';

import { isAppError } from '../../errors/app-error.js';
import { NOTIFY_WEBHOOK_HOST_UNRESOLVED, NOTIFY_WEBHOOK_NO_SECRET } from '../../errors/codes/notify.js';
import type { Logger } from '../../logging/logger.js';
import { classifyNetworkError, classifyStatus, parseRetryAfter, type DeliveryOutcome } from './outcome.js';
import { signWebhook } from './signature.js';
import {
  resolveWebhookTarget,
  systemResolver,
  type HostResolver,
  type ResolvedAddress,
  type WebhookUrlPolicy,
} from './url-policy.js';

export const DEFAULT_TIMEOUT_MS = 10_000;
export const MAX_RESPONSE_BYTES = 64 * 1024;

export interface WebhookDelivery {
  readonly url: string;
  readonly eventId: string;
  /** the serialised payload, sent and signed byte for byte */
  readonly body: string;
  /** active signing secrets: one, or two during a rotation */
  readonly secrets: readonly string[];
  readonly contentType?: string;
}

export interface WebhookSenderOptions {
  readonly policy: WebhookUrlPolicy;
  /** Unix seconds, from the injected clock: the signature's timestamp */
  readonly nowSeconds: () => number;
  readonly resolve?: HostResolver;
  /** the whole attempt, resolution included; 10 s */
  readonly timeoutMs?: number;
  readonly maxResponseBytes?: number;
  readonly logger?: Logger;
  /** extra trusted CAs for https receivers (a private CA); the system's are used otherwise */
  readonly ca?: string | readonly string[];
}

/** What the attempt observed, beside its outcome: for the outbox row, never containing the request body. */
export interface DeliveryReport {
  readonly outcome: DeliveryOutcome;
  /** the address connected to (absent when the attempt ended before connecting) */
  readonly address?: string;
  readonly responseBytes: number;
  readonly responseTruncated: boolean;
}

/**
 * A `lookup` that answers only with the address the policy checked, so the socket cannot reach anything else.
 * Node calls it with `all: true` when happy-eyeballs (autoSelectFamily) is on, and without otherwise.
 */
function pinnedLookup(hostname: string, pinned: ResolvedAddress): LookupFunction {
  return (host, options, callback) => {
    if (host !== hostname) {
      callback(Object.assign(new Error('unexpected host'), { code: 'ENOTFOUND' }), '', 0);
      return;
    }
    if (options.all === true)
      (callback as unknown as (err: null, addresses: { address: string; family: number }[]) => void)(null, [
        { address: pinned.address, family: pinned.family },
      ]);
    else callback(null, pinned.address, pinned.family);
  };
}

export class WebhookSender {
  private readonly resolve: HostResolver;
  private readonly timeoutMs: number;
  private readonly maxResponseBytes: number;

  constructor(private readonly options: WebhookSenderOptions) {
    this.resolve = options.resolve ?? systemResolver;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.maxResponseBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  }

  /** One attempt. Never throws for anything the receiver or the network does: that is in the outcome. */
  async send(delivery: WebhookDelivery): Promise<DeliveryReport> {
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    try {
      const report = await this.attempt(delivery, abort.signal);
      this.options.logger?.info(
        {
          eventId: delivery.eventId,
          host: safeHost(delivery.url),
          address: report.address,
          outcome: report.outcome.kind,
          status: 'status' in report.outcome ? report.outcome.status : undefined,
          reason: report.outcome.kind === 'delivered' ? undefined : report.outcome.reason,
        },
        'webhook attempt',
      );
      return report;
    } finally {
      clearTimeout(timer);
    }
  }

  private async attempt(delivery: WebhookDelivery, signal: AbortSignal): Promise<DeliveryReport> {
    const empty = { responseBytes: 0, responseTruncated: false };
    if (delivery.secrets.length === 0)
      return {
        outcome: {
          kind: 'permanent',
          reason: NOTIFY_WEBHOOK_NO_SECRET.message,
          code: NOTIFY_WEBHOOK_NO_SECRET.code,
        },
        ...empty,
      };
    let target;
    try {
      target = await raceAbort(resolveWebhookTarget(delivery.url, this.options.policy, this.resolve), signal);
    } catch (err) {
      if (signal.aborted)
        return { outcome: { kind: 'retryable', reason: 'timeout resolving host' }, ...empty };
      if (isAppError(err))
        return {
          outcome:
            err.code === NOTIFY_WEBHOOK_HOST_UNRESOLVED.code
              ? { kind: 'retryable', reason: err.message, code: err.code }
              : { kind: 'permanent', reason: err.message, code: err.code },
          ...empty,
        };
      return { outcome: classifyNetworkError(err), ...empty };
    }
    const headers = signWebhook({
      eventId: delivery.eventId,
      body: delivery.body,
      secrets: delivery.secrets,
      timestampSeconds: this.options.nowSeconds(),
    });
    const { url, hostname, address } = target;
    const secure = url.protocol === 'https:';
    const requestOptions: https.RequestOptions = {
      method: 'POST',
      hostname,
      port: url.port === '' ? (secure ? 443 : 80) : Number(url.port),
      path: `${url.pathname}${url.search}`,
      headers: {
        'content-type': delivery.contentType ?? 'application/json',
        'content-length': Buffer.byteLength(delivery.body),
        'user-agent': 'casebridge-webhook/1',
        ...headers,
      },
      lookup: pinnedLookup(hostname, address),
      // a fresh connection per attempt: a pooled socket could predate this attempt's address check
      agent: false,
      signal,
    };
    if (secure) {
      // SNI only for names (RFC 6066 §3 forbids IP literals); certificate checked against the name either way
      if (isIP(hostname) === 0) requestOptions.servername = hostname;
      if (this.options.ca !== undefined) requestOptions.ca = [this.options.ca].flat();
    }
    const base = { address: address.address };
    return new Promise<DeliveryReport>((resolve) => {
      let settled = false;
      const settle = (report: DeliveryReport): void => {
        if (settled) return;
        settled = true;
        resolve(report);
      };
      const request = (secure ? https : http).request(requestOptions, (response) => {
        const status = response.statusCode ?? 0;
        const retryAfter: string | undefined = response.headers['retry-after'];
        const outcome = classifyStatus(status, parseRetryAfter(retryAfter, this.options.nowSeconds()));
        let bytes = 0;
        let truncated = false;
        // The status decides the outcome; the body is read (bounded) so the connection ends cleanly and its
        // size can be reported, but an endless or huge answer is cut, never buffered.
        const finish = (): void =>
          settle({ outcome, ...base, responseBytes: bytes, responseTruncated: truncated });
        response.on('data', (chunk: Buffer) => {
          if (settled) return;
          const room = this.maxResponseBytes - bytes;
          if (chunk.length > room) {
            bytes += room;
            truncated = true;
            finish();
            response.destroy();
            return;
          }
          bytes += chunk.length;
        });
        response.on('end', finish);
        response.on('error', finish);
        response.on('close', finish);
      });
      request.on('error', (err) => {
        if (signal.aborted) settle({ outcome: { kind: 'retryable', reason: 'timeout' }, ...base, ...empty });
        else settle({ outcome: classifyNetworkError(err), ...base, ...empty });
      });
      request.end(delivery.body);
    });
  }
}

function raceAbort<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new Error('aborted'));
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    void work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

/** The host alone, for logs: paths and queries of webhook URLs often carry tokens. */
function safeHost(text: string): string | undefined {
  try {
    return new URL(text).host;
  } catch {
    return undefined;
  }
}
