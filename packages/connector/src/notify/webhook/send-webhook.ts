// One webhook delivery attempt: sign, POST under the URL policy (guarded-request.ts: checked addresses only, no
// redirects, 10 s for the whole attempt, at most 64 KB of the answer read), and say what came of it in the
// outbox's terms. Never logs the body, the secrets or the URL's path and query (receivers put tokens there).

import type { Logger } from '../../logging/logger.js';
import { NOTIFY_WEBHOOK_HOST_UNRESOLVED, NOTIFY_WEBHOOK_NO_SECRET } from '../../errors/codes/notify.js';
import { guardedRequest, type GuardedRequestOptions } from './guarded-request.js';
import { classifyNetworkError, classifyStatus, parseRetryAfter, type DeliveryOutcome } from './outcome.js';
import { signWebhook } from './signature.js';

export { DEFAULT_TIMEOUT_MS, MAX_RESPONSE_BYTES } from './guarded-request.js';

export interface WebhookDelivery {
  readonly url: string;
  readonly eventId: string;
  /** the serialised payload, sent and signed byte for byte */
  readonly body: string;
  /** active signing secrets: one, or two during a rotation */
  readonly secrets: readonly string[];
  readonly contentType?: string;
}

export interface WebhookSenderOptions extends GuardedRequestOptions {
  /** Unix seconds, from the injected clock: the signature's timestamp */
  readonly nowSeconds: () => number;
  readonly logger?: Logger;
}

/** What the attempt observed, beside its outcome: for the outbox row, never containing the request body. */
export interface DeliveryReport {
  readonly outcome: DeliveryOutcome;
  /** the address connected to (absent when the attempt ended before connecting) */
  readonly address?: string;
  readonly responseBytes: number;
  readonly responseTruncated: boolean;
}

export class WebhookSender {
  constructor(private readonly options: WebhookSenderOptions) {}

  /** One attempt. Never throws for anything the receiver or the network does: that is in the outcome. */
  async send(delivery: WebhookDelivery): Promise<DeliveryReport> {
    const report = await this.attempt(delivery);
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
  }

  private async attempt(delivery: WebhookDelivery): Promise<DeliveryReport> {
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
    const signed = signWebhook({
      eventId: delivery.eventId,
      body: delivery.body,
      secrets: delivery.secrets,
      timestampSeconds: this.options.nowSeconds(),
    });
    const result = await guardedRequest(
      {
        url: delivery.url,
        method: 'POST',
        headers: {
          'content-type': delivery.contentType ?? 'application/json',
          'user-agent': 'casebridge-webhook/1',
          ...signed,
        },
        body: delivery.body,
      },
      this.options,
    );
    switch (result.kind) {
      case 'refused': {
        const { code, message } = result.error;
        // a name that does not resolve may resolve later; an address or URL the policy refuses will not change
        return {
          outcome:
            code === NOTIFY_WEBHOOK_HOST_UNRESOLVED.code
              ? { kind: 'retryable', reason: message, code }
              : { kind: 'permanent', reason: message, code },
          ...empty,
        };
      }
      case 'failed': {
        const outcome: DeliveryOutcome = result.timedOut
          ? { kind: 'retryable', reason: result.address === undefined ? 'timeout resolving host' : 'timeout' }
          : classifyNetworkError(result.error);
        return { outcome, ...(result.address === undefined ? {} : { address: result.address }), ...empty };
      }
      case 'response': {
        const retryAfter: string | undefined = result.headers['retry-after'];
        // the status decides: a 2xx whose body was cut or dropped was still accepted by the receiver
        return {
          outcome: classifyStatus(result.status, parseRetryAfter(retryAfter, this.options.nowSeconds())),
          address: result.address,
          responseBytes: result.body.length,
          responseTruncated: !result.complete,
        };
      }
    }
  }
}

/** The host alone, for logs: paths and queries of webhook URLs often carry tokens. */
function safeHost(text: string): string | undefined {
  try {
    return new URL(text).host;
  } catch {
    return undefined;
  }
}
