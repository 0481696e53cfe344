// Webhook signatures. The scheme, stated once (docs/webhooks.md repeats it for receivers):
//
//   signed content  = <Casebridge-Timestamp> + "." + <the raw request body, exactly as sent>
//   one signature   = "v1=" + lowercase hex of HMAC-SHA256(key = the secret's UTF-8 bytes, signed content)
//   Casebridge-Signature = the signatures of every active secret, joined by ", "
//
// The timestamp is Unix seconds at the moment of the attempt (each retry is signed afresh), so a receiver can refuse
// old requests (the replay window, 5 minutes by default) without refusing late retries. Two secrets are active while
// one is rotated: the receiver accepts a request when any signature matches any secret it holds, so either side
// can switch first. The version prefix lets the scheme change later without breaking receivers.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

import { appError } from '../../errors/app-error.js';
import { NOTIFY_WEBHOOK_NO_SECRET, NOTIFY_WEBHOOK_SECRET_INVALID } from '../../errors/codes/notify.js';

export const WEBHOOK_HEADERS = {
  eventId: 'Casebridge-Event-Id',
  timestamp: 'Casebridge-Timestamp',
  signature: 'Casebridge-Signature',
} as const;

export const SIGNATURE_VERSION = 'v1';
/** How far a timestamp may be from the receiver's clock, either way. */
export const DEFAULT_REPLAY_WINDOW_SECONDS = 300;
export const MIN_SECRET_LENGTH = 32;
/** Secrets casebridge makes start with this, so one found in a file or a chat is recognisable (and scrubbable). */
export const SECRET_PREFIX = 'whsec_';

/** A new signing secret: 32 random bytes, base64url, prefixed. `random` is injectable for tests. */
export function createWebhookSecret(random: (size: number) => Buffer = randomBytes): string {
  return `${SECRET_PREFIX}${random(32).toString('base64url')}`;
}

/** Refuses secrets that are short or hold characters a shell, a YAML file or a header would mangle. */
export function checkWebhookSecret(secret: string): void {
  if (secret.length < MIN_SECRET_LENGTH || !/^[\x21-\x7e]+$/.test(secret))
    throw appError(NOTIFY_WEBHOOK_SECRET_INVALID, { params: { minLength: MIN_SECRET_LENGTH } });
}

function hmacHex(secret: string, timestamp: string, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

export interface SignedHeaders {
  [WEBHOOK_HEADERS.eventId]: string;
  [WEBHOOK_HEADERS.timestamp]: string;
  [WEBHOOK_HEADERS.signature]: string;
}

/**
 * The three headers of one delivery attempt. `secrets` are the active ones (one, or two during a rotation);
 * `timestampSeconds` is now, in Unix seconds, from the injected clock.
 */
export function signWebhook(input: {
  eventId: string;
  body: string | Buffer;
  secrets: readonly string[];
  timestampSeconds: number;
}): SignedHeaders {
  if (input.secrets.length === 0) throw appError(NOTIFY_WEBHOOK_NO_SECRET);
  const timestamp = String(Math.floor(input.timestampSeconds));
  const signatures = input.secrets.map(
    (secret) => `${SIGNATURE_VERSION}=${hmacHex(secret, timestamp, input.body)}`,
  );
  return {
    [WEBHOOK_HEADERS.eventId]: input.eventId,
    [WEBHOOK_HEADERS.timestamp]: timestamp,
    [WEBHOOK_HEADERS.signature]: signatures.join(', '),
  };
}

export type VerifyResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      readonly reason: 'missing-headers' | 'bad-timestamp' | 'stale-timestamp' | 'no-matching-signature';
    };

/**
 * What a receiver does with a request (docs/webhooks.md holds the same logic as a standalone snippet, and a test
 * holds the two to the same answers): check the timestamp is within the window, then compare each `v1=`
 * signature with the HMAC of each of its secrets, in constant time. Deduplicate on the event id afterwards.
 */
export function verifyWebhook(input: {
  body: string | Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  secrets: readonly string[];
  nowSeconds: number;
  windowSeconds?: number;
}): VerifyResult {
  const { timestamp, signature } = input;
  if (timestamp === undefined || signature === undefined) return { ok: false, reason: 'missing-headers' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'bad-timestamp' };
  const window = input.windowSeconds ?? DEFAULT_REPLAY_WINDOW_SECONDS;
  if (Math.abs(input.nowSeconds - Number(timestamp)) > window)
    return { ok: false, reason: 'stale-timestamp' };
  const offered = signature
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SIGNATURE_VERSION}=`))
    .map((part) => Buffer.from(part.slice(SIGNATURE_VERSION.length + 1), 'utf8'));
  for (const secret of input.secrets) {
    const expected = Buffer.from(hmacHex(secret, timestamp, input.body), 'utf8');
    if (
      offered.some(
        (candidate) => candidate.length === expected.length && timingSafeEqual(candidate, expected),
      )
    )
      return { ok: true };
  }
  return { ok: false, reason: 'no-matching-signature' };
}
