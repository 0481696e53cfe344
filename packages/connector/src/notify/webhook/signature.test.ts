// A receiver can tell a genuine delivery from a forged, altered or replayed one, with either secret during a
// rotation.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { test } from 'node:test';

import { isAppError } from '../../errors/app-error.js';
import {
  checkWebhookSecret,
  createWebhookSecret,
  signWebhook,
  verifyWebhook,
  WEBHOOK_HEADERS,
} from './signature.js';

const OLD = 'whsec_old-secret-0123456789abcdefghijklmnop';
const NEW = 'whsec_new-secret-0123456789abcdefghijklmnop';
const NOW = 1_764_600_000;
const body = JSON.stringify({ id: 'evt_1', type: 'case.comment', text: 'Grüße 👋' });

function delivery(secrets: string[], at = NOW) {
  const headers = signWebhook({ eventId: 'evt_1', body, secrets, timestampSeconds: at });
  return {
    headers,
    timestamp: headers[WEBHOOK_HEADERS.timestamp],
    signature: headers[WEBHOOK_HEADERS.signature],
  };
}

test('the signature is v1= HMAC-SHA256 of "timestamp.body", one per active secret', () => {
  const { headers } = delivery([OLD, NEW]);
  const expected = (secret: string) =>
    `v1=${createHmac('sha256', secret).update(`${NOW}.${body}`).digest('hex')}`;
  assert.deepEqual(headers, {
    'Casebridge-Event-Id': 'evt_1',
    'Casebridge-Timestamp': String(NOW),
    'Casebridge-Signature': `${expected(OLD)}, ${expected(NEW)}`,
  });
});

test('during a rotation a receiver holding either secret accepts; one holding neither refuses', () => {
  const { timestamp, signature } = delivery([OLD, NEW]);
  for (const secrets of [[OLD], [NEW], [NEW, OLD]])
    assert.deepEqual(verifyWebhook({ body, timestamp, signature, secrets, nowSeconds: NOW + 10 }), {
      ok: true,
    });
  assert.deepEqual(
    verifyWebhook({
      body,
      timestamp,
      signature,
      secrets: ['whsec_some-other-secret-0123456789abcdef'],
      nowSeconds: NOW,
    }),
    { ok: false, reason: 'no-matching-signature' },
  );
  // after the rotation, a receiver that already dropped the old secret still accepts the new-only signature
  const after = delivery([NEW]);
  assert.deepEqual(
    verifyWebhook({
      body,
      timestamp: after.timestamp,
      signature: after.signature,
      secrets: [NEW],
      nowSeconds: NOW,
    }),
    { ok: true },
  );
  assert.equal(
    verifyWebhook({
      body,
      timestamp: after.timestamp,
      signature: after.signature,
      secrets: [OLD],
      nowSeconds: NOW,
    }).ok,
    false,
  );
});

test('a replayed (stale) or far-future timestamp is refused even with a valid signature', () => {
  const { timestamp, signature } = delivery([NEW]);
  const check = (nowSeconds: number) =>
    verifyWebhook({ body, timestamp, signature, secrets: [NEW], nowSeconds });
  assert.deepEqual(check(NOW + 300), { ok: true });
  assert.deepEqual(check(NOW + 301), { ok: false, reason: 'stale-timestamp' });
  assert.deepEqual(check(NOW - 301), { ok: false, reason: 'stale-timestamp' });
  assert.deepEqual(
    verifyWebhook({
      body,
      timestamp,
      signature,
      secrets: [NEW],
      nowSeconds: NOW + 3600,
      windowSeconds: 7200,
    }),
    { ok: true },
  );
});

test('an altered body, a moved timestamp or missing headers are refused', () => {
  const { timestamp, signature } = delivery([NEW]);
  const base = { secrets: [NEW], nowSeconds: NOW };
  assert.equal(verifyWebhook({ ...base, body: body.replace('👋', '👍'), timestamp, signature }).ok, false);
  assert.equal(verifyWebhook({ ...base, body, timestamp: String(NOW + 1), signature }).ok, false);
  assert.deepEqual(verifyWebhook({ ...base, body, timestamp: 'soon', signature }), {
    ok: false,
    reason: 'bad-timestamp',
  });
  assert.deepEqual(verifyWebhook({ ...base, body, timestamp: undefined, signature }), {
    ok: false,
    reason: 'missing-headers',
  });
  assert.equal(
    verifyWebhook({ ...base, body, timestamp, signature: signature.replace('v1=', 'v0=') }).ok,
    false,
  );
  assert.equal(verifyWebhook({ ...base, body, timestamp, signature: 'v1=' }).ok, false);
});

test('secrets: made from 32 random bytes with a recognisable prefix; short or unprintable ones refused', () => {
  const secret = createWebhookSecret((size) => Buffer.alloc(size, 7));
  assert.equal(secret, `whsec_${Buffer.alloc(32, 7).toString('base64url')}`);
  assert.doesNotThrow(() => checkWebhookSecret(secret));
  assert.notEqual(createWebhookSecret(), createWebhookSecret());
  for (const bad of ['short', `${'x'.repeat(40)} with space`, `${'x'.repeat(40)}é`])
    assert.throws(
      () => checkWebhookSecret(bad),
      (err) => isAppError(err, 'NOTIFY_WEBHOOK_SECRET_INVALID'),
    );
  assert.throws(
    () => signWebhook({ eventId: 'e', body, secrets: [], timestampSeconds: NOW }),
    (err) => isAppError(err, 'NOTIFY_WEBHOOK_NO_SECRET'),
  );
});
