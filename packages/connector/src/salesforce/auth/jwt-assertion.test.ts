// The assertion carries exactly the documented claims, is RS256-signed with the tenant key, and keys never leak.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';

import { decodeProtectedHeader, jwtVerify } from 'jose';

import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { isAppError } from '../../errors/app-error.js';
import { assertionClaims, rsaKeySigner } from './jwt-assertion.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const subject = {
  tenantId: 't1',
  consumerKey: '3MVG9-key',
  username: 'svc@acme.com',
  loginUrl: 'https://test.salesforce.com/',
};

void test('claims: iss = consumer key, sub = username, aud = login URL without trailing slash, exp = now + 180 s', () => {
  const clock = new FixedClock('2026-11-24T12:00:00.000Z');
  assert.deepEqual(assertionClaims(subject, clock), {
    iss: '3MVG9-key',
    sub: 'svc@acme.com',
    aud: 'https://test.salesforce.com',
    exp: Date.parse('2026-11-24T12:03:00.000Z') / 1000,
  });
});

for (const type of ['pkcs8', 'pkcs1'] as const) {
  void test(`signs RS256 with a ${type} PEM key; the public key verifies it`, async () => {
    const pem = rsa.privateKey.export({ type, format: 'pem' }).toString();
    const clock = new FixedClock();
    const jwt = await rsaKeySigner(pem, 't1').sign(assertionClaims(subject, clock));
    assert.equal(decodeProtectedHeader(jwt).alg, 'RS256');
    const { payload } = await jwtVerify(jwt, rsa.publicKey, {
      issuer: '3MVG9-key',
      subject: 'svc@acme.com',
      audience: 'https://test.salesforce.com',
      currentDate: clock.now(),
    });
    assert.equal(payload.exp, Math.floor(clock.now().getTime() / 1000) + 180);
  });
}

void test('an unusable key fails with SF_AUTH_KEY_UNUSABLE and never quotes the key', () => {
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    .privateKey.export({ type: 'pkcs8', format: 'pem' })
    .toString();
  for (const pem of [ec, '-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETBITS\n-----END PRIVATE KEY-----']) {
    assert.throws(
      () => rsaKeySigner(pem, 't1'),
      (err) =>
        isAppError(err, 'SF_AUTH_KEY_UNUSABLE') &&
        !JSON.stringify(err.toJSON()).includes('SECRETBITS') &&
        !err.message.includes('BEGIN'),
    );
  }
});
