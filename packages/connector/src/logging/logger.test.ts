// What reaches the log never contains a secret, whether it sits under a known key or inside free text.

import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';

import { createLogger } from './logger.js';

function capture(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => chunks.join('') };
}

const TOKEN = '00D5g00000AbCdE!AQEAQFakeAccessToken.74709cXYZ';
const KEY = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';

test('known secret keys are redacted and secret-looking values are scrubbed from messages and nested data', () => {
  const out = capture();
  const log = createLogger({ destination: out.stream, level: 'debug' });
  log.info({ accessToken: TOKEN, tenant: { privateKey: KEY } }, 'login');
  log.warn(
    {
      err: new Error(`upstream said Bearer ${TOKEN}`),
      url: `/id/x?oauth_token=${encodeURIComponent(TOKEN)}`,
    },
    `failed with ${TOKEN}`,
  );
  log
    .child({ assertion: 'eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJ4In0.c2lnbmF0dXJl' })
    .error({ detail: KEY }, 'signing');
  const text = out.text();
  assert.ok(text.includes('"msg":"login"'));
  for (const secret of [
    TOKEN,
    encodeURIComponent(TOKEN),
    'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
    'eyJpc3MiOiJ4In0',
  ]) {
    assert.ok(!text.includes(secret), `leaked ${secret}`);
  }
});
