// What one delivery attempt came to, in the terms the outbox dispatcher acts on: done, try again later, or give
// up (dead letter, retried by hand once the receiver is fixed). Classifying lives here, apart from the I/O.

export type DeliveryOutcome =
  | { readonly kind: 'delivered'; readonly status: number }
  | {
      readonly kind: 'retryable';
      /** short, secret-free, for the outbox row and the log */
      readonly reason: string;
      readonly status?: number;
      /** the receiver's Retry-After, in seconds from now, when it sent one */
      readonly retryAfterSeconds?: number;
      /** a NOTIFY_ code when the URL policy was the cause */
      readonly code?: string;
    }
  | {
      readonly kind: 'permanent';
      readonly reason: string;
      readonly status?: number;
      readonly code?: string;
    };

/** Statuses that say "not now" rather than "never": request timeout, too early, too many requests. */
const RETRYABLE_4XX = new Set([408, 425, 429]);
/** 5xx that will not change by waiting: the receiver does not implement POST or this HTTP version. */
const PERMANENT_5XX = new Set([501, 505]);

/**
 * Classifies a response status. 2xx is delivered. A 3xx is permanent: casebridge never follows redirects (the
 * target would escape the URL policy), so the receiver must give its final URL. Other 4xx are permanent (the
 * receiver refuses this request as it is: bad signature, gone, too large); 5xx and the "not now" 4xx are retried.
 */
export function classifyStatus(status: number, retryAfterSeconds?: number): DeliveryOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const retryAfter = retryAfterSeconds === undefined ? {} : { retryAfterSeconds };
  if (status >= 300 && status < 400)
    return {
      kind: 'permanent',
      status,
      reason: `redirect refused (HTTP ${status}): configure the final URL`,
    };
  if (RETRYABLE_4XX.has(status))
    return { kind: 'retryable', status, reason: `HTTP ${status}`, ...retryAfter };
  if (status >= 500 && status < 600 && !PERMANENT_5XX.has(status))
    return { kind: 'retryable', status, reason: `HTTP ${status}`, ...retryAfter };
  return { kind: 'permanent', status, reason: `HTTP ${status}` };
}

/** Certificate and TLS failures: the receiver's operator must act, waiting will not help. */
function isTlsFailure(code: string): boolean {
  return (
    code.startsWith('ERR_TLS_') ||
    code.startsWith('ERR_SSL_') ||
    code.startsWith('CERT_') ||
    code.startsWith('UNABLE_TO_') ||
    code === 'DEPTH_ZERO_SELF_SIGNED_CERT' ||
    code === 'SELF_SIGNED_CERT_IN_CHAIN' ||
    code === 'HOSTNAME_MISMATCH'
  );
}

/**
 * Classifies a failure before any response status arrived. Connection-level trouble (refused, reset, unreachable,
 * DNS temporarily failing, a malformed response) is retried; TLS and certificate failures are permanent. Anything
 * unknown is retried: the dispatcher's attempt limit still ends it in the dead letters, and retrying loses nothing.
 */
export function classifyNetworkError(err: unknown): DeliveryOutcome {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && isTlsFailure(code)) return { kind: 'permanent', reason: `TLS: ${code}` };
  return { kind: 'retryable', reason: typeof code === 'string' ? code : 'network error' };
}

/**
 * Reads Retry-After: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Returns seconds from now, or undefined
 * when absent or unreadable.
 */
export function parseRetryAfter(value: string | undefined, nowSeconds: number): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil(at / 1000 - nowSeconds));
}
