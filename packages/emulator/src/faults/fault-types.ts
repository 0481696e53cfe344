// What a fault is: which requests it matches, what it does to them, and when it stops by itself.

/**
 * - `server-unavailable`: 503 SERVER_UNAVAILABLE
 * - `request-limit`: 403 REQUEST_LIMIT_EXCEEDED
 * - `invalid-session`: 401 INVALID_SESSION_ID
 * - `unable-to-lock-row`: 400 UNABLE_TO_LOCK_ROW
 * - `latency`: the request is delayed by `latencyMs`, then served normally
 * - `drop-before`: the socket is destroyed before the request is handled (nothing was applied)
 * - `drop-after`: the request is handled (a write is applied), then the socket is destroyed without a response
 */
export const FAULT_KINDS = [
  'server-unavailable',
  'request-limit',
  'invalid-session',
  'unable-to-lock-row',
  'latency',
  'drop-before',
  'drop-after',
] as const;

export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  kind: FaultKind;
  /** HTTP method to match (any when omitted) */
  method?: string;
  /** path glob (`*` matches anything, e.g. `*\/sobjects/Case*`), or a regular expression when it starts with `^` */
  path?: string;
  /** org id to match (any when omitted) */
  orgId?: string;
  /** probability in (0, 1] that a matching request is hit; omitted = every matching request (a script) */
  rate?: number;
  /** stop after hitting this many requests */
  count?: number;
  /** stop this many milliseconds (emulator clock) after being added */
  ttlMs?: number;
  /** for `latency`: the delay */
  latencyMs?: number;
}

export interface Fault extends FaultSpec {
  id: string;
  createdAt: string;
  /** requests hit so far */
  hits: number;
}
