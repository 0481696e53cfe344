// NOTIFY_: delivering notifications to the operator's receiver (the signed webhook and its URL policy).

import { defineError } from '../define-error.js';
import { EXIT } from '../exit-codes.js';

export const NOTIFY_WEBHOOK_URL_INVALID = defineError(
  'NOTIFY_WEBHOOK_URL_INVALID',
  'The webhook URL is not usable: {reason}',
  'Give an absolute URL such as https://bot.example.com/casebridge/events (scheme, host and path; no spaces).',
  400,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_URL_INSECURE = defineError(
  'NOTIFY_WEBHOOK_URL_INSECURE',
  'The webhook URL uses {scheme}: casebridge delivers over https only.',
  'Use an https:// URL. For a receiver on a trusted network (tests, the demo), the operator can allow plain http with CASEBRIDGE_WEBHOOK_ALLOW_HTTP=true.',
  400,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_URL_CREDENTIALS = defineError(
  'NOTIFY_WEBHOOK_URL_CREDENTIALS',
  'The webhook URL carries a user name or password.',
  'Remove the user:password@ part: URLs end up in logs and listings. The receiver authenticates casebridge by the Casebridge-Signature header (docs/webhooks.md).',
  400,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_ADDRESS_BLOCKED = defineError(
  'NOTIFY_WEBHOOK_ADDRESS_BLOCKED',
  'The webhook host {host} leads to {address}, which is not a public address ({range}).',
  'Point the webhook at a publicly reachable receiver. If this receiver is meant to be on a private network, the operator can allow its range with CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS (e.g. 10.20.0.0/16).',
  400,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_HOST_UNRESOLVED = defineError(
  'NOTIFY_WEBHOOK_HOST_UNRESOLVED',
  'The webhook host {host} cannot be resolved: {reason}',
  'Check the host name for typos and that this machine can resolve it (DNS), then save the URL again.',
  400,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_ALLOWLIST_INVALID = defineError(
  'NOTIFY_WEBHOOK_ALLOWLIST_INVALID',
  'The webhook address allow-list has entries that are not IP addresses or CIDR ranges: {entries}',
  'Write each entry of CASEBRIDGE_WEBHOOK_ALLOWED_CIDRS as an address or a CIDR range, comma-separated, e.g. 127.0.0.1/32,10.20.0.0/16,::1/128.',
  500,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_SECRET_INVALID = defineError(
  'NOTIFY_WEBHOOK_SECRET_INVALID',
  'A webhook signing secret is too short or malformed (it needs at least {minLength} characters of printable ASCII).',
  'Generate a new secret with casebridge (it makes 32 random bytes) rather than typing one.',
  400,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_NO_SECRET = defineError(
  'NOTIFY_WEBHOOK_NO_SECRET',
  'The webhook has no active signing secret, so its deliveries cannot be signed.',
  'Add a signing secret for the webhook, then retry its dead letters: unsigned deliveries are never sent.',
  409,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_NOT_CONFIGURED = defineError(
  'NOTIFY_WEBHOOK_NOT_CONFIGURED',
  'Tenant {tenant} has no webhook configured.',
  'Set one with `casebridge webhook set {tenant} https://...` (it prints the signing secret once), then retry the dead letters with `casebridge outbox retry --all`.',
  404,
  EXIT.notFound,
);

export const NOTIFY_WEBHOOK_ROTATION_PENDING = defineError(
  'NOTIFY_WEBHOOK_ROTATION_PENDING',
  'The webhook of tenant {tenant} is already being rotated: two secrets are active.',
  'Finish the running rotation first with `casebridge webhook finish-rotation {tenant}` (once the receiver holds the new secret), then rotate again.',
  409,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_NO_ROTATION = defineError(
  'NOTIFY_WEBHOOK_NO_ROTATION',
  'The webhook of tenant {tenant} is not being rotated: there is no old secret to retire.',
  'Start a rotation with `casebridge webhook rotate-secret {tenant}` first.',
  409,
  EXIT.usage,
);

export const NOTIFY_WEBHOOK_PAYLOAD_INVALID = defineError(
  'NOTIFY_WEBHOOK_PAYLOAD_INVALID',
  'Outbox message {eventId} does not hold a ticket notification of tenant {tenant}: {reason}',
  'This is a bug in whatever enqueued the message; it is dead and is not sent. Report it with the message id from `casebridge outbox dead`.',
  422,
  EXIT.failure,
);

export const NOTIFY_WEBHOOK_DELIVERY_FAILED = defineError(
  'NOTIFY_WEBHOOK_DELIVERY_FAILED',
  'Delivering event {eventId} to the webhook of tenant {tenant} failed for now: {reason}',
  'Nothing to do if it passes: the outbox retries with backoff. If it keeps failing, check the receiver is up and answers 2xx within 10 seconds; after the last attempt the event is a dead letter (`casebridge outbox dead`).',
  502,
  EXIT.failure,
);

export const NOTIFY_REQUEST_FAILED = defineError(
  'NOTIFY_REQUEST_FAILED',
  'An outbound request under the URL policy failed: {reason}.',
  'Check that the receiver (a webhook, or a JWKS URL of the bot identity settings) is reachable from this machine and answers within 10 s with at most 64 KB; the request is made again on the next attempt.',
  502,
  EXIT.failure,
);
