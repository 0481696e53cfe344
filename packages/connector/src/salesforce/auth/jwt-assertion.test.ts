// The assertion carries exactly the documented claims, is RS256-signed with the tenant key, and keys never leak.

import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { test } from 'node:test';

import { decodeProtectedHeader, jwtVerify } from 'jose';

import { FixedClock } from '../../../test/fakes/fixed-clock.js';
import { isAppError } from '../../errors/app-error.js';
import { assertionClaims, jwtAudience, rsaKeySigner } from './jwt-assertion.js';

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

void test('audience: My Domain and sandbox login URLs map to the documented audiences, other hosts are their own', () => {
  const cases: [string, string][] = [
    ['https://login.salesforce.com', 'https://login.salesforce.com'],
    ['https://login.salesforce.com/', 'https://login.salesforce.com'],
    ['https://acme.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://ACME.My.Salesforce.com/', 'https://login.salesforce.com'],
    ['https://acme.develop.my.salesforce.com', 'https://login.salesforce.com'],
    ['https://test.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme--uat.sandbox.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://acme--uat.cs42.my.salesforce.com', 'https://test.salesforce.com'],
    ['https://cs42.salesforce.com', 'https://test.salesforce.com'],
    ['https://usa2s.sfdc-abc123.salesforce.com', 'https://test.salesforce.com'],
    ['https://fun-dream-123.scratch.my.salesforce.com', 'https://test.salesforce.com'],
    // an Experience Cloud site and the loopback emulator are their own audience
    ['https://acme.my.site.com/customers', 'https://acme.my.site.com/customers'],
    ['http://127.0.0.1:40123', 'http://127.0.0.1:40123'],
    // a look-alike host is not Salesforce's
    ['https://login.salesforce.com.evil.example', 'https://login.salesforce.com.evil.example'],
  ];
  for (const [loginUrl, audience] of cases) assert.equal(jwtAudience(loginUrl), audience, loginUrl);
});

void test('audience: the tenant setting overrides the derived one; the claims use it', () => {
  assert.equal(
    jwtAudience('https://acme.my.salesforce.com', 'https://acme.my.site.com/partners/'),
    'https://acme.my.site.com/partners',
  );
  const claims = assertionClaims(
    { ...subject, loginUrl: 'https://acme--uat.sandbox.my.salesforce.com', audience: undefined },
    new FixedClock(),
  );
  assert.equal(claims.aud, 'https://test.salesforce.com');
  assert.equal(
    assertionClaims({ ...subject, audience: 'https://login.salesforce.com' }, new FixedClock()).aud,
    'https://login.salesforce.com',
  );
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
