// What a failed attempt means for retrying: whether Salesforce can have applied it, and how long to wait.
// https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/errorcodes.htm

export interface AttemptFailure {
  /** HTTP status, or null when no response arrived */
  status: number | null;
  /** Salesforce errorCode from the body, or the network error code (ECONNRESET...) */
  errorCode: string | null;
  message: string;
  /** the same response's Sforce-Limit-Info api-usage, when it carried one */
  usage?: { used: number; max: number } | null;
}

export type FailureKind =
  /** 401 INVALID_SESSION_ID: log in again once, then retry */
  | 'session-expired'
  /** 403 REQUEST_LIMIT_EXCEEDED for the daily allocation (not the concurrent-request limit): pause, do not retry */
  | 'limit'
  /** Salesforce answered and did not apply the request (503 SERVER_UNAVAILABLE, 500 UNKNOWN_EXCEPTION,
   *  UNABLE_TO_LOCK_ROW) or the connection was refused: any request may be retried */
  | 'transient-not-applied'
  /** no answer after sending (reset, hang-up, timeout) or an edge error: a write may have been applied */
  | 'transient-ambiguous'
  | 'permanent';

const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'ENETDOWN',
  'EHOSTDOWN',
]);
const DROPPED = new Set([
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'ECONNABORTED',
  'AbortError',
  'FetchError',
]);

/**
 * 401s that a new token cannot cure (app or policy changes in the org); jsforce's isSessionExpired skip list
 * (lib/http-api.js), without which a client re-logs in forever.
 */
const NOT_EXPIRY_401 =
  /Connected app is not attached to Agent|This session is not valid for use with the REST API/i;

export function classifyFailure(failure: AttemptFailure): FailureKind {
  const { status, errorCode } = failure;
  if (status === null) {
    if (errorCode && NOT_SENT.has(errorCode)) return 'transient-not-applied';
    if (errorCode && DROPPED.has(errorCode)) return 'transient-ambiguous';
    return /socket hang up|reset|timeout|aborted/i.test(failure.message)
      ? 'transient-ambiguous'
      : 'permanent';
  }
  if (status === 401 && NOT_EXPIRY_401.test(failure.message)) return 'permanent';
  // Any other 401 means the token is no longer good, whatever the body: REST answers INVALID_SESSION_ID, the
  // identity URL and userinfo a plain-text Bad_OAuth_Token (jsforce treats every 401 so, too).
  if (errorCode === 'INVALID_SESSION_ID' || status === 401) return 'session-expired';
  if (errorCode === 'REQUEST_LIMIT_EXCEEDED') {
    // Salesforce answers REQUEST_LIMIT_EXCEEDED both for the daily allocation ("TotalRequests Limit exceeded.") and
    // for the concurrent long-running-request limit, which clears in seconds. Only the first, or a usage header
    // showing the allocation spent, warrants pausing the tenant; anything else is backed off and retried.
    // https://developer.salesforce.com/docs/atlas.en-us.salesforce_app_limits_cheatsheet.meta/salesforce_app_limits_cheatsheet/salesforce_app_limits_platform_api.htm
    const spent = failure.usage != null && failure.usage.max > 0 && failure.usage.used >= failure.usage.max;
    return spent || /TotalRequests Limit exceeded/i.test(failure.message) ? 'limit' : 'transient-not-applied';
  }
  if (errorCode === 'UNABLE_TO_LOCK_ROW') return 'transient-not-applied';
  // A Salesforce error body means the transaction rolled back; an edge/proxy error without one proves nothing.
  if (
    (status === 503 && errorCode === 'SERVER_UNAVAILABLE') ||
    (status === 500 && errorCode === 'UNKNOWN_EXCEPTION')
  ) {
    return 'transient-not-applied';
  }
  if (status === 502 || status === 503 || status === 504 || status === 500) return 'transient-ambiguous';
  return 'permanent';
}

/** How a request may be repeated after a failure it cannot rule out having applied. */
export type WriteSafety = 'read' | 'idempotent' | 'unsafe';

export interface RetryOptions {
  /** attempts in all, the first included (401 re-login retries are on top) */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryOptions = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 30_000 };

/** Exponential backoff with full jitter (AWS architecture blog, "Exponential Backoff And Jitter"). */
export function backoffDelay(retry: number, options: RetryOptions, random: () => number): number {
  const ceiling = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.floor(random() * ceiling);
}

/** Whether a failure may be retried blindly for a request of this safety (reconciliation is the caller's). */
export function mayRetry(kind: FailureKind, safety: WriteSafety): boolean {
  if (kind === 'transient-not-applied') return true;
  if (kind === 'transient-ambiguous') return safety !== 'unsafe';
  return false;
}
